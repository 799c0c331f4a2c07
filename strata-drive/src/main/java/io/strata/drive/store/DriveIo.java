package io.strata.drive.store;

import java.io.IOException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.agrona.concurrent.ManyToManyConcurrentArrayQueue;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The storage engine of a drive process: stores and verifies erasure-coded chunks at the addresses
 * buckets choose, asynchronously, for one owner thread that must never block on IO.
 *
 * <p><b>On-disk layout</b> (docs/drive-format.md has every byte):
 * <pre>
 *  0      4K        64K          512K         960K  1M                       1M+R         end-4K   end
 *  | super | reserved | fence tbl A | fence tbl B | res | region 0 (R bytes) | region 1 | ... | backup |
 *  | block |          |  (448 KiB)  |  (448 KiB)  |     |                    |          |     | super  |
 *
 *  a chunk, at any 4 KiB-aligned address inside a region, wholly inside it:
 *  | header 4 KiB: identity, term, payload length, CRC32C per block, own CRC32C | payload blocks ... |
 * </pre>
 * The drive allocates nothing: buckets lease regions through the control plane and pick chunk
 * addresses in them. The drive checks that a chunk fits in one region, stores it with one IO of
 * header and payload, and on every read checks the header CRC, the chunk's identity (another
 * extent there means the space was reused: STALE) and the CRC of every block it returns; it never
 * returns data that fails a check.
 *
 * <p><b>Threads.</b> The owner (the drive process's agent thread) calls {@link #submit} and
 * {@link #poll}. A READ submitted while no other op is in flight runs on the owner's thread,
 * inside {@code submit} (its completion waits for the next {@code poll} like any other): one
 * positional read and the CRC checks take less than the two thread hand-offs it would cost
 * otherwise, which on a loaded machine (a sandbox of many processes on two CPUs) took 150-300 us
 * against about 120 us for the read itself. With other ops in flight, reads queue like the rest, so
 * a burst is spread over the IO threads and never waits behind the owner. Everything else goes
 * through a bounded queue to a few IO threads doing
 * positional reads and writes on one {@code FileChannel} (O_DIRECT when the file system allows);
 * completions come back through a second queue that {@code poll} drains. At most
 * {@code queueDepth} ops are between submit and poll, so neither queue can overflow, and
 * {@code submit} answers false when the owner must wait (back-pressure). Idle IO threads park
 * and {@code submit} unparks one; {@code completionSignal} lets an idle owner be woken the same way.
 * The interface would let io_uring replace the threads later. Never interrupt an IO thread: an
 * interrupt closes the channel for everyone.
 *
 * <p><b>Buffers.</b> A pool of aligned off-heap buffers, allocated at start-up. The owner acquires
 * a buffer, names it in an op, and releases it after the op's completion, when done with the data;
 * between submit and completion the engine borrows it. A WRITE's payload is placed in the buffer
 * after a 4 KiB gap, where the engine writes the header, so header and payload leave in one IO.
 *
 * <p><b>Durability.</b> A WRITE completes only once its data is on stable storage: an IO thread
 * issues the writes it takes until the queue runs dry (or {@code maxBatch} ops), then one
 * fdatasync covers them (and, through {@link GroupCommit}, the writes other threads landed
 * meanwhile); only then are they completed. Reads complete as soon as they are checked. Optionally the drive is opened O_DSYNC instead. After a
 * failed fdatasync no write is acknowledged any more.
 *
 * <p><b>Fencing.</b> Each write carries its bucket's leadership term; a write whose term is below
 * the highest the drive has seen for that bucket is FENCED. A higher term (or an explicit FENCE op)
 * is persisted in the fencing table before it is acknowledged, after all writes that passed the
 * check under the old term have landed; so after a new leader's FENCE completes, the old leader
 * cannot change anything on this drive, even across a restart. See {@link FencingTable}.
 */
public final class DriveIo implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(DriveIo.class);
    private static final int RUNNING = 0;
    private static final int PARKED = 1;
    private static final int SPINS_BEFORE_PARK = 50;
    /** A safety net only: {@code submit} and {@code close} unpark a parked IO thread. */
    private static final long MAX_PARK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
    private static final long JOIN_TIMEOUT_MS = 10_000;

    private final Drive drive;
    private final ChunkStore store;
    private final GroupCommit groupCommit;
    private final boolean groupCommitsWrites;
    private final int queueDepth;
    private final ManyToManyConcurrentArrayQueue<DriveOp> submissions;
    private final ManyToOneConcurrentArrayQueue<DriveOp> completions;
    private final IoBufferPool buffers;
    private final Runnable completionSignal;
    private final Worker[] workers;
    private final LongAdder[] opCounts = new LongAdder[DriveOp.Kind.values().length];
    private final LongAdder bytesWritten = new LongAdder();
    private final LongAdder bytesRead = new LongAdder();
    private final LongAdder commits = new LongAdder();
    private volatile boolean running = true;
    private final ChunkStore.Scratch ownerScratch;
    private int inFlight;
    private boolean closed;

    public DriveIo(Drive drive, DriveIoOptions options) {
        this.drive = drive;
        this.store = drive.store();
        this.groupCommit = drive.groupCommit();
        this.groupCommitsWrites = drive.durability() == DurabilityMode.FDATASYNC;
        this.queueDepth = options.queueDepth();
        this.submissions = new ManyToManyConcurrentArrayQueue<>(Math.max(2, queueDepth));
        this.completions = new ManyToOneConcurrentArrayQueue<>(Math.max(2, queueDepth));
        this.buffers = new IoBufferPool(options.bufferCount(), options.bufferBytes());
        this.completionSignal = options.completionSignal();
        this.ownerScratch = new ChunkStore.Scratch(drive.arena());
        for (int i = 0; i < opCounts.length; i++) {
            opCounts[i] = new LongAdder();
        }
        this.workers = new Worker[options.ioThreads()];
        String name = "strata-drive-io-" + drive.driveId().toString().substring(0, 8) + "-";
        for (int i = 0; i < workers.length; i++) {
            workers[i] = new Worker(name + i, options.maxBatch());
        }
        for (Worker worker : workers) {
            worker.thread.start();
        }
    }

    /**
     * Hands an op to the IO threads. False when {@code queueDepth} ops are already submitted and
     * not yet polled: poll, then try again. Owner thread only; never blocks.
     */
    public boolean submit(DriveOp op) {
        if (op.inFlight) {
            throw new IllegalStateException("op " + op.correlationId + " submitted while in flight");
        }
        if (op.kind == null) {
            throw new IllegalStateException("op " + op.correlationId + " was never prepared");
        }
        if (inFlight >= queueDepth) {
            return false;
        }
        op.inFlight = true;
        inFlight++;
        if (closed) {
            publish(op, ChunkStatus.CLOSED);
            return true;
        }
        if (op.kind == DriveOp.Kind.READ && inFlight == 1) {
            finish(op, execute(op, ownerScratch));
            return true;
        }
        if (!submissions.offer(op)) {
            throw new IllegalStateException("submission queue overflow below the queue depth");
        }
        wakeOneWorker();
        return true;
    }

    /** Delivers up to {@code limit} completions to the handler; answers how many. Owner thread only. */
    public int poll(CompletionHandler handler, int limit) {
        int delivered = 0;
        while (delivered < limit) {
            DriveOp op = completions.poll();
            if (op == null) {
                break;
            }
            op.inFlight = false;
            inFlight--;
            delivered++;
            handler.onComplete(op);
        }
        return delivered;
    }

    /** Ops submitted and not yet delivered by {@link #poll}. */
    public int inFlight() {
        return inFlight;
    }

    public boolean hasCompletions() {
        return !completions.isEmpty();
    }

    public IoBufferPool buffers() {
        return buffers;
    }

    public Drive drive() {
        return drive;
    }

    public DriveIoStats stats() {
        return new DriveIoStats(count(DriveOp.Kind.WRITE), count(DriveOp.Kind.READ), count(DriveOp.Kind.VERIFY),
                count(DriveOp.Kind.FENCE), bytesWritten.sum(), bytesRead.sum(), commits.sum(),
                groupCommit.syncCount(), groupCommit.syncNanos(), drive.headerCache().hits(), drive.headerCache().misses());
    }

    private long count(DriveOp.Kind kind) {
        return opCounts[kind.ordinal()].sum();
    }

    /**
     * Stops the IO threads after the ops they are running; ops not yet started complete as CLOSED
     * (poll them to get their buffers back). Then frees the buffer pool: buffers still held become
     * unusable. Owner thread only; does not close the drive.
     */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        boolean allStopped = true;
        for (Worker worker : workers) {
            LockSupport.unpark(worker.thread);
        }
        for (Worker worker : workers) {
            allStopped &= worker.join();
        }
        for (DriveOp op = submissions.poll(); op != null; op = submissions.poll()) {
            publish(op, ChunkStatus.CLOSED);
        }
        if (allStopped) {
            buffers.close();
        } else {
            LOG.error("{}: IO threads did not stop within {} ms; leaving their buffers allocated", drive.path(), JOIN_TIMEOUT_MS);
        }
    }

    private void wakeOneWorker() {
        for (Worker worker : workers) {
            if (worker.state.get() == PARKED && worker.state.compareAndSet(PARKED, RUNNING)) {
                LockSupport.unpark(worker.thread);
                return;
            }
        }
    }

    private ChunkStatus execute(DriveOp op, ChunkStore.Scratch scratch) {
        try {
            return store.execute(op, scratch);
        } catch (RuntimeException e) {
            LOG.error("{}: {} failed unexpectedly", drive.path(), op, e);
            return ChunkStatus.IO_ERROR;
        }
    }

    /** Counts a finished op and hands it to the owner. */
    private void finish(DriveOp op, ChunkStatus status) {
        opCounts[op.kind.ordinal()].increment();
        if (status.isOk() && op.kind == DriveOp.Kind.WRITE) {
            bytesWritten.add(op.payloadLength);
        } else if (status.isOk() && op.kind == DriveOp.Kind.READ) {
            bytesRead.add(op.readLength);
        }
        publish(op, status);
    }

    private void publish(DriveOp op, ChunkStatus status) {
        op.complete(status);
        if (!completions.offer(op)) {
            throw new IllegalStateException("completion queue overflow below the queue depth");
        }
    }

    /** One IO thread: runs ops, commits its landed writes with one sync, publishes completions. */
    private final class Worker implements Runnable {
        final Thread thread;
        final AtomicInteger state = new AtomicInteger(RUNNING);
        private final DriveOp[] landed;
        private final ChunkStore.Scratch scratch;
        private int landedCount;
        private int opsSinceFirstLanded;

        Worker(String name, int maxBatch) {
            this.landed = new DriveOp[maxBatch];
            this.scratch = new ChunkStore.Scratch(drive.arena());
            this.thread = new Thread(this, name);
            this.thread.setDaemon(true);
        }

        /**
         * Takes one op at a time, so the other threads share a burst of reads; writes that landed
         * wait for one commit, issued when the queue runs dry or after {@code maxBatch} ops.
         */
        @Override
        public void run() {
            int idleCycles = 0;
            while (running) {
                DriveOp op = submissions.poll();
                if (op != null) {
                    runOne(op);
                    idleCycles = 0;
                } else if (landedCount > 0) {
                    commitLanded();
                } else {
                    idleCycles = idle(idleCycles);
                }
            }
            if (landedCount > 0) {
                commitLanded();
            }
        }

        private void runOne(DriveOp op) {
            ChunkStatus status = execute(op, scratch);
            if (status.isOk() && op.kind == DriveOp.Kind.WRITE && groupCommitsWrites) {
                landed[landedCount++] = op;
            } else {
                finish(op, status);
                signal();
            }
            if (landedCount > 0 && ++opsSinceFirstLanded >= landed.length) {
                commitLanded();
            }
        }

        private void commitLanded() {
            commits.increment();
            ChunkStatus durable = syncLanded();
            for (int i = 0; i < landedCount; i++) {
                finish(landed[i], durable);
                landed[i] = null;
            }
            landedCount = 0;
            opsSinceFirstLanded = 0;
            signal();
        }

        private ChunkStatus syncLanded() {
            try {
                groupCommit.sync();
                return ChunkStatus.OK;
            } catch (IOException e) {
                drive.logIoError("fdatasync", e);
                return ChunkStatus.IO_ERROR;
            }
        }

        private void signal() {
            Runnable target = completionSignal;
            if (target != null) {
                target.run();
            }
        }

        /** Spins briefly, then parks until {@code submit} unparks it (or a bounded timeout passes). */
        private int idle(int idleCycles) {
            if (idleCycles < SPINS_BEFORE_PARK) {
                Thread.onSpinWait();
                return idleCycles + 1;
            }
            state.set(PARKED);
            if (submissions.isEmpty() && running) {
                LockSupport.parkNanos(this, MAX_PARK_NANOS);
            }
            state.set(RUNNING);
            return idleCycles;
        }

        boolean join() {
            try {
                thread.join(JOIN_TIMEOUT_MS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return !thread.isAlive();
        }
    }
}
