package io.strata.fuse;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A live mount handed from one session to another without unmounting: detach (drain), send the
 * /dev/fuse descriptor with its INIT parameters over a Unix socket, resume without INIT.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class HandoverMountTest {
    private Path dir;
    private FuseMount first;
    private FuseMount second;
    private DetachedSession inTransit;
    /** Own threads: the common pool may have a single worker on a 2-core machine, and these tasks block. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void createMountpoint() throws Exception {
        TestMount.requireFuse();
        dir = Files.createTempDirectory("strata-fuse-handover").toRealPath();
    }

    @AfterEach
    void cleanUp() {
        threads.shutdownNow();
        for (AutoCloseable closeable : new AutoCloseable[] {second, inTransit, first}) {
            try {
                if (closeable != null) {
                    closeable.close();
                }
            } catch (Exception e) {
                // keep closing the rest
            }
        }
        if (FuseMount.mountPoints().contains(dir.toString())) {
            FuseMount.unmount(dir);
        }
        SafeFiles.deleteRecursively(dir);
    }

    private static DetachedSession overSocketPair(DetachedSession detached) {
        UnixSocket[] pair = UnixSocket.pair();
        try (UnixSocket a = pair[0]; UnixSocket b = pair[1]) {
            Handover.send(a, detached);
            return Handover.receive(b);
        }
    }

    @Test
    void theMountKeepsWorkingAcrossTheSwitchOverAUnixSocketPath() throws Exception {
        MemoryFilesystem fs = new MemoryFilesystem();
        MountOptions options = MountOptions.defaults().withQueues(2);
        first = FuseMount.mount(dir, options, fs);
        SessionParameters negotiated = first.session().parameters();
        Files.writeString(dir.resolve("before.txt"), "written before the handover");
        try (FileChannel openAcross = FileChannel.open(dir.resolve("open.txt"), StandardOpenOption.CREATE,
                StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            openAcross.write(ByteBuffer.wrap("open".getBytes(UTF_8)), 0);

            DetachedSession detached = first.detach();
            first.close();
            assertThat(FuseMount.mountPoints()).as("detaching does not unmount").contains(dir.toString());

            Path socketPath = dir.getParent().resolve(dir.getFileName() + ".sock");
            try (UnixSocket listener = UnixSocket.listen(socketPath)) {
                CompletableFuture<DetachedSession> receiving = CompletableFuture.supplyAsync(() -> {
                    try (UnixSocket accepted = listener.accept()) {
                        return Handover.receive(accepted);
                    }
                }, threads);
                try (UnixSocket client = UnixSocket.connect(socketPath)) {
                    Handover.send(client, detached);
                }
                inTransit = receiving.get(10, TimeUnit.SECONDS);
            } finally {
                Files.deleteIfExists(socketPath);
            }
            assertThat(inTransit.state().mountpoint()).isEqualTo(dir.toString());
            assertThat(inTransit.state().parameters()).isEqualTo(negotiated);

            second = FuseMount.resume(inTransit, options, fs);
            inTransit = null;
            assertThat(Files.readString(dir.resolve("before.txt"))).isEqualTo("written before the handover");
            Files.writeString(dir.resolve("after.txt"), "written after");
            assertThat(Files.readString(dir.resolve("after.txt"))).isEqualTo("written after");
            openAcross.write(ByteBuffer.wrap(" across".getBytes(UTF_8)), 4);
        }
        assertThat(Files.readString(dir.resolve("open.txt"))).isEqualTo("open across");
        assertThat(second.session().parameters()).isEqualTo(negotiated);
        second.close();
        assertThat(FuseMount.mountPoints()).doesNotContain(dir.toString());
    }

    @Test
    void requestsMadeWhileDetachedWaitAndAreServedByTheNewSession() throws Exception {
        MemoryFilesystem fs = new MemoryFilesystem();
        first = FuseMount.mount(dir, MountOptions.defaults(), fs);
        Files.writeString(dir.resolve("f"), "patience");
        DetachedSession detached = first.detach();
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> Shell.ok(dir, "cat f; echo; ls"), threads);
        Thread.sleep(300);
        assertThat(reader).as("blocked in the kernel while nobody serves").isNotDone();
        inTransit = overSocketPair(detached);
        second = FuseMount.resume(inTransit, MountOptions.defaults(), fs);
        inTransit = null;
        assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("patience\nf");
    }

    /** A file system whose reads are answered later, by the test. */
    private static final class HeldReads extends MemoryFilesystemDelegate {
        final CountDownLatch readArrived = new CountDownLatch(1);
        final CompletableFuture<Void> release = new CompletableFuture<>();

        HeldReads(MemoryFilesystem memory) {
            super(memory);
        }

        @Override
        public void read(Request r, long nodeId, long fh, long offset, int size, ReadReply reply) {
            readArrived.countDown();
            release.thenRunAsync(() -> super.read(r, nodeId, fh, offset, size, reply), Thread::startVirtualThread);
        }
    }

    @Test
    void detachWaitsUntilEveryRequestReadHasBeenReplied() throws Exception {
        MemoryFilesystem memory = new MemoryFilesystem(MemoryFilesystem.Options.defaults().withDirectIo(true),
                io.strata.runtime.Clock.SYSTEM);
        HeldReads fs = new HeldReads(memory);
        first = FuseMount.mount(dir, MountOptions.defaults(), fs);
        Files.writeString(dir.resolve("f"), "held");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> Shell.ok(dir, "cat f"), threads);
        assertThat(fs.readArrived.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<DetachedSession> detaching = CompletableFuture.supplyAsync(first::detach, threads);
        Thread.sleep(300);
        assertThat(detaching).as("draining: a read is still unanswered").isNotDone();
        fs.release.complete(null);
        DetachedSession detached = detaching.get(10, TimeUnit.SECONDS);
        inTransit = overSocketPair(detached);
        second = FuseMount.resume(inTransit, MountOptions.defaults(), memory);
        inTransit = null;
        assertThat(reader.get(10, TimeUnit.SECONDS)).as("the held read was answered, the next one by the new session")
                .isEqualTo("held");
        assertThat(Files.readString(dir.resolve("f"))).isEqualTo("held");
    }

    @Test
    void aDetachThatCannotDrainGivesUpAndKeepsServing() throws Exception {
        MemoryFilesystem memory = new MemoryFilesystem(MemoryFilesystem.Options.defaults().withDirectIo(true),
                io.strata.runtime.Clock.SYSTEM);
        HeldReads fs = new HeldReads(memory);
        first = FuseMount.mount(dir, MountOptions.defaults().withDrainTimeoutMs(300), fs);
        Files.writeString(dir.resolve("f"), "stuck");
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> Shell.ok(dir, "cat f"), threads);
        assertThat(fs.readArrived.await(10, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(first::detach).isInstanceOf(StrataException.class)
                .hasMessageContaining("1 requests on " + dir)
                .hasMessageContaining("still unanswered after 300 ms");
        assertThat(first.session().isServing()).isTrue();
        assertThat(Files.size(dir.resolve("f"))).as("serving again").isEqualTo(5);
        fs.release.complete(null);
        assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo("stuck");
    }
}
