package io.strata.compute.bucket;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Buckets of three replicas each, every command going through the binary codec into a log that
 * all replicas apply: replicas must agree on every result and end byte-identical. Replica
 * {@code leaderOf[b]} answers reads.
 */
final class SimCluster {
    static final int REPLICAS = 3;

    final int bucketCount;
    final int fsId;
    final long root;
    private final BucketState[][] replicas;
    private final int[] leaderOf;
    private final List<List<byte[]>> logs = new ArrayList<>();

    SimCluster(int bucketCount, int fsId) {
        this.bucketCount = bucketCount;
        this.fsId = fsId;
        this.replicas = new BucketState[bucketCount][REPLICAS];
        this.leaderOf = new int[bucketCount];
        for (int b = 0; b < bucketCount; b++) {
            for (int r = 0; r < REPLICAS; r++) {
                replicas[b][r] = BucketState.create(b, bucketCount);
            }
            logs.add(new ArrayList<>());
        }
        this.root = Inodes.rootIno(fsId, bucketCount);
        submit(Inodes.bucketOf(root), new BucketCommand.CreateRoot(fsId, 0755, 0, 0, 1));
    }

    BucketState leader(int bucket) {
        return replicas[bucket][leaderOf[bucket]];
    }

    BucketState owner(long ino) {
        return leader(Inodes.bucketOf(ino));
    }

    /** Appends a command to a bucket's log; every replica applies it and must answer alike. */
    CommandResult submit(int bucket, BucketCommand command) {
        byte[] bytes = BucketCodec.encode(command);
        logs.get(bucket).add(bytes);
        Object first = null;
        for (int r = 0; r < REPLICAS; r++) {
            Object outcome;
            try {
                outcome = replicas[bucket][r].apply(BucketCodec.decodeCommand(bytes));
            } catch (FsException refusal) {
                outcome = refusal;
            }
            if (r == 0) {
                first = outcome;
            } else if (first instanceof FsException refusal) {
                assertThat(outcome).isInstanceOfSatisfying(FsException.class, e -> assertThat(e.errno()).isEqualTo(refusal.errno()));
            } else {
                assertThat(outcome).as("replica %d of bucket %d on %s", r, bucket, command).isEqualTo(first);
            }
        }
        if (first instanceof FsException refusal) {
            throw refusal;
        }
        return (CommandResult) first;
    }

    /** A new leader; optionally one replica catches up from another's snapshot instead of the log. */
    void changeLeader(int bucket, boolean reinstallFromSnapshot) {
        leaderOf[bucket] = (leaderOf[bucket] + 1) % REPLICAS;
        if (reinstallFromSnapshot) {
            int lagging = (leaderOf[bucket] + 1) % REPLICAS;
            replicas[bucket][lagging] = BucketState.restore(leader(bucket).snapshot());
        }
    }

    void checkReplicasIdentical(String context) {
        for (int b = 0; b < bucketCount; b++) {
            byte[] expected = replicas[b][0].snapshot();
            for (int r = 1; r < REPLICAS; r++) {
                assertThat(replicas[b][r].snapshot()).as("%s: replica %d of bucket %d", context, r, b).isEqualTo(expected);
            }
        }
    }

    /** A name under {@code parent} whose directory would live in {@code bucket}. */
    String nameIn(long parent, String prefix, int bucket) {
        for (int i = 0; ; i++) {
            String name = prefix + i;
            if (Inodes.directoryBucket(parent, name, bucketCount) == bucket) {
                return name;
            }
        }
    }

    /** The outcome of a namespace request: its errno (0 on success) and attributes when it answers some. */
    record Outcome(int errno, Attributes attributes) {
    }

    /**
     * Runs a transaction start to end with no faults, delivering every message at once, as a
     * reference for what the lead's driver does.
     */
    Outcome transact(int coordinator, NamespaceOp op, RequestOrigin origin) {
        CommandResult started = submit(coordinator, new BucketCommand.TxBegin(leader(coordinator).nextTxId(), op, origin, op.timeNs()));
        if (!(started instanceof CommandResult.TxStarted(long txId))) {
            return new Outcome(0, started instanceof CommandResult.AttrResult(Attributes a) ? a : null);
        }
        Run run = new Run(coordinator, txId);
        for (int step = 0; step < 10_000 && run.outcome == null; step++) {
            run.step(run.next());
        }
        if (run.outcome == null) {
            throw new AssertionError("transaction " + Inodes.format(txId) + " did not finish");
        }
        return run.outcome;
    }

    /** Starts a transaction to be stepped by hand. */
    Run begin(int coordinator, NamespaceOp op) {
        long txId = leader(coordinator).nextTxId();
        submit(coordinator, new BucketCommand.TxBegin(txId, op, RequestOrigin.NONE, op.timeNs()));
        return new Run(coordinator, txId);
    }

    /** One transaction driven step by step: look at what comes next, then do it. */
    final class Run {
        final int coordinator;
        final long txId;
        final TxCoordinator.Progress progress = new TxCoordinator.Progress();
        Outcome outcome;

