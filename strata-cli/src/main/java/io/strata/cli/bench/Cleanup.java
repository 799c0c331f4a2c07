package io.strata.cli.bench;

import io.strata.runtime.StrataException;
import java.io.PrintWriter;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Everything the bench started, undone once whatever happens: each {@link Action} runs at most
 * once, by its owner when it is done with it or, in reverse order of registration, by
 * {@link #close()} or by the shutdown hook (Ctrl-C). The hook first stops the processes the bench
 * waits on (fio), lets the bench's own thread unwind and undo what it holds, then undoes the rest.
 */
final class Cleanup implements AutoCloseable {
    /** How long the hook waits for the bench's thread to finish the step it is in (a sandbox starting, say). */
    static final long UNWIND_SECONDS = 180;

    private final PrintWriter progress;
    private final Deque<Action> actions = new ArrayDeque<>();
    private final Set<Process> processes = ConcurrentHashMap.newKeySet();
    private final CountDownLatch unwound = new CountDownLatch(1);
    private final Thread hook = new Thread(this::onShutdown, "strata-bench-cleanup");
    private volatile boolean cancelled;
    private boolean hookInstalled;

    Cleanup(PrintWriter progress) {
        this.progress = progress;
    }

    /** Something to undo; closing it undoes it now (once). */
    final class Action implements AutoCloseable {
        private final String what;
        private final Runnable undo;
        private final AtomicBoolean done = new AtomicBoolean();

        private Action(String what, Runnable undo) {
            this.what = what;
            this.undo = undo;
        }

        @Override
        public void close() {
            synchronized (Cleanup.this) {
                actions.remove(this);
            }
            if (!done.compareAndSet(false, true)) {
                return;
            }
            try {
                undo.run();
            } catch (RuntimeException e) {
                progress.println("warning: could not " + what + ": " + e.getMessage());
                progress.flush();
            }
        }

        /** Forgets the action without running it (what it would undo is already undone). */
        void discard() {
            done.set(true);
            synchronized (Cleanup.this) {
                actions.remove(this);
            }
        }
    }

    synchronized Action register(String what, Runnable undo) {
        Action action = new Action(what, undo);
        actions.push(action);
        return action;
    }

    void installHook() {
        Runtime.getRuntime().addShutdownHook(hook);
        hookInstalled = true;
    }

    void track(Process process) {
        processes.add(process);
        if (cancelled) {
            stop(process);
        }
    }

    void untrack(Process process) {
        processes.remove(process);
    }

    boolean cancelled() {
        return cancelled;
    }

    void checkNotCancelled() {
        if (cancelled) {
            throw StrataException.unavailable("interrupted");
        }
    }

    /** Undoes whatever is left, newest first; afterwards the hook has nothing to do. */
    @Override
    public void close() {
        try {
            runAll();
        } finally {
            unwound.countDown();
            if (hookInstalled) {
                try {
                    Runtime.getRuntime().removeShutdownHook(hook);
                } catch (IllegalStateException e) {
                    // the JVM is shutting down: the hook runs and finds nothing left
                }
            }
        }
    }

    private void runAll() {
        while (true) {
            Action next;
            synchronized (this) {
                next = actions.peek();
            }
            if (next == null) {
                return;
            }
            next.close();
        }
    }

    private void onShutdown() {
        cancelled = true;
        progress.println("interrupted: stopping the bench and undoing what it started...");
        progress.flush();
        processes.forEach(Cleanup::stop);
        try {
            if (!unwound.await(UNWIND_SECONDS, TimeUnit.SECONDS)) {
                progress.println("warning: the bench did not stop within " + UNWIND_SECONDS + " s; cleaning up under it");
                progress.flush();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        runAll();
        progress.println("cleaned up");
        progress.flush();
    }

    /** Stops a process: asked first, killed when it does not go within 5 s. */
    static void stop(Process process) {
        if (!process.isAlive()) {
            return;
        }
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
