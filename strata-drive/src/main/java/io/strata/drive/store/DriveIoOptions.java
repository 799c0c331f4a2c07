package io.strata.drive.store;

import io.strata.runtime.StrataException;

/**
 * How a {@link DriveIo} is sized.
 *
 * @param ioThreads threads doing positional IO (each may block in the kernel)
 * @param queueDepth operations submitted and not yet polled, at most; {@code submit} answers false beyond
 * @param maxBatch ops an IO thread runs before the writes among them are committed with one fdatasync
 * @param bufferCount buffers of the pool, all allocated at start-up
 * @param bufferBytes size of each buffer: 4 KiB of chunk header plus the largest payload to write or read at once
 * @param completionSignal run by an IO thread after it published completions (say, to unpark an idle
 *     owner thread); null for none. Must be cheap and must not block.
 */
public record DriveIoOptions(
        int ioThreads,
        int queueDepth,
        int maxBatch,
        int bufferCount,
        int bufferBytes,
        Runnable completionSignal) {

    public static final int DEFAULT_BUFFER_BYTES = DriveLayout.CHUNK_HEADER_BYTES + 1024 * 1024;

    public DriveIoOptions {
        if (ioThreads < 1 || ioThreads > 64) {
            throw StrataException.invalid("io threads %d outside 1..64", ioThreads);
        }
        if (queueDepth < 1 || queueDepth > 1 << 16) {
            throw StrataException.invalid("queue depth %d outside 1..65536", queueDepth);
        }
        if (maxBatch < 1 || maxBatch > queueDepth) {
            throw StrataException.invalid("batch size %d outside 1..%d (the queue depth)", maxBatch, queueDepth);
        }
    }

    public static DriveIoOptions defaults() {
        return new DriveIoOptions(2, 64, 16, 64, DEFAULT_BUFFER_BYTES, null);
    }

    public DriveIoOptions withIoThreads(int threads) {
        return new DriveIoOptions(threads, queueDepth, maxBatch, bufferCount, bufferBytes, completionSignal);
    }

    public DriveIoOptions withQueueDepth(int depth) {
        return new DriveIoOptions(ioThreads, depth, Math.min(maxBatch, depth), bufferCount, bufferBytes, completionSignal);
    }

    public DriveIoOptions withMaxBatch(int batch) {
        return new DriveIoOptions(ioThreads, queueDepth, batch, bufferCount, bufferBytes, completionSignal);
    }

    public DriveIoOptions withBuffers(int count, int bytes) {
        return new DriveIoOptions(ioThreads, queueDepth, maxBatch, count, bytes, completionSignal);
    }

    public DriveIoOptions withCompletionSignal(Runnable signal) {
        return new DriveIoOptions(ioThreads, queueDepth, maxBatch, bufferCount, bufferBytes, signal);
    }
}
