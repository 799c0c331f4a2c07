package io.strata.compute.process;

import io.strata.compute.bucket.Attributes;
import io.strata.compute.bucket.BucketCodec;
import io.strata.compute.bucket.BucketCommand;
import io.strata.compute.bucket.CommandResult;
import io.strata.compute.bucket.CoordinatorTx;
import io.strata.compute.bucket.Errno;
import io.strata.compute.bucket.InDoubtTx;
import io.strata.compute.bucket.NamespaceOp;
import io.strata.compute.bucket.RequestOrigin;
import io.strata.compute.bucket.TxCoordinator;
import io.strata.compute.bucket.TxPhase;
import io.strata.compute.wire.BucketFrames;
import io.strata.compute.wire.BucketRequest;
import io.strata.protocol.Frame;
import io.strata.protocol.nio.Connection;
import io.strata.runtime.Json;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drives cross-bucket transactions (mkdir or rmdir of a directory in another bucket, renames and
 * links across buckets) over the network: the coordinator bucket's leader asks
 * {@link TxCoordinator} what to do next, sends prepares and decisions to the participants'
 * leaders (BUCKET_TX frames), submits its own log entries, and answers the client once every
 * participant applied the decision. A new leader resumes the transactions its log has unfinished;
 * a participant that holds a prepared transaction for long asks its coordinator how it ended.
 */
final class Transactions {
    private static final Logger LOG = LoggerFactory.getLogger(Transactions.class);
    private static final long GIVE_UP_NS = TimeUnit.SECONDS.toNanos(30);
    private static final long IN_DOUBT_AFTER_NS = TimeUnit.SECONDS.toNanos(10);
    private static final long RESEND_PAUSE_MS = 100;

    interface Done {
        void done(int errno, Attributes result);
    }

    private final ComputeService service;
    private final Map<Long, List<Done>> waiting = new HashMap<>();
    private final Map<Integer, Long> nextTxIds = new HashMap<>();

    Transactions(ComputeService service) {
        this.service = service;
    }

    private long newTxId(int bucket) {
        long fromState = service.read(bucket, s -> s.nextTxId());
        long next = Math.max(fromState, nextTxIds.getOrDefault(bucket, 0L));
        nextTxIds.put(bucket, next + 1);
        return next;
    }

    /** Begins (or joins, for a re-sent request) a transaction and answers {@code done} when it finished. */
    void run(int bucket, NamespaceOp op, RequestOrigin origin, Done done) {
        BucketCommand.TxBegin begin = new BucketCommand.TxBegin(newTxId(bucket), op, origin, op.timeNs());
        service.submit(bucket, begin, answer -> {
            if (answer.errno() != 0) {
                done.done(answer.errno() == BucketFrames.RETRY ? Errno.EBUSY : answer.errno(), null);
                return;
            }
            long txId = ((CommandResult.TxStarted) answer.result()).txId();
            boolean running = waiting.containsKey(txId);
            waiting.computeIfAbsent(txId, id -> new ArrayList<>()).add(done);
            if (!running) {
                drive(bucket, txId, new TxCoordinator.Progress(), service.context().clock().nanoTime());
            }
        });
    }

    /** Resumes the transactions a bucket's log has unfinished (called when this process became its leader). */
    void resume(int bucket) {
        for (CoordinatorTx tx : service.read(bucket, s -> s.unfinishedTransactions())) {
            if (!waiting.containsKey(tx.txId())) {
                waiting.put(tx.txId(), new ArrayList<>());
                LOG.info("bucket {} resumes transaction {} ({})", bucket, tx.txId(), tx.phase());
                drive(bucket, tx.txId(), new TxCoordinator.Progress(), service.context().clock().nanoTime());
            }
        }
    }

    private void drive(int bucket, long txId, TxCoordinator.Progress progress, long startedNs) {
        if (!service.groups().isLeader(bucket)) {
            finish(txId, Errno.EBUSY, null);
            return;
        }
        Optional<CoordinatorTx> found = service.read(bucket, s -> s.coordinatorTx(txId));
        if (found.isEmpty()) {
            finish(txId, 0, null);
            return;
        }
        CoordinatorTx tx = found.get();
        int bucketCount = service.config().dataPlane().buckets().size();
        TxCoordinator.Next next = TxCoordinator.next(tx, bucket, bucketCount, progress);
        if (!next.sends().isEmpty()) {
            if (tx.phase() == TxPhase.PREPARING && service.context().clock().nanoTime() - startedNs > GIVE_UP_NS) {
                submitOwn(bucket, txId, TxCoordinator.giveUp(tx, bucketCount, progress, Errno.EIO), progress, startedNs);
                return;
            }
            int[] outstanding = {next.sends().size()};
            for (TxCoordinator.Send send : next.sends()) {
                send(bucket, send, answer -> {
                    record(progress, send, answer);
                    if (--outstanding[0] == 0) {
                        service.context().timers().after(allAnswered(progress, next) ? 0 : RESEND_PAUSE_MS,
                                () -> drive(bucket, txId, progress, startedNs));
                    }
                });
            }
            return;
        }
        if (next.submit() != null) {
            submitOwn(bucket, txId, next.submit(), progress, startedNs);
        }
    }

