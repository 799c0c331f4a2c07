package io.strata.compute.process;

import io.strata.compute.bucket.BucketCodec;
import io.strata.compute.bucket.BucketCommand;
import io.strata.compute.bucket.BucketState;
import io.strata.compute.bucket.FsException;
import io.strata.compute.client.BucketClient;
import io.strata.compute.wire.BucketFrames;
import io.strata.compute.wire.BucketRequest;
import io.strata.config.ProcessIds;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.control.process.ProcessContext;
import io.strata.control.process.ProcessService;
import io.strata.drive.client.DriveClient;
import io.strata.protocol.Frame;
import io.strata.protocol.ProtocolException;
import io.strata.protocol.nio.Connection;
import io.strata.runtime.Json;
import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A compute process: replicates its share of the buckets (a Ratis group each) and, for the buckets
 * it leads, serves the frontends: namespace operations, layouts for reads, and writes, which it
 * stripes with parity over drive processes before committing the extent to the bucket's log.
 *
 * <p>Everything here runs on the process's pinned thread except the Raft apply threads, which own
 * the bucket states ({@link BucketStateMachine}); answers from Raft come back to this thread
 * through the command queue. Work that must wait (a write's chunk writes, a transaction's
 * prepares) is a small state object whose callbacks run on this thread too.
 */
public final class ComputeService implements ProcessService {
    private static final Logger LOG = LoggerFactory.getLogger(ComputeService.class);
    private static final long RECONCILE_INTERVAL_NS = TimeUnit.MILLISECONDS.toNanos(500);

    private final Map<Integer, BucketStateMachine> machines = new ConcurrentHashMap<>();
    private ProcessContext context;
    private BucketGroups groups;
    private BucketClient peerBuckets;
    private DriveClient drives;
    private WritePath writes;
    private Transactions transactions;
    private Housekeeping housekeeping;
    private ReadBarriers readBarriers;
    private long nextReconcileNanos;

    @Override
    public void onStart(ProcessContext processContext) {
        this.context = processContext;
        this.peerBuckets = new BucketClient(processContext, 30_000);
        this.drives = new DriveClient(processContext);
    }

    ProcessContext context() {
        return context;
    }

    BucketGroups groups() {
        return groups;
    }

    DriveClient drives() {
        return drives;
    }

    BucketClient peerBuckets() {
        return peerBuckets;
    }

    Transactions transactions() {
        return transactions;
    }

    Housekeeping housekeeping() {
        return housekeeping;
    }

    ClusterConfig config() {
        return context.config().get();
    }

    int processId() {
        return context.processId().get();
    }

    /** The wall-clock time commands carry, in nanoseconds since the epoch. */
    static long nowNs() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    BucketStateMachine machine(int bucket) {
        return machines.get(bucket);
    }

    <T> T read(int bucket, Function<BucketState, T> query) {
        return machines.get(bucket).read(query);
    }

    /** Runs a read of a bucket once it is linearizable (see {@link ReadBarriers}), else {@code failed}. */
    void afterReadBarrier(int bucket, Runnable read, Runnable failed) {
        readBarriers.afterBarrier(bucket, read, failed, () -> {
            if (groups.isLeader(bucket)) {
                LOG.warn("bucket {}: no read index within {} ms; answering from this leader's state", bucket, ReadBarriers.PATIENCE_MS);
                read.run();
            } else {
                failed.run();
            }
        });
    }

    @Override
    public int doWork() {
        long now = context.clock().nanoTime();
        if (now < nextReconcileNanos) {
            return housekeeping == null ? 0 : housekeeping.poll();
        }
        nextReconcileNanos = now + RECONCILE_INTERVAL_NS;
        ClusterConfig config = config();
        if (groups == null) {
            if (processId() < 0 || !config.isCreated() || config.dataPlane().buckets().isEmpty()) {
                return 0;
            }
            start(config);
        }
        groups.reconcile(config);
        return 1 + housekeeping.poll();
    }

    private void start(ClusterConfig config) {
        ContainerEntry container = config.container(ProcessIds.containerOf(processId()));
        int bucketCount = config.dataPlane().buckets().size();
        groups = new BucketGroups(processId(), config.clusterId(),
                context.dataDir().resolve("buckets-slot" + context.slot()), container.address(),
                ProcessIds.raftPort(container.basePort(), context.slot()),
                // a replica added again (rebuilt) gets a new machine: Ratis closed the old one
                bucket -> machines.compute(bucket, (b, old) -> old == null || old.isClosed() ? new BucketStateMachine(b, bucketCount) : old));
        groups.start();
        readBarriers = new ReadBarriers(groups::readBarrier, context::execute);
        writes = new WritePath(this);
        transactions = new Transactions(this);
        housekeeping = new Housekeeping(this, writes);
        LOG.info("compute process p{} serves buckets", processId());
    }

