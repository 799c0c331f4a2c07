package io.strata.compute.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.compute.bucket.BucketCommand.Create;
import io.strata.compute.bucket.BucketCommand.Link;
import io.strata.compute.bucket.BucketCommand.Rename;
import io.strata.compute.bucket.BucketCommand.Rmdir;
import io.strata.compute.bucket.BucketCommand.TxAbort;
import io.strata.compute.bucket.BucketCommand.TxBegin;
import io.strata.compute.bucket.BucketCommand.TxCommit;
import io.strata.compute.bucket.BucketCommand.TxDecided;
import io.strata.compute.bucket.BucketCommand.TxPrepare;
import io.strata.compute.bucket.BucketCommand.Unlink;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.TreeMap;

/**
 * A deterministic simulation of clients, buckets and the network running many transactions at
 * once, driven by one seed. Messages are delivered in random order, duplicated or lost; a bucket's
 * leader crashes between any two steps (its log state survives, its driver's memory and the
 * messages sent to it do not; sometimes a replica reinstalls from a snapshot); a coordinator may
 * give up on a transaction; participants resolve what they hold in doubt by asking the coordinator.
 * The driver here is what the lead's network driver does, reduced to its decisions.
 */
final class TxSimulation {
    private static final String[] NAMES = {"a", "b", "c", "d", "e"};

    /** A command on its way to a participant, or an answer on its way back. */
    private sealed interface Message {
        int to();
    }

    private record Request(int from, int to, BucketCommand command) implements Message {
    }

    private record Answer(int from, int to, long txId, int round, CommandResult result) implements Message {
    }

    final long seed;
    final SimCluster cluster;
    private final SplittableRandom random;
    private final List<Message> network = new ArrayList<>();
    /** Each bucket leader's volatile progress per coordinated transaction. */
    private final List<Map<Long, TxCoordinator.Progress>> drivers = new ArrayList<>();
    private final Map<Long, CoordinatorTx> decisions = new TreeMap<>();
    private long timeNs = 1_000;
    int transactionsBegun;
    int crashes;

    TxSimulation(long seed, int bucketCount) {
        this.seed = seed;
        this.random = new SplittableRandom(seed);
        this.cluster = new SimCluster(bucketCount, 11);
        for (int b = 0; b < bucketCount; b++) {
            drivers.add(new HashMap<>());
        }
    }

    void run(int steps) {
        for (int step = 0; step < steps; step++) {
            int action = random.nextInt(100);
            if (action < 30) {
                clientRequest();
            } else if (action < 75) {
                deliverOne();
            } else if (action < 85) {
                tick(random.nextInt(cluster.bucketCount));
            } else if (action < 90) {
                loseOne();
            } else if (action < 94) {
                crash(random.nextInt(cluster.bucketCount));
            } else if (action < 95) {
                giveUpOne();
            } else {
                resolveInDoubt(random.nextInt(cluster.bucketCount), false);
            }
        }
        drain();
    }

    // ------------------------------------------------------------------ clients

    private long now() {
        return timeNs += 1000;
    }

    private <T> T pick(List<T> list) {
        return list.get(random.nextInt(list.size()));
    }

    private record Named(long dir, DirEntry entry) {
    }

