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
    /** One read waiting for its barrier; {@code slow} runs instead when the barrier took too long. */
    record Waiting(Runnable read, Runnable failed, Runnable slow) {
    }

    /**
     * A barrier that has not passed by then is given up: its reads run {@code slow} (the caller
     * decides: a leader that still leads answers from its state as it did without barriers) so a
     * read index that never comes back cannot hold a bucket's reads forever.
     */
    static final long PATIENCE_MS = 2_000;

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

    /**
     * Runs {@code read} once a barrier that started after this call has passed, {@code failed}
     * when it was refused (this replica does not lead), {@code slow} when it took too long.
     */
    void afterBarrier(int bucket, Runnable read, Runnable failed, Runnable slow) {
        Bucket state = buckets.computeIfAbsent(bucket, b -> new Bucket());
        state.queued.add(new Waiting(read, failed, slow));
        if (state.inFlight == null) {
            start(bucket, state);
        }
    }

    private void start(int bucket, Bucket state) {
        List<Waiting> batch = state.queued;
        state.queued = new ArrayList<>();
        state.inFlight = batch;
        barrier.apply(bucket).orTimeout(PATIENCE_MS, java.util.concurrent.TimeUnit.MILLISECONDS)
                .whenComplete((ignored, error) -> processThread.execute(() -> {
            state.inFlight = null;
            boolean timedOut = error instanceof java.util.concurrent.TimeoutException
                    || error != null && error.getCause() instanceof java.util.concurrent.TimeoutException;
            for (Waiting waiting : batch) {
                (error == null ? waiting.read() : timedOut ? waiting.slow() : waiting.failed()).run();
            }
            if (!state.queued.isEmpty()) {
                start(bucket, state);
            }
        }));
    }
}
