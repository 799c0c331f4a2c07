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
        Agent agent = new Agent() {
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

    @Test
    void unknownIdleStrategyIsRefusedByName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> IdleStrategies.parse("turbo"))
                .isInstanceOf(StrataException.class)
                .hasMessageContaining("'turbo'");
    }
}