    private static boolean allAnswered(TxCoordinator.Progress progress, TxCoordinator.Next next) {
        return true;
    }

    private void submitOwn(int bucket, long txId, BucketCommand command, TxCoordinator.Progress progress, long startedNs) {
        Optional<CoordinatorTx> before = service.read(bucket, s -> s.coordinatorTx(txId));
        service.submit(bucket, command, answer -> {
            if (answer.errno() != 0) {
                service.context().timers().after(RESEND_PAUSE_MS, () -> drive(bucket, txId, progress, startedNs));
                return;
            }
            if (command instanceof BucketCommand.TxFinished && before.isPresent()) {
                finish(txId, TxCoordinator.clientErrno(before.get()).orElse(0), before.get().result());
                return;
            }
            drive(bucket, txId, progress, startedNs);
        });
    }

    private void record(TxCoordinator.Progress progress, TxCoordinator.Send send, BucketStateMachine.Answer answer) {
        if (answer.errno() != 0 || answer.result() == null) {
            return; // unreachable or busy: the next round re-sends
        }
        if (send.command() instanceof BucketCommand.TxPrepare prepare) {
            progress.prepared(prepare.round(), send.bucket(), answer.result());
        } else {
            progress.acknowledged(send.bucket());
        }
    }

    /** A participant's command goes through its own leader's log (this process's, if it leads that bucket). */
    private void send(int coordinator, TxCoordinator.Send send, java.util.function.Consumer<BucketStateMachine.Answer> then) {
        if (send.bucket() == coordinator || service.groups().isLeader(send.bucket())) {
            service.submit(send.bucket(), send.command(), then);
            return;
        }
        byte[] command = BucketCodec.encode(send.command());
        ByteBuffer header = ByteBuffer.allocate(4).order(Frame.ORDER).putInt(send.bucket()).flip();
        service.peerBuckets().raw(send.bucket(), BucketFrames.BUCKET_TX, new ByteBuffer[] {header, ByteBuffer.wrap(command)},
                (status, body) -> then.accept(status == 0 ? BucketStateMachine.decode(body) : new BucketStateMachine.Answer(status, null)));
    }

    private void finish(long txId, int errno, Attributes result) {
        List<Done> callbacks = waiting.remove(txId);
        if (callbacks != null) {
            callbacks.forEach(done -> done.done(errno, result));
        }
    }

    /** Serves a participant command another bucket's coordinator sent (BUCKET_TX). */
    void participate(Connection connection, Frame frame) {
        int bucket = BucketFrames.requestBucket(frame.payload());
        if (!service.leads(bucket, connection, frame.correlationId())) {
            return;
        }
        ByteBuffer body = BucketFrames.requestBody(frame.payload());
        byte[] bytes = new byte[body.remaining()];
        body.get(bytes);
        BucketCommand command = BucketCodec.decodeCommand(bytes);
        if (!(command instanceof BucketCommand.TxPrepare || command instanceof BucketCommand.TxCommit
                || command instanceof BucketCommand.TxAbort)) {
            throw new io.strata.protocol.ProtocolException("BUCKET_TX carries a " + command.getClass().getSimpleName());
        }
        long correlationId = frame.correlationId();
        service.submit(bucket, command, answer -> {
            if (answer.errno() == BucketFrames.RETRY) {
                Replies.retry(connection, correlationId);
                return;
            }
            byte[] raw = BucketStateMachine.status(answer.errno(), answer.result() == null ? null : BucketCodec.encodeResult(answer.result()));
            connection.send(BucketFrames.BUCKET_REPLY, correlationId, null, BucketFrames.replyHeader(0, -1), ByteBuffer.wrap(raw));
        });
    }

    /** Resolves prepared transactions this bucket has held for long, by asking their coordinators. */
    void resolveInDoubt(int bucket) {
        long now = service.context().clock().nanoTime();
        long nowNs = ComputeService.nowNs();
        for (InDoubtTx tx : service.read(bucket, s -> s.preparedTransactions())) {
            if (nowNs - tx.preparedAtNs() < IN_DOUBT_AFTER_NS) {
                continue;
            }
            BucketRequest.TxPhase query = new BucketRequest.TxPhase(new BucketRequest.Caller(0, 0, 0, 0, 0), tx.txId());
            service.peerBuckets().call(query, (status, result) -> {
                if (status != 0) {
                    return;
                }
                Optional<TxPhase> phase = result == null || result.isNull() || !result.has("phase") || result.get("phase").isNull()
                        ? Optional.empty() : Optional.of(TxPhase.valueOf(result.get("phase").asText()));
                TxCoordinator.resolveInDoubt(tx, phase).ifPresent(command -> service.submit(bucket, command, answer -> { }));
            });
        }
    }

    /** A coordinator's answer to {@link BucketRequest.TxPhase}. */
    record PhaseAnswer(String phase) {
    }

    static PhaseAnswer phaseOf(io.strata.compute.bucket.BucketState state, long txId) {
        return new PhaseAnswer(state.coordinatorPhase(txId).map(Enum::name).orElse(null));
    }

    static byte[] json(Object value) {
        return Json.toBytes(value);
    }
}
