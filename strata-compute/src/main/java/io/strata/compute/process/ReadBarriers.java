package io.strata.compute.process;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntFunction;
import java.util.concurrent.Executor;

/**
 * Makes reads linearizable: a read is served from the local replica only after a read barrier
 * (Ratis's read index, cheap while the leader holds its lease) that started after the read
 * arrived has passed. Without it a leader that has just lost its bucket to another member (a
 * leadership transfer during an upgrade, a partition) would answer from a state that misses
 * writes the new leader has already acknowledged: a reader on another server would see an old
 * size or old bytes.
 *
 * <p>Reads that arrive while a barrier is in flight wait for the next one, so under load one
 * barrier serves a whole batch. Everything here runs on the process's thread.
 */
final class ReadBarriers {
    /** One read waiting for its barrier. */
    record Waiting(Runnable read, Runnable failed) {
    }

    private static final class Bucket {
        List<Waiting> inFlight;
        List<Waiting> queued = new ArrayList<>();
    }

    private final IntFunction<CompletableFuture<Void>> barrier;
    private final Executor processThread;
    private final Map<Integer, Bucket> buckets = new HashMap<>();

    /**
     * @param barrier starts a read barrier on a bucket
     * @param processThread runs the barrier's outcome on the process's thread
     */
    ReadBarriers(IntFunction<CompletableFuture<Void>> barrier, Executor processThread) {
        this.barrier = barrier;
        this.processThread = processThread;
    }

    /** Runs {@code read} once a barrier that started after this call has passed, else {@code failed}. */
    void afterBarrier(int bucket, Runnable read, Runnable failed) {
        Bucket state = buckets.computeIfAbsent(bucket, b -> new Bucket());
        state.queued.add(new Waiting(read, failed));
        if (state.inFlight == null) {
            start(bucket, state);
        }
    }

    private void start(int bucket, Bucket state) {
        List<Waiting> batch = state.queued;
        state.queued = new ArrayList<>();
        state.inFlight = batch;
        barrier.apply(bucket).whenComplete((ignored, error) -> processThread.execute(() -> {
            state.inFlight = null;
            for (Waiting waiting : batch) {
                (error == null ? waiting.read() : waiting.failed()).run();
            }
            if (!state.queued.isEmpty()) {
                start(bucket, state);
            }
        }));
    }
}
