package io.strata.compute.bucket;

import io.strata.compute.bucket.BucketCommand.Rename;
import io.strata.compute.bucket.NamespaceOp.Link;
import io.strata.compute.bucket.NamespaceOp.Mkdir;
import io.strata.compute.bucket.NamespaceOp.Rmdir;
import io.strata.compute.bucket.NamespaceOp.Unlink;
import io.strata.compute.bucket.TxOp.AdjustNlink;
import io.strata.compute.bucket.TxOp.CreateInode;
import io.strata.compute.bucket.TxOp.DeleteDirectory;
import io.strata.compute.bucket.TxOp.DeleteEntry;
import io.strata.compute.bucket.TxOp.GuardAncestors;
import io.strata.compute.bucket.TxOp.LockEntry;
import io.strata.compute.bucket.TxOp.PutEntry;
import io.strata.compute.bucket.TxOp.SetParent;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Turns a namespace operation into rounds of participant ops: a pure function of the operation and
 * the answers of the rounds before.
 *
 * <p>What a participant finds (which inode a name holds, which inode number it allocated, where an
 * ancestor chain leaves its bucket) shapes the next round, so an operation runs as a few rounds of
 * prepares, each locking what the next relies on, and only then a commit that carries nothing. Early
 * rounds inspect and lock ({@link LockEntry}, {@link GuardAncestors}); the last round holds the
 * changes. Participants remember each round's answers, so a new coordinator leader that re-sends
 * every round from the first gets the same answers and rebuilds the same plan: the coordinator's
 * log needs only the operation.
 *
 * <ul>
 * <li>mkdir: create the inode in the new directory's bucket; then add the name.
 * <li>rmdir, unlink: lock the name (learning its inode); then remove the name and delete the
 *     directory, or drop one link of the inode.
 * <li>link: add one link to the inode (learning its type); then add the name.
 * <li>rename: lock both names; for a directory that changes parent, guard the new parent's
 *     ancestors up to the root, one bucket hop per round (pinned so no concurrent rename can make a
 *     cycle); then remove or swap the names, drop the replaced inode and move parent pointers.
 * </ul>
 */
public final class TxPlanner {
    /** Deeper than this many bucket hops from the root, a directory move is refused. */
    static final int MAX_GUARD_ROUNDS = 4096;

    public sealed interface Step {
    }

    /** Prepare round {@code number}: these ops, by bucket. */
    public record Round(int number, SortedMap<Integer, List<TxOp>> opsByBucket) implements Step {
    }

    /**
     * The outcome: commit, or abort with {@code errno} (0 for an abort that is a successful no-op).
     * {@code result} is the attributes a mkdir or link answers.
     */
    public record Decision(boolean commit, int errno, Attributes result) implements Step {
        static Decision abort(int errno) {
            return new Decision(false, errno, null);
        }
    }

    private record Slot(int bucket, int index) {
    }

    private static final class RoundBuilder {
        private final TreeMap<Integer, List<TxOp>> ops = new TreeMap<>();

        Slot add(long key, TxOp op) {
            int bucket = Inodes.bucketOf(key);
            return addTo(bucket, op);
        }

        Slot addTo(int bucket, TxOp op) {
            List<TxOp> list = ops.computeIfAbsent(bucket, b -> new ArrayList<>());
            list.add(op);
            return new Slot(bucket, list.size() - 1);
        }

        Round round(int number) {
            TreeMap<Integer, List<TxOp>> frozen = new TreeMap<>();
            ops.forEach((bucket, list) -> frozen.put(bucket, List.copyOf(list)));
            return new Round(number, Collections.unmodifiableSortedMap(frozen));
        }
    }

    private TxPlanner() {
    }

    /**
     * The next step of {@code op}, given the answers of every round so far ({@code answers.get(k)}
     * holds round k's answers by bucket, each list in the order of that bucket's ops).
     */
    public static Step next(NamespaceOp op, int bucketCount, List<Map<Integer, List<TxAnswer>>> answers) {
        return switch (op) {
            case Mkdir m -> mkdir(m, bucketCount, answers);
            case Rmdir r -> rmdir(r, answers);
            case Unlink u -> unlink(u, answers);
            case Link l -> link(l, answers);
            case NamespaceOp.Rename r -> RenamePlan.next(r, answers);
        };
    }

