package io.strata.fuse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Mounting and unmounting, bad mountpoints, foreign unmounts, queues, invalidations and interrupts. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MountLifecycleTest {
    private static final long HOUR_NANOS = TimeUnit.HOURS.toNanos(1);
    private TestMount mounted;
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void unmount() {
        threads.shutdownNow();
        if (mounted != null) {
            mounted.close();
        }
    }

    @Test
    void refusesBadMountpointsWithOneLineNamingThem() throws Exception {
        TestMount.requireFuse();
        Path base = Files.createTempDirectory("strata-fuse-bad");
        try {
            Path missing = base.resolve("missing");
            assertThatThrownBy(() -> FuseMount.mount(missing, MountOptions.defaults(), new MemoryFilesystem()))
                    .isInstanceOf(StrataException.class).hasMessage("mountpoint " + missing + " does not exist");
            Path file = Files.writeString(base.resolve("file"), "x");
            assertThatThrownBy(() -> FuseMount.mount(file, MountOptions.defaults(), new MemoryFilesystem()))
                    .isInstanceOf(StrataException.class).hasMessage("mountpoint " + file + " is not a directory");
            Path dir = Files.createDirectory(base.resolve("dir"));
            try (FuseMount first = FuseMount.mount(dir, MountOptions.defaults(), new MemoryFilesystem())) {
                assertThatThrownBy(() -> FuseMount.mount(dir, MountOptions.defaults(), new MemoryFilesystem()))
                        .isInstanceOf(StrataException.class)
                        .hasMessage("mountpoint " + dir + " is already a mount point");
                assertThat(first.session().isServing()).isTrue();
            }
        } finally {
            SafeFiles.deleteRecursively(base);
        }
    }

    @Test
    void anUnmountFromTheShellEndsTheSessionCleanly() throws Exception {
        AtomicInteger destroyed = new AtomicInteger();
        AtomicLong initMinor = new AtomicLong();
        MemoryFilesystem memory = new MemoryFilesystem();
        FuseFilesystem fs = new MemoryFilesystemDelegate(memory) {
            @Override
            public void init(SessionParameters parameters) {
                initMinor.set(parameters.protocolMinor());
            }

            @Override
            public void destroy() {
                destroyed.incrementAndGet();
            }
        };
        mounted = TestMount.mount(fs, MountOptions.defaults().withQueues(2));
        assertThat(initMinor.get()).isBetween((long) FuseProtocol.MIN_MINOR_VERSION, (long) FuseProtocol.MAX_MINOR_VERSION);
        Files.writeString(mounted.path("f"), "x");
        Shell.ok(Path.of("/"), "umount " + mounted.dir);
        assertThat(mounted.session().awaitFinished(5_000)).as("readers saw ENODEV and the session ended").isTrue();
        assertThat(mounted.session().isServing()).isFalse();
        assertThat(destroyed.get()).isEqualTo(1);
        mounted.close();
        assertThat(destroyed.get()).as("destroy runs once").isEqualTo(1);
        assertThat(FuseMount.mountPoints()).doesNotContain(mounted.dir.toString());
    }

    @Test
    void closingABusyMountDetachesItLazily() throws Exception {
        mounted = TestMount.mount(new MemoryFilesystem());
        Files.writeString(mounted.path("f"), "x");
        var open = Files.newInputStream(mounted.path("f"));
        mounted.mount.close();
        assertThat(FuseMount.mountPoints()).doesNotContain(mounted.dir.toString());
        assertThat(mounted.session().awaitFinished(5_000)).isTrue();
        assertThatThrownBy(open::close).as("the connection ended under the open file")
                .hasMessageContaining("Transport endpoint is not connected");
    }

    @Test
    void severalQueuesServeRequestsInParallel() throws Exception {
        Set<String> servingThreads = ConcurrentHashMap.newKeySet();
        MemoryFilesystem memory = new MemoryFilesystem(MemoryFilesystem.Options.defaults().withDirectIo(true),
                io.strata.runtime.Clock.SYSTEM);
        FuseFilesystem fs = new MemoryFilesystemDelegate(memory) {
            @Override
            public void read(Request r, long nodeId, long fh, long offset, int size, ReadReply reply) {
                servingThreads.add(Thread.currentThread().getName());
                super.read(r, nodeId, fh, offset, size, reply);
            }
        };
        mounted = TestMount.mount(fs, MountOptions.defaults().withQueues(4));
        assertThat(mounted.session().queueCount()).isEqualTo(4);
        for (int i = 0; i < 8; i++) {
            Files.writeString(mounted.path("f" + i), "content of " + i);
        }
        List<Future<Boolean>> workers = new java.util.ArrayList<>();
        for (int w = 0; w < 8; w++) {
            int file = w;
            workers.add(threads.submit(() -> {
                for (int round = 0; round < 200; round++) {
                    if (!Files.readString(mounted.path("f" + file)).equals("content of " + file)) {
                        return false;
                    }
                }
                return true;
            }));
        }
        for (Future<Boolean> worker : workers) {
            assertThat(worker.get(20, TimeUnit.SECONDS)).isTrue();
        }
        assertThat(servingThreads).allMatch(name -> name.startsWith("strata-fuse-strata-q"));
        assertThat(servingThreads.size()).as("reads served by more than one queue").isGreaterThan(1);
        long fuseDescriptors = Files.list(Path.of("/proc/self/fd")).filter(fd -> {
            try {
                return Files.readSymbolicLink(fd).toString().equals("/dev/fuse");
            } catch (Exception e) {
                return false;
            }
        }).count();
        assertThat(fuseDescriptors).isGreaterThanOrEqualTo(4);
    }

    /** One file "x" whose size is set by the test behind the kernel's back, and a name "y" that may vanish. */
    private static final class RemoteChanges implements FuseFilesystem {
        final AtomicLong size = new AtomicLong(1);
        final AtomicBoolean yExists = new AtomicBoolean(true);

        private Attributes attributes(long ino) {
            int mode = ino == 1 ? 040755 : 0100644;
            return new Attributes(ino, ino == 1 ? 0 : size.get(), 0, 0, 0, 0, 0, 0, 0, mode, 1, 0, 0, 0, 4096);
        }

        @Override
        public void lookup(Request r, long parent, String name, EntryReply reply) {
            if (name.equals("x") || (name.equals("y") && yExists.get())) {
                long ino = name.equals("x") ? 2 : 3;
                reply.entry(new Entry(ino, 0, attributes(ino), HOUR_NANOS, HOUR_NANOS));
            } else {
                reply.error(Errno.ENOENT);
            }
        }

        @Override
        public void getattr(Request r, long nodeId, long fh, AttrReply reply) {
            reply.attributes(attributes(nodeId), HOUR_NANOS);
        }
    }

    @Test
    void invalidationsMakeTheKernelAskAgain() throws Exception {
        RemoteChanges fs = new RemoteChanges();
        mounted = TestMount.mount(fs);
        FuseSession session = mounted.session();
        assertThat(Files.size(mounted.path("x"))).isEqualTo(1);
        fs.size.set(2);
        assertThat(Files.size(mounted.path("x"))).as("cached for an hour").isEqualTo(1);
        assertThat(session.invalidateInode(2, -1, 0)).isZero();
        assertThat(Files.size(mounted.path("x"))).isEqualTo(2);

        assertThat(Files.exists(mounted.path("y"))).isTrue();
        fs.yExists.set(false);
        assertThat(Files.exists(mounted.path("y"))).as("the name is cached").isTrue();
        assertThat(session.invalidateEntry(FuseProtocol.ROOT_ID, "y")).isZero();
        assertThatThrownBy(() -> Files.size(mounted.path("y"))).isInstanceOf(NoSuchFileException.class);
        assertThat(session.invalidateEntry(FuseProtocol.ROOT_ID, "never-looked-up")).isEqualTo(Errno.ENOENT);
        assertThat(session.invalidateInode(999, 0, 0)).isEqualTo(Errno.ENOENT);
    }

    @Test
    void anInterruptReachesTheFileSystemWhichMayAnswerEintr() throws Exception {
        CountDownLatch readArrived = new CountDownLatch(1);
        AtomicBoolean interrupted = new AtomicBoolean();
        MemoryFilesystem memory = new MemoryFilesystem(MemoryFilesystem.Options.defaults().withDirectIo(true),
                io.strata.runtime.Clock.SYSTEM);
        FuseFilesystem fs = new MemoryFilesystemDelegate(memory) {
            @Override
            public void read(Request r, long nodeId, long fh, long offset, int size, ReadReply reply) {
                readArrived.countDown();
                r.onInterrupt(() -> {
                    interrupted.set(true);
                    reply.error(Errno.EINTR);
                });
            }
        };
        mounted = TestMount.mount(fs);
        Files.writeString(mounted.path("slow"), "never read");
        // SIGKILL: a fatal signal, which the kernel turns into an INTERRUPT for a request already read
        Shell.Result result = Shell.run(mounted.dir, "timeout -s KILL 1 cat slow");
        assertThat(readArrived.await(1, TimeUnit.SECONDS)).isTrue();
        assertThat(result.exitCode()).as("cat was killed by the signal").isEqualTo(137);
        assertThat(interrupted.get()).isTrue();
        assertThat(Files.size(mounted.path("slow"))).as("the mount still serves").isEqualTo(10);
    }
}
