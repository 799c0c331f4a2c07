package io.strata.runtime.agent;

import io.strata.runtime.affinity.CpuAffinity;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.status.AtomicCounter;

/**
 * Runs one {@link Agent} on its own thread, pinned to one CPU before the agent's first duty cycle
 * (a negative CPU: not pinned). The thread's kernel id is kept so the pinning can be checked in
 * {@code /proc}.
 */
public final class PinnedAgentRunner implements AutoCloseable {
    private final AgentRunner runner;
    private final int cpu;
    private final AtomicInteger threadId = new AtomicInteger(-1);
    private final CountDownLatch pinned = new CountDownLatch(1);
    private volatile Throwable pinFailure;

    public PinnedAgentRunner(Agent agent, IdleStrategy idleStrategy, int cpu, ErrorHandler errorHandler) {
        this.cpu = cpu;
        this.runner = new AgentRunner(idleStrategy, errorHandler, (AtomicCounter) null, new PinningAgent(agent));
    }

    public void start() {
        AgentRunner.startOnThread(runner);
        try {
            if (!pinned.await(10, TimeUnit.SECONDS)) {
                throw new IllegalStateException("agent " + runner.agent().roleName() + " did not start within 10 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while starting " + runner.agent().roleName(), e);
        }
        if (pinFailure != null) {
            throw new IllegalStateException("cannot pin " + runner.agent().roleName() + " to cpu " + cpu + ": "
                    + pinFailure.getMessage(), pinFailure);
        }
    }

    /** The kernel thread id of the agent's thread, or -1 before it started. */
    public int threadId() {
        return threadId.get();
    }

    public int cpu() {
        return cpu;
    }

    public boolean isRunning() {
        return !runner.isClosed();
    }

    @Override
    public void close() {
        runner.close();
    }

    /** Wraps the role's agent so pinning happens on the agent's own thread, before onStart. */
    private final class PinningAgent implements Agent {
        private final Agent delegate;

        PinningAgent(Agent delegate) {
            this.delegate = delegate;
        }

        @Override
        public void onStart() {
            try {
                if (cpu >= 0) {
                    CpuAffinity.pinCurrentThread(cpu);
                }
                threadId.set(CpuAffinity.currentThreadId());
            } catch (Throwable t) {
                pinFailure = t;
                pinned.countDown();
                throw t;
            }
            pinned.countDown();
            delegate.onStart();
        }

        @Override
        public int doWork() throws Exception {
            return delegate.doWork();
        }

        @Override
        public void onClose() {
            delegate.onClose();
        }

        @Override
        public String roleName() {
            return delegate.roleName();
        }
    }
}
