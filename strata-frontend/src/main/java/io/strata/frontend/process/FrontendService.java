package io.strata.frontend.process;

import io.strata.compute.client.BucketClient;
import io.strata.compute.wire.BucketRequest;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.FilesystemEntry;
import io.strata.control.process.ProcessContext;
import io.strata.control.process.ProcessService;
import io.strata.control.service.ManagementMessages.MountInfo;
import io.strata.drive.client.DriveClient;
import io.strata.frontend.fs.CacheCoherence;
import io.strata.frontend.fs.StrataFilesystem;
import io.strata.frontend.wire.FrontendFrames;
import io.strata.frontend.fs.StripeReader;
import io.strata.fuse.FuseMount;
import io.strata.fuse.MountOptions;
import io.strata.protocol.Frame;
import io.strata.protocol.nio.Connection;
import io.strata.runtime.ErrorCode;
import io.strata.runtime.StrataException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A frontend process: serves POSIX mounts of filesystems through FUSE. The mounts' requests are
 * handled on this process's pinned thread ({@link StrataFilesystem}); mounting and unmounting
 * may be asked from any thread.
 */
public final class FrontendService implements ProcessService {
    private static final Logger LOG = LoggerFactory.getLogger(FrontendService.class);

    private record Mounted(FuseMount mount, MountInfo info, CacheCoherence.MountCache cache) {
    }

    /** A mount, for dropping what it cached: node ids are inode numbers but for the root. */
    private static CacheCoherence.MountCache mountCache(int fsId, int mountId, long rootIno, FuseMount mount,
            StrataFilesystem strata) {
        io.strata.frontend.fs.Inodes inodes = new io.strata.frontend.fs.Inodes(rootIno);
        return new CacheCoherence.MountCache() {
            @Override
            public int fsId() {
                return fsId;
            }

            @Override
            public int mountId() {
                return mountId;
            }

            @Override
            public int dropName(long parent, String name) {
                return mount.session().invalidateEntry(inodes.nodeId(parent), name);
            }

            @Override
            public int drop(long ino) {
                strata.forget(ino);
                return mount.session().invalidateInode(inodes.nodeId(ino), -1, 0);
            }
        };
    }

    private final Map<String, Mounted> mounts = new ConcurrentHashMap<>();
    private final CountDownLatch started = new CountDownLatch(1);
    private volatile ProcessContext context;
    private BucketClient buckets;
    private StripeReader reader;
    private CacheCoherence coherence;
    /** Drops names from kernels: that may wait for an operation in the directory, which this process's thread must answer. */
    private final java.util.concurrent.ExecutorService nameDropper = java.util.concurrent.Executors.newSingleThreadExecutor(
            Thread.ofPlatform().daemon().name("strata-name-dropper").factory());
    private int nextMountIndex;
    private volatile io.strata.fuse.SessionGuard guard;

    @Override
    public void onStart(ProcessContext processContext) {
        this.context = processContext;
        this.buckets = new BucketClient(processContext);
        this.reader = new StripeReader(new DriveClient(processContext), processContext.config());
        this.coherence = new CacheCoherence(processContext.config(), processContext.processId(),
                io.strata.runtime.Release.current().version(), processContext.clock(), processContext.timers(),
                (processId, payload, timeoutMs, handler) -> processContext.peers().request(processId,
                        FrontendFrames.INODES_CHANGED, timeoutMs, handler, null, payload),
                task -> onProcessThread(processContext, task), nameDropper);
        started.countDown();
    }

    /** Hands a task to the process's thread from another thread, waiting while its queue is full: the task must not be lost. */
    private static void onProcessThread(ProcessContext context, Runnable task) {
        while (!context.execute(task)) {
            java.util.concurrent.locks.LockSupport.parkNanos(1_000_000);
        }
    }