    private void clientRequest() {
        List<Long> dirs = new ArrayList<>();
        List<Long> files = new ArrayList<>();
        List<Named> named = new ArrayList<>();
        for (Attributes inode : cluster.allInodes().values()) {
            (inode.type() == FileType.DIR ? dirs : files).add(inode.ino());
            if (inode.type() == FileType.DIR) {
                cluster.entries(inode.ino()).forEach(entry -> named.add(new Named(inode.ino(), entry)));
            }
        }
        dirs.sort(null);
        files.sort(null);
        long dir = pick(dirs);
        String name = NAMES[random.nextInt(NAMES.length)];
        int kind = random.nextInt(8);
        if (kind >= 3 && (named.isEmpty() || random.nextInt(6) == 0)) {
            // Now and then a name that is probably not there.
            named.add(new Named(dir, new DirEntry(name, 0, FileType.FILE, 0)));
        }
        List<Named> ofKind = named.stream().filter(n -> kind == 3 ? n.entry().type() != FileType.DIR
                : kind != 4 || n.entry().type() == FileType.DIR).toList();
        Named source = ofKind.isEmpty() ? new Named(dir, new DirEntry(name, 0, FileType.FILE, 0)) : pick(ofKind);
        switch (kind) {
            case 0 -> local(dir, new Create(dir, name, FileType.FILE, 0644, 1, 1, 0, null, true, now(), RequestOrigin.NONE), null);
            case 1, 2 -> local(dir, new Create(dir, name, FileType.DIR, 0755, 1, 1, 0, null, true, now(), RequestOrigin.NONE),
                    () -> cluster.owner(dir).mkdirOp(dir, name, 0755, 1, 1, timeNs));
            case 3 -> local(source.dir(), new Unlink(source.dir(), source.entry().name(), now(), RequestOrigin.NONE),
                    () -> new NamespaceOp.Unlink(source.dir(), source.entry().name(), timeNs));
            case 4 -> local(source.dir(), new Rmdir(source.dir(), source.entry().name(), now(), RequestOrigin.NONE),
                    () -> new NamespaceOp.Rmdir(source.dir(), source.entry().name(), timeNs));
            case 5 -> {
                if (!files.isEmpty()) {
                    long file = pick(files);
                    local(dir, new Link(file, dir, name, now(), RequestOrigin.NONE),
                            () -> new NamespaceOp.Link(file, dir, name, timeNs));
                }
            }
            default -> {
                int flags = new int[] {0, 0, Rename.NOREPLACE, Rename.EXCHANGE}[random.nextInt(4)];
                long from = source.dir();
                String fromName = source.entry().name();
                local(from, new Rename(from, fromName, dir, name, flags, now(), RequestOrigin.NONE),
                        () -> new NamespaceOp.Rename(from, fromName, dir, name, flags, timeNs));
            }
        }
    }

    /** The frontend sends the request to the bucket of {@code key}; on EXDEV the leader runs a transaction. */
    private void local(long key, BucketCommand command, java.util.function.Supplier<NamespaceOp> transaction) {
        int bucket = Inodes.bucketOf(key);
        try {
            cluster.submit(bucket, command);
        } catch (FsException refusal) {
            if (refusal.errno() == Errno.EXDEV && transaction != null) {
                begin(bucket, transaction.get());
            }
        }
    }

    private void begin(int bucket, NamespaceOp op) {
        long txId = cluster.leader(bucket).nextTxId();
        cluster.submit(bucket, new TxBegin(txId, op, RequestOrigin.NONE, op.timeNs()));
        transactionsBegun++;
        drivers.get(bucket).put(txId, new TxCoordinator.Progress());
        advance(bucket, txId);
    }

    // ------------------------------------------------------------------ coordinator driver

    private TxCoordinator.Progress progress(int bucket, long txId) {
        return drivers.get(bucket).computeIfAbsent(txId, id -> new TxCoordinator.Progress());
    }

    /** Asks the coordinator what to do for one transaction and does it (decisions go into its own log at once). */
    private void advance(int bucket, long txId) {
        for (int guard = 0; guard < 100; guard++) {
            Optional<CoordinatorTx> tx = cluster.leader(bucket).coordinatorTx(txId);
            if (tx.isEmpty()) {
                drivers.get(bucket).remove(txId);
                return;
            }
            TxCoordinator.Next next = TxCoordinator.next(tx.get(), bucket, cluster.bucketCount, progress(bucket, txId));
            for (TxCoordinator.Send send : next.sends()) {
                network.add(new Request(bucket, send.bucket(), send.command()));
            }
            if (next.submit() == null) {
                return;
            }
            cluster.submit(bucket, next.submit());
            if (next.submit() instanceof TxDecided) {
                decisions.put(txId, cluster.leader(bucket).coordinatorTx(txId).orElseThrow());
            }
        }
        throw new AssertionError("seed " + seed + ": transaction " + Inodes.format(txId) + " does not settle");
    }

    /** A leader's periodic pass: resume every unfinished transaction (re-sending what is outstanding). */
    private void tick(int bucket) {
        for (CoordinatorTx tx : cluster.leader(bucket).unfinishedTransactions()) {
            advance(bucket, tx.txId());
        }
    }

    private void giveUpOne() {
        int bucket = random.nextInt(cluster.bucketCount);
        for (CoordinatorTx tx : cluster.leader(bucket).unfinishedTransactions()) {
            if (tx.phase() == TxPhase.PREPARING) {
                TxDecided decision = TxCoordinator.giveUp(tx, cluster.bucketCount, progress(bucket, tx.txId()), Errno.ETIMEDOUT);
                cluster.submit(bucket, decision);
                decisions.put(tx.txId(), cluster.leader(bucket).coordinatorTx(tx.txId()).orElseThrow());
                advance(bucket, tx.txId());
                return;
            }
        }
    }

