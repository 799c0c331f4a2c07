package io.strata.compute.bucket;

import io.strata.compute.bucket.BucketCommand.TxAbort;
import io.strata.compute.bucket.BucketCommand.TxCommit;
import io.strata.compute.bucket.BucketCommand.TxDecided;
import io.strata.compute.bucket.BucketCommand.TxFinished;
import io.strata.compute.bucket.BucketCommand.TxPrepare;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * What the coordinator's leader does next for one transaction, from the transaction as its log
 * holds it ({@link CoordinatorTx}) and the answers it has collected since it became leader
 * ({@link Progress}, volatile: a new leader starts with an empty one).
 *
 * <p>The driver (network, retries, timers) lives with the lead; it loops: ask {@link #next}, send
 * what it says to other buckets (a participant that is this bucket gets the command through the
 * own log like any other), submit what it says to the own log, record each answer in the
 * progress, ask again. The rules it follows:
 * <ul>
 * <li>PREPARING: re-send each round's prepares until every participant of the round answered
 *     (answers are idempotent, so after a crash everything is simply sent again from round 0); the
 *     first refusal, or the planner's decision, is submitted as {@link TxDecided}. A driver that
 *     waited too long may submit {@link #giveUp} instead.
 * <li>COMMITTING / ABORTING: send the decision to every participant until each acknowledged, then
 *     submit {@link TxFinished}. Answer the client once finished (every participant applied it).
 * <li>A participant that holds a prepared transaction for long asks the coordinator bucket for
 *     its phase and resolves it with {@link #resolveInDoubt}; an unknown transaction is presumed
 *     aborted (a coordinator forgets a transaction only after every participant it knew
 *     acknowledged the decision).
 * </ul>
 */
public final class TxCoordinator {
    private TxCoordinator() {
    }

    /** The answers and acknowledgements one leader has received for one transaction. */
    public static final class Progress {
        private final TreeMap<Integer, TreeMap<Integer, CommandResult>> prepareResults = new TreeMap<>();
        private final TreeSet<Integer> acknowledged = new TreeSet<>();

        /** Records a participant's answer to a prepare of {@code round} (a later duplicate is ignored). */
        public void prepared(int round, int bucket, CommandResult result) {
            if (!(result instanceof CommandResult.TxPrepared) && !(result instanceof CommandResult.TxRefused)) {
                throw new IllegalArgumentException("a prepare answers TxPrepared or TxRefused, not " + result);
            }
            prepareResults.computeIfAbsent(round, r -> new TreeMap<>()).putIfAbsent(bucket, result);
        }

        /** Records that {@code bucket} applied the decision. */
        public void acknowledged(int bucket) {
            acknowledged.add(bucket);
        }

        CommandResult result(int round, int bucket) {
            TreeMap<Integer, CommandResult> ofRound = prepareResults.get(round);
            return ofRound == null ? null : ofRound.get(bucket);
        }
    }

    public record Send(int bucket, BucketCommand command) {
    }

    /** Commands to send to participants, and at most one to submit to the coordinator's own log. */
    public record Next(List<Send> sends, BucketCommand submit) {
        public Next {
            sends = List.copyOf(sends);
        }
    }

    public static Next next(CoordinatorTx tx, int coordinatorBucket, int bucketCount, Progress progress) {
        if (tx.phase() == TxPhase.PREPARING) {
            return preparing(tx, coordinatorBucket, bucketCount, progress);
        }
        List<Send> sends = new ArrayList<>();
        for (int bucket : tx.participants()) {
            if (!progress.acknowledged.contains(bucket)) {
                sends.add(new Send(bucket, tx.phase() == TxPhase.COMMITTING ? new TxCommit(tx.txId()) : new TxAbort(tx.txId())));
            }
        }
        return new Next(sends, sends.isEmpty() ? new TxFinished(tx.txId()) : null);
    }

    /** Aborts a transaction still preparing (a participant is unreachable for too long). */
    public static TxDecided giveUp(CoordinatorTx tx, int bucketCount, Progress progress, int errno) {
        if (tx.phase() != TxPhase.PREPARING) {
            throw new IllegalStateException("transaction " + Inodes.format(tx.txId()) + " is decided already");
        }
        Walk walk = walk(tx, bucketCount, progress);
        return new TxDecided(tx.txId(), false, errno, null, List.copyOf(walk.participants));
    }

    /**
     * How a participant resolves a transaction it holds prepared, from its coordinator's phase
     * (empty: the coordinator has no record of it). Empty when it must go on waiting.
     */
    public static Optional<BucketCommand> resolveInDoubt(InDoubtTx tx, Optional<TxPhase> coordinatorPhase) {
        if (coordinatorPhase.isEmpty() || coordinatorPhase.get() == TxPhase.ABORTING) {
            return Optional.of(new TxAbort(tx.txId()));
        }
        if (coordinatorPhase.get() == TxPhase.COMMITTING) {
            return Optional.of(new TxCommit(tx.txId()));
        }
        return Optional.empty();
    }

    /** The errno a client gets once the transaction is decided (0 for success), or empty while preparing. */
    public static Optional<Integer> clientErrno(CoordinatorTx tx) {
        return tx.phase() == TxPhase.PREPARING ? Optional.empty() : Optional.of(tx.errno());
    }

    private static Next preparing(CoordinatorTx tx, int coordinatorBucket, int bucketCount, Progress progress) {
        Walk walk = walk(tx, bucketCount, progress);
        List<Integer> participants = List.copyOf(walk.participants);
        if (walk.refusalErrno != 0) {
            return new Next(List.of(), new TxDecided(tx.txId(), false, walk.refusalErrno, null, participants));
        }
        if (walk.step instanceof TxPlanner.Decision decision) {
            return new Next(List.of(),
                    new TxDecided(tx.txId(), decision.commit(), decision.errno(), decision.result(), participants));
        }
        TxPlanner.Round round = (TxPlanner.Round) walk.step;
        List<Send> sends = new ArrayList<>();
        round.opsByBucket().forEach((bucket, ops) -> {
            if (progress.result(round.number(), bucket) == null) {
                sends.add(new Send(bucket, new TxPrepare(tx.txId(), coordinatorBucket, round.number(), ops, tx.op().timeNs())));
            }
        });
        return new Next(sends, null);
    }

    /** Where the rounds stand: the first round not fully answered (or the decision), and who took part. */
    private static final class Walk {
        TxPlanner.Step step;
        int refusalErrno;
        final TreeSet<Integer> participants = new TreeSet<>();
    }

    private static Walk walk(CoordinatorTx tx, int bucketCount, Progress progress) {
        Walk walk = new Walk();
        List<Map<Integer, List<TxAnswer>>> answers = new ArrayList<>();
        while (true) {
            walk.step = TxPlanner.next(tx.op(), bucketCount, answers);
            if (!(walk.step instanceof TxPlanner.Round round)) {
                return walk;
            }
            walk.participants.addAll(round.opsByBucket().keySet());
            TreeMap<Integer, List<TxAnswer>> roundAnswers = new TreeMap<>();
            boolean complete = true;
            for (int bucket : round.opsByBucket().keySet()) {
                CommandResult result = progress.result(round.number(), bucket);
                if (result instanceof CommandResult.TxRefused refused) {
                    walk.refusalErrno = refused.errno();
                    return walk;
                }
                if (result instanceof CommandResult.TxPrepared prepared) {
                    roundAnswers.put(bucket, prepared.answers());
                } else {
                    complete = false;
                }
            }
            if (!complete) {
                return walk;
            }
            answers.add(roundAnswers);
        }
    }
}