    /** Submits a command to a bucket this process leads; the answer arrives on this thread. */
    void submit(int bucket, BucketCommand command, Consumer<BucketStateMachine.Answer> then) {
        CompletableFuture<byte[]> future = groups.submit(bucket, BucketCodec.encode(command));
        future.whenComplete((bytes, error) -> context.execute(() -> {
            if (error != null) {
                then.accept(new BucketStateMachine.Answer(BucketFrames.RETRY, null));
            } else {
                then.accept(BucketStateMachine.decode(bytes));
            }
        }));
    }

    @Override
    public void onFrame(Connection connection, Frame frame) {
        if (groups == null) {
            Replies.retry(connection, frame.correlationId());
            return;
        }
        switch (frame.type()) {
            case BucketFrames.BUCKET_REQUEST -> request(connection, frame);
            case BucketFrames.BUCKET_WRITE, BucketFrames.BUCKET_WRITE_CHECKED -> writes.write(connection, frame);
            case BucketFrames.BUCKET_TX -> transactions.participate(connection, frame);
            default -> throw new ProtocolException("a compute process serves no frame of type " + frame.type());
        }
    }

    /** True when this process leads the bucket; else answers NOT_LEADER with the leader it knows. */
    boolean leads(int bucket, Connection connection, long correlationId) {
        if (machines.containsKey(bucket) && groups.isLeader(bucket) && housekeeping.isFenced(bucket)) {
            return true;
        }
        int leader = groups.leaderOf(bucket);
        Replies.notLeader(connection, correlationId, leader == processId() ? -1 : leader);
        return false;
    }

    private void request(Connection connection, Frame frame) {
        int bucket = BucketFrames.requestBucket(frame.payload());
        ByteBuffer body = BucketFrames.requestBody(frame.payload());
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        BucketRequest request;
        try {
            request = Json.mapper().readValue(bytes, BucketRequest.class);
        } catch (java.io.IOException e) {
            throw new ProtocolException("malformed bucket request: " + e.getMessage());
        }
        if (BucketClient.bucketOf(request.routingIno()) != bucket) {
            throw new ProtocolException("a request for inode " + request.routingIno() + " sent to bucket " + bucket);
        }
        if (!leads(bucket, connection, frame.correlationId())) {
            return;
        }
        try {
            new RequestHandler(this, bucket, connection, frame.correlationId()).handle(request);
        } catch (FsException e) {
            Replies.error(connection, frame.correlationId(), e.errno());
        }
    }

    private volatile boolean handingOver;
    private volatile boolean handedOver;

    /**
     * Before this process stops on purpose: hands the leadership of every bucket it leads to
     * another member in a container that is up, so IO goes on without waiting for an election.
     */
    @Override
    public boolean drain() {
        if (groups == null) {
            return true;
        }
        if (!handingOver) {
            handingOver = true;
            ClusterConfig config = config();
            Thread.ofVirtual().name("hand-over-buckets").start(() -> {
                handOver(config);
                handedOver = true;
            });
        }
        return handedOver;
    }

    /**
     * Moves every bucket this process leads to a member in another container that is up, again
     * and again until it leads none: a member may hand a bucket back (its preferred leader is
     * this process, still up) before this process is gone.
     */
    private void handOver(ClusterConfig config) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (System.nanoTime() < deadline) {
            boolean leading = false;
            for (io.strata.config.cluster.BucketEntry bucket : config.dataPlane().buckets()) {
                if (!groups.buckets().contains(bucket.id()) || !groups.isLeader(bucket.id())) {
                    continue;
                }
                leading = true;
                for (int member : bucket.members()) {
                    ContainerEntry container = config.containers().get(ProcessIds.containerOf(member));
                    if (member != processId() && container != null && container.health() == io.strata.config.cluster.Health.UP
                            && ProcessIds.containerOf(member) != ProcessIds.containerOf(processId())) {
                        groups.transferLeadership(bucket.id(), member, 5_000);
                        break;
                    }
                }
            }
            if (!leading) {
                break;
            }
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        LOG.info("compute process p{} handed over its buckets' leadership", processId());
    }

    @Override
    public void onClose() {
        if (groups != null) {
            groups.close();
        }
    }

    @Override
    public String describe() {
        return groups == null ? "compute process (no buckets yet)" : "compute process replicating buckets " + groups.buckets();
    }
}