    /** From now on the host agent keeps copies of every mount's FUSE connection, so a crash of this process does not end them. */
    public synchronized void guardWith(io.strata.fuse.SessionGuard sessionGuard) {
        this.guard = sessionGuard;
        mounts.values().forEach(m -> sessionGuard.guard(m.mount()));
    }

    private void guard(FuseMount mount) {
        io.strata.fuse.SessionGuard current = guard;
        if (current != null) {
            current.guard(mount);
        }
    }

    private void unguard(Path mountpoint) {
        io.strata.fuse.SessionGuard current = guard;
        if (current != null) {
            current.unguard(mountpoint);
        }
    }

    /** The root inode of a filesystem, as its root bucket numbers it. */
    public static long rootIno(int fsId, int bucketCount) {
        return io.strata.compute.bucket.Inodes.rootIno(fsId, bucketCount);
    }

    /** Mounts a filesystem at {@code mountpoint}; any thread. */
    public synchronized MountInfo mount(String filesystem, Path mountpoint, int slot) {
        awaitStarted();
        ClusterConfig config = awaitFilesystem(filesystem);
        FilesystemEntry fs = config.dataPlane().filesystem(filesystem).orElseThrow(() -> new StrataException(ErrorCode.NOT_FOUND,
                "no filesystem named " + filesystem + " (filesystems: "
                        + config.dataPlane().filesystems().values().stream().map(FilesystemEntry::name).toList() + ")"));
        String key = mountpoint.toAbsolutePath().normalize().toString();
        if (mounts.containsKey(key)) {
            throw StrataException.conflict("%s is already a mount of %s", key, mounts.get(key).info().filesystem());
        }
        long rootIno = rootIno(fs.id(), config.dataPlane().buckets().size());
        awaitRoot(fs, rootIno);
        int processId = context.processId().get();
        int mountId = ((processId & 0x0FFF) << 4) | (nextMountIndex++ & 0xF);
        StrataFilesystem strata = new StrataFilesystem(context, buckets, reader, coherence, fs.id(), rootIno, mountId);
        MountOptions options = MountOptions.defaults().withFsName("strata:" + filesystem).withRequestBuffers(64);
        FuseMount mount = FuseMount.mount(Path.of(key), options, strata);
        MountInfo info = new MountInfo(filesystem, key, slot, context.clock().epochMillis());
        CacheCoherence.MountCache cache = mountCache(fs.id(), mountId, rootIno, mount, strata);
        coherence.register(cache);
        mounts.put(key, new Mounted(mount, info, cache));
        guard(mount);
        LOG.info("mounted {} at {} (mount id {})", filesystem, key, mountId);
        return info;
    }