    // ------------------------------------------------------------------ participants and network

    private void deliverOne() {
        if (network.isEmpty()) {
            return;
        }
        int index = random.nextInt(network.size());
        Message message = random.nextInt(10) == 0 ? network.get(index) : network.remove(index);
        deliver(message);
    }

    private void loseOne() {
        if (!network.isEmpty()) {
            network.remove(random.nextInt(network.size()));
        }
    }

    private void deliver(Message message) {
        switch (message) {
            case Request request -> {
                CommandResult result = cluster.submit(request.to(), request.command());
                long txId = switch (request.command()) {
                    case TxPrepare p -> p.txId();
                    case TxCommit c -> c.txId();
                    case TxAbort a -> a.txId();
                    default -> throw new IllegalStateException("unexpected " + request.command());
                };
                int round = request.command() instanceof TxPrepare p ? p.round() : -1;
                network.add(new Answer(request.to(), request.from(), txId, round, result));
            }
            case Answer answer -> {
                if (cluster.leader(answer.to()).coordinatorTx(answer.txId()).isEmpty()) {
                    return;
                }
                TxCoordinator.Progress progress = progress(answer.to(), answer.txId());
                if (answer.round() >= 0) {
                    progress.prepared(answer.round(), answer.from(), answer.result());
                } else {
                    progress.acknowledged(answer.from());
                }
                advance(answer.to(), answer.txId());
            }
        }
    }

    /** A leader dies: its driver's memory and the messages on their way to it are gone. */
    private void crash(int bucket) {
        crashes++;
        drivers.get(bucket).clear();
        network.removeIf(message -> message.to() == bucket);
        cluster.changeLeader(bucket, random.nextBoolean());
    }

    /** A participant's leader asks the coordinators of what it holds prepared. */
    private void resolveInDoubt(int bucket, boolean all) {
        for (InDoubtTx tx : cluster.leader(bucket).preparedTransactions()) {
            if (!all && random.nextBoolean()) {
                continue;
            }
            Optional<TxPhase> phase = cluster.leader(tx.coordinatorBucket()).coordinatorPhase(tx.txId());
            TxCoordinator.resolveInDoubt(tx, phase).ifPresent(command -> cluster.submit(bucket, command));
        }
    }

    /** No more faults: deliver everything, resume everything, until nothing is left in flight. */
    private void drain() {
        for (int round = 0; round < 10_000; round++) {
            while (!network.isEmpty()) {
                deliver(network.removeFirst());
            }
            boolean unfinished = false;
            for (int b = 0; b < cluster.bucketCount; b++) {
                unfinished |= !cluster.leader(b).unfinishedTransactions().isEmpty();
                tick(b);
            }
            if (!unfinished && network.isEmpty()) {
                for (int b = 0; b < cluster.bucketCount; b++) {
                    resolveInDoubt(b, true);
                }
                return;
            }
        }
        throw new AssertionError("seed " + seed + ": transactions never settle");
    }

    // ------------------------------------------------------------------ invariants

    /** Counts of decided transactions by operation and outcome, e.g. "Rename committed". */
    Map<String, Integer> outcomes() {
        Map<String, Integer> counts = new TreeMap<>();
        for (CoordinatorTx tx : decisions.values()) {
            String outcome = tx.phase() == TxPhase.COMMITTING ? "committed" : tx.errno() == 0 ? "no-op" : Errno.name(tx.errno());
            counts.merge(tx.op().getClass().getSimpleName() + " " + outcome, 1, Integer::sum);
        }
        return counts;
    }

    /** Every decided transaction took effect at all its participants or at none. */
    void checkAtomicity() {
        for (CoordinatorTx decided : decisions.values()) {
            boolean commit = decided.phase() == TxPhase.COMMITTING;
            for (int b = 0; b < cluster.bucketCount; b++) {
                Optional<Boolean> outcome = cluster.leader(b).participantCommitted(decided.txId());
                String what = "seed " + seed + ": transaction " + Inodes.format(decided.txId()) + " at bucket " + b;
                if (commit && decided.participants().contains(b)) {
                    assertThat(outcome).as(what + " (committed)").contains(true);
                } else {
                    assertThat(outcome.orElse(false)).as(what + " (aborted)").isFalse();
                }
            }
        }
        assertThat(decisions.size()).as("seed %d: every begun transaction was decided", seed).isEqualTo(transactionsBegun);
    }
}
