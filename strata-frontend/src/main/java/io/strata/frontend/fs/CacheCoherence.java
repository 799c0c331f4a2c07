package io.strata.frontend.fs;

import io.strata.config.Role;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.ProcessEntry;
import io.strata.control.process.PeerConnections;
import io.strata.control.process.Timers;
import io.strata.frontend.wire.FrontendFrames;
import io.strata.frontend.wire.FrontendFrames.InodesChanged;
import io.strata.protocol.Frame;
import io.strata.runtime.Clock;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * Lets mounts cache what a path walk and a read ask of buckets, and keeps those caches coherent
 * across mounts.
 *
 * <p><b>What is cached.</b> A path walk asks for every directory on the path by name (LOOKUP; two
 * bucket calls when the directory lives in another bucket than its parent) and, since mounts check
 * permissions in the kernel (default_permissions), for its attributes (GETATTR): with nothing
 * cached a create two folders down cost 11 requests, 8 of them these; and a {@code stat(2)} of
 * a file costs a LOOKUP every time. So the kernel may keep names and attributes (of files,
 * directories, links alike), and that a name is not there (a negative entry: a program that
 * searches a path for a file asks for many), for {@link #CACHE_NS}. And every read asked the
 * file's bucket where its bytes are before reading them from the drives; a mount now keeps those
 * layouts ({@link LayoutCache}).
 *
 * <p><b>Coherence.</b> A mount that changed an inode (a name created, removed or renamed in a
 * directory, attributes set, bytes written) tells every mount of the filesystem before it answers
 * its kernel: this process drops the inode from its own mounts (their layouts, and the kernel's
 * attributes through {@code FUSE_NOTIFY_INVAL_INODE}, which takes no lock in the kernel, so it is
 * safe on this thread) and sends {@link FrontendFrames#INODES_CHANGED} to every other frontend
 * process, which does the same and answers. A name that now leads elsewhere, or nowhere, or
 * somewhere where it led nowhere (unlink, rmdir, rename, create, mkdir, link) is dropped too
 * ({@code FUSE_NOTIFY_INVAL_ENTRY}); that one locks the parent in the kernel, which an
 * operation in that directory may hold while it waits for this process, so it runs on a thread
 * of its own, and never on the mount that made the change (its kernel moved the name itself,
 * and holds that lock). So an operation that starts after a change was
 * acknowledged sees it through any mount, as before. One thing is not dropped: an unlink through
 * one mount names the directory and the name, not the inode, so another mount that holds the
 * attributes of a file with more than one name may show its old link count and change time
 * through the other names for up to {@link #CACHE_NS}.
 *
 * <p><b>Races.</b> An answer a bucket gave before the change may reach this process after the
 * notice: what was asked of an inode dropped since the request left is not cached (each inode's
 * last drop is stamped, in a small table where a collision only costs caching). One that reached
 * a cache before the notice is dropped with the rest (and the kernel ignores attributes of a
 * request older than an invalidation).
 *
 * <p><b>Peers that do not answer.</b> Whatever a peer caches expires {@link #CACHE_NS} after the
 * request that learnt it left (the kernel is given what is left of that), or is dropped by a notice. So a change whose notice a peer did not acknowledge
 * waits until {@code CACHE_NS} after it was sent, or after the peer was first found unreachable; a
 * peer unreachable for longer than that is not waited for. A process that resumed a mount from
 * another (an upgrade, a restart after a crash) acknowledges notices only {@code CACHE_NS} after
 * the resume: until then its kernel may hold attributes the old process handed out. Layouts live
 * in the process and die with it.
 *
 * <p><b>Peers without a mount of the filesystem</b> say so in their answer and are then not told
 * of its changes for {@link #QUIET_NS}, counted from when that notice was sent. In exchange a
 * process caches nothing of a filesystem until {@code QUIET_NS} after it last began serving a
 * mount of it: by then every peer that was told "no mount here" asks again.
 *
 * <p><b>Releases.</b> Nothing is cached unless every frontend container runs this release;
 * notices go to the frontends of this release (older ones neither cache nor understand them).
 * Everything here runs on the frontend process's thread, except registering mounts and
 * {@link #resumed()}, which any thread may call.
 */
public final class CacheCoherence {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(CacheCoherence.class);
    public static final long CACHE_NS = TimeUnit.SECONDS.toNanos(1);
    public static final long QUIET_NS = TimeUnit.SECONDS.toNanos(3);
    static final long NOTICE_TIMEOUT_MS = TimeUnit.NANOSECONDS.toMillis(CACHE_NS);
    private static final int STAMP_SLOTS = 4096;

    /** Sends a notice to another frontend process; the handler is called on this thread. */
    @FunctionalInterface
    public interface Notices {
        void send(int processId, ByteBuffer payload, long timeoutMs, PeerConnections.ResponseHandler handler);
    }

    /** A mount, as far as dropping what it cached goes. */
    public interface MountCache {
        int fsId();

        int mountId();

        /**
         * Drops what the mount keeps of the inode (layouts, the kernel's attributes); answers 0,
         * ENOENT when the kernel had nothing cached, or another errno. Never blocks.
         */
        int drop(long ino);

        /** Drops a cached name; answers as {@link #drop}. May wait for an operation in the directory. */
        int dropName(long parent, String name);
    }

    private final Supplier<ClusterConfig> config;
    private final Supplier<Integer> processId;
    private final String release;
    private final Clock clock;
    private final Timers timers;
    private final Notices notices;
    private final java.util.concurrent.Executor processThread;
    private final java.util.concurrent.Executor nameDropper;
    private final List<MountCache> mounts = new CopyOnWriteArrayList<>();
    private final Map<Integer, Long> unreachableSince = new HashMap<>();
    /** By peer and filesystem: when a notice was sent that the peer answered with "no mount of it here". */
    private final Map<Long, Long> withoutMountSince = new HashMap<>();
    /** By filesystem: when this process last began serving a mount of it. */
    private final Map<Integer, Long> servingSince = new java.util.concurrent.ConcurrentHashMap<>();
    private final long[] stamps = new long[STAMP_SLOTS];
    private long generation;
    /** Notices are acknowledged from this time on: {@link #CACHE_NS} after the last resume, or from the start. */
    private volatile long acknowledgeFromNanos;
    /** What the configuration last seen says: whether to cache, and whom to tell (judged once per configuration). */
    private ClusterConfig judged;
    private Integer judgedSelf;
    private boolean cachingAllowed;
    private List<Integer> peers = List.of();

    /**
     * @param processThread runs a task on this process's thread
     * @param nameDropper runs the drops of names, which may wait on the kernel: not this process's thread
     */
    public CacheCoherence(Supplier<ClusterConfig> config, Supplier<Integer> processId, String release, Clock clock, Timers timers,
            Notices notices, java.util.concurrent.Executor processThread, java.util.concurrent.Executor nameDropper) {
        this.config = config;
        this.processId = processId;
        this.release = release;
        this.clock = clock;
        this.timers = timers;
        this.notices = notices;
        this.processThread = processThread;
        this.nameDropper = nameDropper;
        this.acknowledgeFromNanos = clock.nanoTime();
    }

    public void register(MountCache mount) {
        servingSince.put(mount.fsId(), clock.nanoTime());
        mounts.add(mount);
    }

    public void unregister(MountCache mount) {
        mounts.remove(mount);
    }

    /** A mount another process served is about to be served here: notices are acknowledged only {@link #CACHE_NS} later. */
    public void resumed() {
        acknowledgeFromNanos = clock.nanoTime() + CACHE_NS;
    }

    /** When a request to a bucket left: what was dropped since, and the time, which is when what it answers starts to age. */
    public record Asked(long generation, long atNanos) {
    }

    /** To take before asking a bucket, and hand over with its answer. */
    public Asked asked() {
        return new Asked(generation, clock.nanoTime());
    }

    /**
     * How long the kernel may keep the attributes of {@code ino} (in filesystem {@code fsId}) from
     * an answer to a request {@code asked}: what is left of {@link #CACHE_NS} since the request left.
     */
    public long attrTimeoutNanos(int fsId, long ino, Asked asked) {
        return mayCache(fsId, ino, asked) ? freshNanos(asked) : 0;
    }

    /** Whether what a request {@code asked} learnt of {@code ino} (of filesystem {@code fsId}) may be kept, for what is left of {@link #CACHE_NS}. */
    public boolean mayCache(int fsId, long ino, Asked asked) {
        return stamps[slot(ino)] <= asked.generation() && freshNanos(asked) > 0 && cachingAllowed() && quietPassed(fsId);
    }

    /** How much longer what a request {@code asked} learnt may be used. */
    private long freshNanos(Asked asked) {
        return Math.max(0, asked.atNanos() + CACHE_NS - clock.nanoTime());
    }

    /**
     * How long the kernel may keep the name that leads from {@code parent} to {@code ino}, from an
     * answer to a request {@code asked}.
     */
    public long entryTimeoutNanos(int fsId, long parent, long ino, Asked asked) {
        if (stamps[slot(parent)] > asked.generation()) {
            return 0;
        }
        return attrTimeoutNanos(fsId, ino, asked);
    }

    private boolean quietPassed(int fsId) {
        Long since = servingSince.get(fsId);
        return since != null && clock.nanoTime() - since >= QUIET_NS;
    }

    /** Whether every frontend container of the cluster runs this release. */
    boolean cachingAllowed() {
        judge();
        return cachingAllowed;
    }

    /** Every other frontend process of this release. */
    private List<Integer> peers() {
        judge();
        return peers;
    }

    private void judge() {
        ClusterConfig current = config.get();
        Integer self = processId.get();
        if (current == judged && Objects.equals(self, judgedSelf)) {
            return;
        }
        judged = current;
        judgedSelf = self;
        List<Integer> others = new ArrayList<>();
        boolean allThisRelease = current != null;
        if (current != null) {
            for (ContainerEntry container : current.containers().values()) {
                boolean thisRelease = Objects.equals(container.release(), release);
                for (ProcessEntry process : container.processes()) {
                    if (process.role() != Role.FRONTEND) {
                        continue;
                    }
                    allThisRelease &= thisRelease;
                    if (thisRelease && (self == null || process.id() != self)) {
                        others.add(process.id());
                    }
                }
            }
        }
        cachingAllowed = allThisRelease;
        peers = List.copyOf(others);
    }

    /**
     * The attributes or contents of {@code inos} (of filesystem {@code fsId}) changed through mount
     * {@code originMount}, and {@code names} may have led to directories that are gone from there:
     * drops them from every mount, then runs {@code then} (on this thread).
     */
    public void changed(int fsId, int originMount, long[] inos, List<FrontendFrames.Name> names, Runnable then) {
        InodesChanged change = new InodesChanged(fsId, inos, names);
        long sent = clock.nanoTime();
        Broadcast broadcast = new Broadcast(sent, then);
        drop(change);
        List<MountCache> others = mounts.stream().filter(m -> m.fsId() == fsId && m.mountId() != originMount).toList();
        if (!names.isEmpty() && !others.isEmpty()) {
            broadcast.outstanding++;
            nameDropper.execute(() -> {
                dropNames(others, names);
                processThread.execute(broadcast::answered);
            });
        }
        ByteBuffer payload = FrontendFrames.encode(change);
        for (int peer : peers()) {
            long key = ((long) peer << 32) | (fsId & 0xFFFFFFFFL);
            Long without = withoutMountSince.get(key);
            if (without != null && sent - without < QUIET_NS) {
                continue;
            }
            Long since = unreachableSince.get(peer);
            // a peer unreachable for longer than kernels cache has nothing cached any more
            boolean awaited = since == null || sent - since < CACHE_NS;
            if (awaited) {
                broadcast.outstanding++;
            }
            notices.send(peer, payload.duplicate(), NOTICE_TIMEOUT_MS, new PeerConnections.ResponseHandler() {
                @Override
                public void onResponse(Frame frame) {
                    unreachableSince.remove(peer);
                    if (FrontendFrames.servesFilesystem(frame.payload())) {
                        withoutMountSince.remove(key);
                    } else {
                        withoutMountSince.put(key, sent);
                    }
                    if (awaited) {
                        broadcast.answered();
                    }
                }

                @Override
                public void onFailure(String reason) {
                    long first = unreachableSince.computeIfAbsent(peer, p -> sent);
                    if (first == sent) {
                        LOG.info("frontend p{} did not take a change ({}); changes wait for what it cached to expire",
                                peer, reason);
                    }
                    broadcast.waitUntil = Math.max(broadcast.waitUntil, first + CACHE_NS);
                    if (awaited) {
                        broadcast.answered();
                    }
                }
            });
        }
        broadcast.answered();
    }

    private static void dropNames(List<MountCache> caches, List<FrontendFrames.Name> names) {
        for (MountCache cache : caches) {
            for (FrontendFrames.Name name : names) {
                int errno = cache.dropName(name.parent(), name.name());
                if (errno != 0 && errno != ENOENT) {
                    LOG.warn("could not drop the cached name {} in directory {} from a mount: errno {}", name.name(), name.parent(), errno);
                }
            }
        }
    }

    /** One change's notices in flight. */
    private final class Broadcast {
        final Runnable then;
        /** Answers still awaited, and one for the sending itself, so that no early answer can finish it. */
        int outstanding = 1;
        long waitUntil;
        boolean finished;

        Broadcast(long sent, Runnable then) {
            this.then = then;
            this.waitUntil = sent;
        }

        void answered() {
            if (--outstanding == 0) {
                finish();
            }
        }

        void finish() {
            if (finished) {
                return;
            }
            finished = true;
            runAt(waitUntil, then);
        }
    }

    /** Runs {@code task} on this thread at {@code atNanos}: now when that has passed, else by a timer. */
    private void runAt(long atNanos, Runnable task) {
        long left = atNanos - clock.nanoTime();
        if (left > 0) {
            timers.after(TimeUnit.NANOSECONDS.toMillis(left) + 1, task);
        } else {
            task.run();
        }
    }

    /**
     * A notice from another frontend (a INODES_CHANGED payload): drops what it names here,
     * then hands {@code answer} the CHANGE_SEEN payload, on this thread.
     */
    public void onNotice(ByteBuffer notice, java.util.function.Consumer<ByteBuffer> answer) {
        InodesChanged change = FrontendFrames.decode(notice);
        drop(change);
        List<MountCache> serving = mounts.stream().filter(m -> m.fsId() == change.fsId()).toList();
        Runnable acknowledge = () -> runAt(acknowledgeFromNanos, () -> answer.accept(FrontendFrames.changeSeen(!serving.isEmpty())));
        if (change.names().isEmpty() || serving.isEmpty()) {
            acknowledge.run();
            return;
        }
        nameDropper.execute(() -> {
            dropNames(serving, change.names());
            processThread.execute(acknowledge);
        });
    }

    private void drop(InodesChanged change) {
        long[] inos = change.inos();
        generation++;
        for (long ino : inos) {
            stamps[slot(ino)] = generation;
        }
        for (FrontendFrames.Name name : change.names()) {
            stamps[slot(name.parent())] = generation;
        }
        for (MountCache mount : mounts) {
            if (mount.fsId() != change.fsId()) {
                continue;
            }
            for (long ino : inos) {
                int errno = mount.drop(ino);
                if (errno != 0 && errno != ENOENT) {
                    LOG.warn("could not drop inode {} from a mount's kernel: errno {}", ino, errno);
                }
            }
        }
    }

    private static final int ENOENT = 2;

    private static int slot(long ino) {
        return (int) ((ino ^ (ino >>> 32) ^ (ino >>> 48)) & (STAMP_SLOTS - 1));
    }

}