    /** This process's configuration, once it knows the filesystem (a just-created one may take a moment to arrive). */
    private ClusterConfig awaitFilesystem(String filesystem) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        ClusterConfig config = context.config().get();
        while (config.dataPlane().filesystem(filesystem).isEmpty() && System.nanoTime() < deadline) {
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            config = context.config().get();
        }
        return config;
    }

    /**
     * Waits until the filesystem's root directory exists: its bucket's leader creates it shortly
     * after {@code fs create}, and a mount made before would answer its first access with ESTALE.
     */
    private void awaitRoot(FilesystemEntry fs, long rootIno) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        int status = -1;
        while (System.nanoTime() < deadline) {
            CompletableFuture<Integer> answer = new CompletableFuture<>();
            context.execute(() -> buckets.call(new BucketRequest.GetAttr(new BucketRequest.Caller(fs.id(), 0, 0, 0, 0), rootIno),
                    (code, result) -> answer.complete(code)));
            try {
                status = answer.get(30, TimeUnit.SECONDS);
            } catch (ExecutionException | TimeoutException e) {
                status = -1;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
            if (status == 0) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                break;
            }
        }
        throw StrataException.unavailable("filesystem %s is not ready yet: its root directory does not answer (%s); try again",
                fs.name(), status < 0 ? "no answer" : "errno " + status);
    }

    /** A mount drained and detached from this process, with what it was (for the next process to resume it). */
    public record Detached(io.strata.fuse.DetachedSession session, MountInfo info) {
    }

    /** Drains and detaches every mount, leaving them mounted for another process to serve. */
    public synchronized java.util.List<Detached> detachAll() {
        java.util.List<Detached> detached = new java.util.ArrayList<>();
        for (String key : java.util.List.copyOf(mounts.keySet())) {
            Mounted mounted = mounts.remove(key);
            coherence.unregister(mounted.cache());
            detached.add(new Detached(mounted.mount().detach(), mounted.info()));
            unguard(Path.of(key));
            LOG.info("detached the mount of {} at {}", mounted.info().filesystem(), key);
        }
        return detached;
    }

    /** Serves a mount another process detached (no new mount, no INIT: the kernel kept it). */
    public synchronized MountInfo resume(io.strata.fuse.DetachedSession session, MountInfo previous, int slot) {
        awaitStarted();
        ClusterConfig config = awaitFilesystem(previous.filesystem());
        FilesystemEntry fs = config.dataPlane().filesystem(previous.filesystem()).orElseThrow(() -> StrataException.notFound(
                "no filesystem named %s", previous.filesystem()));
        int processId = context.processId().get();
        int mountId = ((processId & 0x0FFF) << 4) | (nextMountIndex++ & 0xF);
        long rootIno = rootIno(fs.id(), config.dataPlane().buckets().size());
        StrataFilesystem strata = new StrataFilesystem(context, buckets, reader, coherence, fs.id(), rootIno, mountId);
        MountOptions options = MountOptions.defaults().withFsName("strata:" + previous.filesystem()).withRequestBuffers(64);
        // the kernel may still hold directories' attributes the previous process handed out, which no notice reaches
        coherence.resumed();
        FuseMount mount = FuseMount.resume(session, options, strata);
        MountInfo info = new MountInfo(previous.filesystem(), previous.mountpoint(), slot, previous.mountedAtMillis());
        CacheCoherence.MountCache cache = mountCache(fs.id(), mountId, rootIno, mount, strata);
        coherence.register(cache);
        mounts.put(previous.mountpoint(), new Mounted(mount, info, cache));
        guard(mount);
        LOG.info("resumed the mount of {} at {} (mount id {})", previous.filesystem(), previous.mountpoint(), mountId);
        return info;
    }

    public synchronized MountInfo unmount(Path mountpoint) {
        String key = mountpoint.toAbsolutePath().normalize().toString();
        Mounted mounted = mounts.remove(key);
        if (mounted == null) {
            throw StrataException.notFound("%s is not a mount of this frontend", key);
        }
        coherence.unregister(mounted.cache());
        mounted.mount().close();
        unguard(Path.of(key));
        LOG.info("unmounted {} from {}", mounted.info().filesystem(), key);
        return mounted.info();
    }

    public List<MountInfo> mounts() {
        return mounts.values().stream().map(Mounted::info).toList();
    }

    private void awaitStarted() {
        try {
            if (!started.await(10, TimeUnit.SECONDS)) {
                throw StrataException.unavailable("the frontend process has not started");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StrataException.unavailable("interrupted");
        }
    }

    @Override
    public void onFrame(Connection connection, Frame frame) {
        if (frame.type() != FrontendFrames.INODES_CHANGED) {
            throw new io.strata.protocol.ProtocolException("a frontend process serves no frame of type " + frame.type());
        }
        coherence.onNotice(frame.payload(), seen -> connection.send(FrontendFrames.CHANGE_SEEN, frame.correlationId(), null, seen));
    }

    @Override
    public void onClose() {
        for (String key : List.copyOf(mounts.keySet())) {
            try {
                unmount(Path.of(key));
            } catch (RuntimeException e) {
                LOG.warn("unmounting {} failed: {}", key, e.getMessage());
            }
        }
        nameDropper.shutdownNow();
    }

    @Override
    public String describe() {
        return "frontend serving " + mounts.size() + " mounts";
    }
}
