package io.strata.runtime;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.agent.IdleStrategies;
import io.strata.runtime.agent.PinnedAgentRunner;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;
import org.agrona.concurrent.Agent;
import org.junit.jupiter.api.Test;

class PinnedAgentRunnerTest {
    @Test
    void agentThreadIsPinnedToTheNamedCpuAsProcShowsIt() throws Exception {
        int cpu = Runtime.getRuntime().availableProcessors() - 1;
        AtomicLong cycles = new AtomicLong();
        Agent agent = countingAgent(cycles);
        try (PinnedAgentRunner runner = new PinnedAgentRunner(agent, IdleStrategies.parse("backoff"), cpu, Throwable::printStackTrace)) {
            runner.start();
            Path status = Path.of("/proc/self/task/" + runner.threadId() + "/status");
            String allowed = Files.readAllLines(status).stream()
                    .filter(line -> line.startsWith("Cpus_allowed_list:"))
                    .findFirst().orElseThrow();
            assertThat(allowed.split(":")[1].strip()).isEqualTo(Integer.toString(cpu));
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (cycles.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(cycles.get()).isPositive();
        }
    }

    /** A negative CPU leaves the thread where the JVM put it: on every CPU the process may use. */
    @Test
    void aNegativeCpuLeavesTheAgentThreadUnpinned() throws Exception {
        AtomicLong cycles = new AtomicLong();
        Agent agent = countingAgent(cycles);
        String processAllowed = allowedCpus(Path.of("/proc/self/status"));
        try (PinnedAgentRunner runner = new PinnedAgentRunner(agent, IdleStrategies.parse("backoff"), -1, Throwable::printStackTrace)) {
            runner.start();
            assertThat(allowedCpus(Path.of("/proc/self/task/" + runner.threadId() + "/status"))).isEqualTo(processAllowed);
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (cycles.get() == 0 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            assertThat(cycles.get()).isPositive();
        }
    }

    private static Agent countingAgent(AtomicLong cycles) {
        return new Agent() {
            @Override
            public int doWork() {
                cycles.incrementAndGet();
                return 0;
            }

            @Override
            public String roleName() {
                return "test-role";
            }
        };
    }

    private static String allowedCpus(Path status) throws java.io.IOException {
        return Files.readAllLines(status).stream().filter(line -> line.startsWith("Cpus_allowed_list:")).findFirst().orElseThrow()
                .split(":")[1].strip();
    }

    @Test
    void unknownIdleStrategyIsRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IdleStrategies.parse("turbo"))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("'turbo'");
    }
}
