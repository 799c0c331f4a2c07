package io.strata.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.SafeFiles;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A frontend process killed with a read in hand: the keeper's copies of its descriptors keep the
 * mount alive, and the next process gets that read sent again. The serving process here is a real
 * child JVM ({@link GuardedChild}) killed with SIGKILL, so nothing of it can tidy up.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class SessionKeeperTest {
    private final ExecutorService threads = Executors.newCachedThreadPool();
    private final AtomicLong clock = new AtomicLong(System.nanoTime());
    private final List<String> childOutput = new ArrayList<>();
    private Path dir;
    private Path socket;
    private SessionKeeper keeper;
    private Process child;
    private FuseMount resumed;

    @BeforeEach
    void setUp() throws IOException {
        TestMount.requireFuse();
        dir = Files.createTempDirectory("strata-fuse-keeper").toRealPath();
        socket = dir.resolveSibling(dir.getFileName() + ".sock");
        keeper = new SessionKeeper(socket, clock::get);
        keeper.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        threads.shutdownNow();
        if (child != null) {
            child.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        if (resumed != null) {
            resumed.close();
        }
        keeper.close();
        if (FuseMount.mountPoints().contains(dir.toString())) {
            new ProcessBuilder("umount", "-l", dir.toString()).start().waitFor(10, TimeUnit.SECONDS);
        }
        Files.deleteIfExists(socket);
        SafeFiles.deleteRecursively(dir);
    }

    /** Starts the child serving {@link #dir}, waits until it serves, then reads the file through the mount. */
    private CompletableFuture<String> childServingAReadItNeverAnswers(boolean guarded) throws Exception {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                GuardedChild.class.getName(), dir.toString(), socket.toString()));
        if (!guarded) {
            command.add("unguarded");
        }
        child = new ProcessBuilder(command).redirectErrorStream(true).start();
        BufferedReader out = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
        awaitLine(out, "SERVING");
        if (guarded) {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (keeper.keptFor("frontend0") == 0 && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertThat(keeper.keptFor("frontend0")).as("the child's connection is guarded").isEqualTo(1);
        }
        CompletableFuture<String> reader = CompletableFuture.supplyAsync(() -> {
            try {
                return Files.readString(dir.resolve("marker"));
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, threads);
        awaitLine(out, "READ-ARRIVED");
        return reader;
    }

    private void awaitLine(BufferedReader out, String wanted) throws IOException {
        for (String line = out.readLine(); line != null; line = out.readLine()) {
            childOutput.add(line);
            if (line.equals(wanted)) {
                return;
            }
        }
        throw new AssertionError("the child ended before printing " + wanted + ": " + String.join("\n", childOutput));
    }

    private void killChild() throws InterruptedException {
        child.destroyForcibly();
        assertThat(child.waitFor(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void theReadAKilledProcessHadInHandIsAnsweredByTheNextOne() throws Exception {
        CompletableFuture<String> reader = childServingAReadItNeverAnswers(true);
        killChild();
        Thread.sleep(300);
        assertThat(reader).as("the application waits: no error, no answer yet").isNotDone();

        List<DetachedSession> taken = SessionKeeper.take(socket, "frontend0");
        assertThat(taken).hasSize(1);
        assertThat(taken.getFirst().state().unanswered()).as("its process died").isTrue();
        assertThat(taken.getFirst().state().clones()).as("the second queue's descriptor came too").isEqualTo(1);
        assertThat(keeper.keptFor("frontend0")).isZero();
        resumed = FuseMount.resume(taken.getFirst(), MountOptions.defaults(), new GuardedChild.OneFile());

        assertThat(reader.get(10, TimeUnit.SECONDS)).isEqualTo(new String(GuardedChild.OneFile.CONTENT, StandardCharsets.UTF_8));
        assertThat(resumed.session().resendOutcome()).isZero();
        assertThat(Files.readString(dir.resolve("marker"))).as("and the mount serves on")
                .isEqualTo(new String(GuardedChild.OneFile.CONTENT, StandardCharsets.UTF_8));
    }

    @Test
    void withoutTheKeeperTheSameKillFailsTheApplication() throws Exception {
        CompletableFuture<String> reader = childServingAReadItNeverAnswers(false);
        killChild();
        assertThat(catchFailure(reader)).as("the connection ended with the process").isNotNull();
        assertThat(SessionKeeper.take(socket, "frontend0")).isEmpty();
    }

    @Test
    void aContainerThatDoesNotComeBackWithinTheGraceLosesItsMount() throws Exception {
        CompletableFuture<String> reader = childServingAReadItNeverAnswers(true);
        killChild();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        // the grace starts when the keeper sees the guard connection end: the clock moves only after that
        while (keeper.unservedFor("frontend0") == 0 && System.nanoTime() < deadline) {
            Thread.sleep(5);
        }
        assertThat(keeper.unservedFor("frontend0")).as("the keeper saw the process die").isEqualTo(1);
        keeper.expireUnserved();
        assertThat(keeper.keptFor("frontend0")).as("within the grace").isEqualTo(1);
        clock.addAndGet(TimeUnit.SECONDS.toNanos(SessionKeeper.UNSERVED_GRACE_SECONDS + 1));
        while (System.nanoTime() < deadline && keeper.keptFor("frontend0") > 0) {
            keeper.expireUnserved();
            Thread.sleep(20);
        }
        assertThat(keeper.keptFor("frontend0")).isZero();
        assertThat(catchFailure(reader)).as("the application gets an error instead of waiting for ever").isNotNull();
    }

    @Test
    void releasingAStoppedContainerEndsItsMountsAtOnce() throws Exception {
        CompletableFuture<String> reader = childServingAReadItNeverAnswers(true);
        killChild();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int released = 0;
        while (released == 0 && System.nanoTime() < deadline) {
            released = keeper.release("frontend0");
            Thread.sleep(20);
        }
        assertThat(released).isEqualTo(1);
        assertThat(catchFailure(reader)).isNotNull();
    }

    private static Throwable catchFailure(CompletableFuture<String> reader) throws InterruptedException {
        try {
            String content = reader.get(10, TimeUnit.SECONDS);
            throw new AssertionError("the read succeeded: " + content);
        } catch (ExecutionException e) {
            return e.getCause();
        } catch (java.util.concurrent.TimeoutException e) {
            throw new AssertionError("the read still waits", e);
        }
    }
}