    private static Step mkdir(Mkdir m, int bucketCount, List<Map<Integer, List<TxAnswer>>> answers) {
        RoundBuilder first = new RoundBuilder();
        Slot created = first.addTo(Inodes.directoryBucket(m.parent(), m.name(), bucketCount),
                new CreateInode(m.fsId(), FileType.DIR, m.mode(), m.uid(), m.gid(), 0, null, m.parent()));
        if (answers.isEmpty()) {
            return first.round(0);
        }
        Attributes directory = attributes(answers, 0, created);
        if (answers.size() == 1) {
            RoundBuilder second = new RoundBuilder();
            second.add(m.parent(), new PutEntry(m.parent(), m.name(), directory.ino(), FileType.DIR, 0));
            return second.round(1);
        }
        return new Decision(true, 0, directory);
    }

    private static Step rmdir(Rmdir r, List<Map<Integer, List<TxAnswer>>> answers) {
        RoundBuilder first = new RoundBuilder();
        Slot entry = first.add(r.parent(), new LockEntry(r.parent(), r.name()));
        if (answers.isEmpty()) {
            return first.round(0);
        }
        TxAnswer found = at(answers, 0, entry);
        if (!(found instanceof TxAnswer.EntryFound child)) {
            return Decision.abort(Errno.ENOENT);
        }
        if (child.type() != FileType.DIR) {
            return Decision.abort(Errno.ENOTDIR);
        }
        if (answers.size() == 1) {
            RoundBuilder second = new RoundBuilder();
            second.add(r.parent(), new DeleteEntry(r.parent(), r.name(), child.ino()));
            second.add(child.ino(), new DeleteDirectory(child.ino()));
            return second.round(1);
        }
        return new Decision(true, 0, null);
    }

    private static Step unlink(Unlink u, List<Map<Integer, List<TxAnswer>>> answers) {
        RoundBuilder first = new RoundBuilder();
        Slot entry = first.add(u.parent(), new LockEntry(u.parent(), u.name()));
        if (answers.isEmpty()) {
            return first.round(0);
        }
        TxAnswer found = at(answers, 0, entry);
        if (!(found instanceof TxAnswer.EntryFound child)) {
            return Decision.abort(Errno.ENOENT);
        }
        if (child.type() == FileType.DIR) {
            return Decision.abort(Errno.EISDIR);
        }
        if (answers.size() == 1) {
            RoundBuilder second = new RoundBuilder();
            second.add(u.parent(), new DeleteEntry(u.parent(), u.name(), child.ino()));
            second.add(child.ino(), new AdjustNlink(child.ino(), -1));
            return second.round(1);
        }
        return new Decision(true, 0, null);
    }

    private static Step link(Link l, List<Map<Integer, List<TxAnswer>>> answers) {
        RoundBuilder first = new RoundBuilder();
        Slot adjusted = first.add(l.ino(), new AdjustNlink(l.ino(), 1));
        if (answers.isEmpty()) {
            return first.round(0);
        }
        Attributes linked = attributes(answers, 0, adjusted);
        if (answers.size() == 1) {
            RoundBuilder second = new RoundBuilder();
            second.add(l.newParent(), new PutEntry(l.newParent(), l.newName(), l.ino(), linked.type(), 0));
            return second.round(1);
        }
        return new Decision(true, 0, linked);
    }

    private static TxAnswer at(List<Map<Integer, List<TxAnswer>>> answers, int round, Slot slot) {
        List<TxAnswer> ofBucket = answers.get(round).get(slot.bucket());
        if (ofBucket == null || ofBucket.size() <= slot.index()) {
            throw new IllegalStateException("round " + round + " has no answer " + slot.index() + " from bucket " + slot.bucket());
        }
        return ofBucket.get(slot.index());
    }

    private static Attributes attributes(List<Map<Integer, List<TxAnswer>>> answers, int round, Slot slot) {
        if (!(at(answers, round, slot) instanceof TxAnswer.InodeAttributes found)) {
            throw new IllegalStateException("round " + round + " answered " + at(answers, round, slot) + ", not attributes");
        }
        return found.attributes();
    }

    /** Rename's rounds: lock both names, guard ancestor chains, then change. */
    private static final class RenamePlan {
        private RenamePlan() {
        }

        /** An ancestor chain being guarded: the next directory to guard (0 once the root is reached). */
        private static final class Chain {
            long next;
            final long forbidden;

            Chain(long start, long forbidden) {
                this.next = start;
                this.forbidden = forbidden;
            }
        }

