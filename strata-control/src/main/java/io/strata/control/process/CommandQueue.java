package io.strata.control.process;

import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;

/** The bounded queue through which other threads hand work to a role process's own thread. */
public final class CommandQueue {
    public static final int DEFAULT_CAPACITY = 64 * 1024;

    private final ManyToOneConcurrentArrayQueue<Runnable> queue;

    public CommandQueue(int capacity) {
        this.queue = new ManyToOneConcurrentArrayQueue<>(capacity);
    }

    public boolean offer(Runnable task) {
        return queue.offer(task);
    }

    /** Runs up to {@code limit} queued tasks on the calling (owner) thread. */
    public int drain(int limit) {
        return queue.drain(Runnable::run, limit);
    }
}