        Run(int coordinator, long txId) {
            this.coordinator = coordinator;
            this.txId = txId;
        }

        TxCoordinator.Next next() {
            return TxCoordinator.next(leader(coordinator).coordinatorTx(txId).orElseThrow(), coordinator, bucketCount, progress);
        }

        void step(TxCoordinator.Next next) {
            CoordinatorTx tx = leader(coordinator).coordinatorTx(txId).orElseThrow();
            for (TxCoordinator.Send send : next.sends()) {
                CommandResult answer = submit(send.bucket(), send.command());
                if (send.command() instanceof BucketCommand.TxPrepare prepare) {
                    progress.prepared(prepare.round(), send.bucket(), answer);
                } else {
                    progress.acknowledged(send.bucket());
                }
            }
            if (next.submit() != null) {
                submit(coordinator, next.submit());
                if (next.submit() instanceof BucketCommand.TxFinished) {
                    outcome = new Outcome(tx.errno(), tx.result());
                }
            }
        }

        Outcome finish() {
            for (int step = 0; step < 10_000 && outcome == null; step++) {
                step(next());
            }
            return outcome;
        }
    }

    /** Every inode of every bucket, by number. */
    Map<Long, Attributes> allInodes() {
        Map<Long, Attributes> all = new TreeMap<>();
        for (int b = 0; b < bucketCount; b++) {
            for (long ino : leader(b).inodeNumbers()) {
                all.put(ino, leader(b).getattr(ino));
            }
        }
        return all;
    }

    List<DirEntry> entries(long dir) {
        List<DirEntry> all = new ArrayList<>();
        long cookie = 0;
        while (true) {
            List<DirEntry> page = owner(dir).readdir(dir, cookie, 500);
            if (page.isEmpty()) {
                return all;
            }
            all.addAll(page);
            cookie = page.getLast().cookie();
        }
    }

    /**
     * The namespace is one consistent tree: no name points at a missing inode or names the wrong
     * type; a file's nlink counts its names; a directory has exactly one name, in its parent, and
     * 2 + subdirectories links; every directory reaches the root; no inode is unreachable; no lock,
     * prepared or unfinished transaction is left.
     */
    void checkNamespace(String context) {
        Map<Long, Attributes> inodes = allInodes();
        Map<Long, Integer> names = new HashMap<>();
        Map<Long, Long> nameParent = new HashMap<>();
        for (Attributes dir : inodes.values()) {
            if (dir.type() != FileType.DIR) {
                continue;
            }
            int subdirectories = 0;
            for (DirEntry entry : entries(dir.ino())) {
                Attributes target = inodes.get(entry.ino());
                assertThat(target).as("%s: '%s' in %s points at missing %s", context, entry.name(), Inodes.format(dir.ino()),
                        Inodes.format(entry.ino())).isNotNull();
                assertThat(entry.type()).as("%s: type of '%s'", context, entry.name()).isEqualTo(target.type());
                names.merge(entry.ino(), 1, Integer::sum);
                nameParent.put(entry.ino(), dir.ino());
                if (entry.type() == FileType.DIR) {
                    subdirectories++;
                }
            }
            assertThat(dir.nlink()).as("%s: nlink of directory %s", context, Inodes.format(dir.ino())).isEqualTo(2 + subdirectories);
        }
        for (Attributes inode : inodes.values()) {
            String what = context + ": inode " + Inodes.format(inode.ino());
            if (inode.ino() == root) {
                assertThat(names.getOrDefault(inode.ino(), 0)).as(what).isZero();
                continue;
            }
            if (inode.type() == FileType.DIR) {
                assertThat(names.get(inode.ino())).as(what + " names").isEqualTo(1);
                assertThat(nameParent.get(inode.ino())).as(what + " parent").isEqualTo(inode.parent());
                assertReachesRoot(inode, inodes, what);
            } else {
                assertThat(names.getOrDefault(inode.ino(), 0)).as(what + " names").isEqualTo(inode.nlink()).isPositive();
            }
        }
        for (int b = 0; b < bucketCount; b++) {
            assertThat(leader(b).lockedKeyCount()).as("%s: locks in bucket %d", context, b).isZero();
            assertThat(leader(b).preparedTransactions()).as("%s: prepared in bucket %d", context, b).isEmpty();
            assertThat(leader(b).unfinishedTransactions()).as("%s: unfinished in bucket %d", context, b).isEmpty();
        }
        checkReplicasIdentical(context);
    }

    private void assertReachesRoot(Attributes dir, Map<Long, Attributes> inodes, String what) {
        long current = dir.ino();
        for (int steps = 0; steps <= inodes.size(); steps++) {
            if (current == root) {
                return;
            }
            Attributes at = inodes.get(current);
            assertThat(at).as(what + ": ancestor " + Inodes.format(current) + " exists").isNotNull();
            current = at.parent();
        }
        throw new AssertionError(what + ": parent pointers form a cycle");
    }
}