        static Step next(NamespaceOp.Rename r, List<Map<Integer, List<TxAnswer>>> answers) {
            boolean sameName = r.parent() == r.newParent() && r.name().equals(r.newName());
            RoundBuilder first = new RoundBuilder();
            Slot sourceSlot = first.add(r.parent(), new LockEntry(r.parent(), r.name()));
            Slot targetSlot = sameName ? sourceSlot : first.add(r.newParent(), new LockEntry(r.newParent(), r.newName()));
            if (answers.isEmpty()) {
                return first.round(0);
            }
            if (!(at(answers, 0, sourceSlot) instanceof TxAnswer.EntryFound source)) {
                return Decision.abort(Errno.ENOENT);
            }
            TxAnswer.EntryFound target = at(answers, 0, targetSlot) instanceof TxAnswer.EntryFound found ? found : null;
            Decision refusal = check(r, source, target);
            if (refusal != null) {
                return refusal;
            }
            List<Chain> chains = chains(r, source, target);
            int round = 1;
            while (anyOpen(chains)) {
                if (round > MAX_GUARD_ROUNDS) {
                    return Decision.abort(Errno.EINVAL);
                }
                RoundBuilder guards = new RoundBuilder();
                List<Slot> slots = new ArrayList<>();
                for (Chain chain : chains) {
                    slots.add(chain.next == 0 ? null : guards.add(chain.next, new GuardAncestors(chain.next, chain.forbidden)));
                }
                if (answers.size() == round) {
                    return guards.round(round);
                }
                for (int i = 0; i < chains.size(); i++) {
                    if (slots.get(i) != null) {
                        chains.get(i).next = ((TxAnswer.Guarded) at(answers, round, slots.get(i))).nextAncestor();
                    }
                }
                round++;
            }
            if (answers.size() == round) {
                return changes(r, source, target).round(round);
            }
            return new Decision(true, 0, null);
        }

        private static Decision check(NamespaceOp.Rename r, TxAnswer.EntryFound source, TxAnswer.EntryFound target) {
            if (target != null && target.ino() == source.ino()) {
                return Decision.abort(0);
            }
            if (r.flags() == Rename.NOREPLACE && target != null) {
                return Decision.abort(Errno.EEXIST);
            }
            if (r.flags() == Rename.EXCHANGE) {
                return target == null ? Decision.abort(Errno.ENOENT) : null;
            }
            if (r.flags() != 0) {
                return Decision.abort(Errno.EINVAL);
            }
            if (target != null && source.type() == FileType.DIR && target.type() != FileType.DIR) {
                return Decision.abort(Errno.ENOTDIR);
            }
            if (target != null && source.type() != FileType.DIR && target.type() == FileType.DIR) {
                return Decision.abort(Errno.EISDIR);
            }
            return null;
        }

        private static List<Chain> chains(NamespaceOp.Rename r, TxAnswer.EntryFound source, TxAnswer.EntryFound target) {
            List<Chain> chains = new ArrayList<>(2);
            if (r.parent() == r.newParent()) {
                return chains;
            }
            if (source.type() == FileType.DIR) {
                chains.add(new Chain(r.newParent(), source.ino()));
            }
            if (r.flags() == Rename.EXCHANGE && target.type() == FileType.DIR) {
                chains.add(new Chain(r.parent(), target.ino()));
            }
            return chains;
        }

        private static boolean anyOpen(List<Chain> chains) {
            for (Chain chain : chains) {
                if (chain.next != 0) {
                    return true;
                }
            }
            return false;
        }

        private static RoundBuilder changes(NamespaceOp.Rename r, TxAnswer.EntryFound source, TxAnswer.EntryFound target) {
            RoundBuilder last = new RoundBuilder();
            boolean moves = r.parent() != r.newParent();
            if (r.flags() == Rename.EXCHANGE) {
                last.add(r.parent(), new PutEntry(r.parent(), r.name(), target.ino(), target.type(), source.ino()));
                last.add(r.newParent(), new PutEntry(r.newParent(), r.newName(), source.ino(), source.type(), target.ino()));
                if (moves && target.type() == FileType.DIR) {
                    last.add(target.ino(), new SetParent(target.ino(), r.newParent(), r.parent()));
                }
            } else {
                last.add(r.parent(), new DeleteEntry(r.parent(), r.name(), source.ino()));
                last.add(r.newParent(), new PutEntry(r.newParent(), r.newName(), source.ino(), source.type(),
                        target == null ? 0 : target.ino()));
                if (target != null) {
                    last.add(target.ino(), target.type() == FileType.DIR ? new DeleteDirectory(target.ino())
                            : new AdjustNlink(target.ino(), -1));
                }
            }
            if (moves && source.type() == FileType.DIR) {
                last.add(source.ino(), new SetParent(source.ino(), r.parent(), r.newParent()));
            }
            return last;
        }
    }
}
