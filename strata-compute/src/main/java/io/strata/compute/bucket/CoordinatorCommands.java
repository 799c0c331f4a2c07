package io.strata.compute.bucket;

import io.strata.compute.bucket.BucketCommand.TxBegin;
import io.strata.compute.bucket.BucketCommand.TxDecided;
import java.util.List;

/**
 * The coordinator's log of its transactions: begun (preparing), decided, finished. A new leader
 * resumes every unfinished one from here with {@link TxCoordinator}. A decision that succeeded
 * is also kept in the request dedup, so a client that re-sends the request gets its result.
 */
final class CoordinatorCommands {
    private final BucketStore store;

    CoordinatorCommands(BucketStore store) {
        this.store = store;
    }

    /** Answers the transaction already running for the same request, or its remembered result. */
    CommandResult begin(TxBegin c) {
        CommandResult remembered = store.dedup.find(c.origin());
        if (remembered != null) {
            return remembered;
        }
        if (store.coordinated.containsKey(c.txId())) {
            return new CommandResult.TxStarted(c.txId());
        }
        if (!c.origin().isNone()) {
            for (CoordinatorTx tx : store.coordinated.values()) {
                if (tx.origin().equals(c.origin())) {
                    return new CommandResult.TxStarted(tx.txId());
                }
            }
        }
        if (!store.owns(c.txId()) || Inodes.counterOf(c.txId()) < store.nextTxCounter
                || Inodes.counterOf(c.txId()) >= Inodes.ROOT_FLAG) {
            throw FsException.of(Errno.EINVAL, "transaction id %s is not new in bucket %d", Inodes.format(c.txId()),
                    store.bucket);
        }
        store.nextTxCounter = Inodes.counterOf(c.txId()) + 1;
        store.coordinated.put(c.txId(),
                new CoordinatorTx(c.txId(), c.op(), c.origin(), c.timeNs(), TxPhase.PREPARING, 0, null, List.of()));
        return new CommandResult.TxStarted(c.txId());
    }

    CommandResult decided(TxDecided c) {
        CoordinatorTx tx = store.coordinated.get(c.txId());
        if (tx == null) {
            return CommandResult.DONE;
        }
        if (c.commit() && c.errno() != 0) {
            throw new IllegalStateException("transaction " + Inodes.format(c.txId()) + " committed with errno " + c.errno());
        }
        if (tx.phase() != TxPhase.PREPARING) {
            if ((tx.phase() == TxPhase.COMMITTING) != c.commit()) {
                throw new IllegalStateException("transaction " + Inodes.format(c.txId()) + " is " + tx.phase()
                        + ", cannot be decided again the other way");
            }
            return CommandResult.DONE;
        }
        store.coordinated.put(c.txId(), tx.decided(c.commit(), c.errno(), c.result(), c.participants()));
        if (c.errno() == 0) {
            store.dedup.remember(tx.origin(),
                    c.result() == null ? CommandResult.DONE : new CommandResult.AttrResult(c.result()));
        }
        return CommandResult.DONE;
    }

    CommandResult finished(long txId) {
        CoordinatorTx tx = store.coordinated.get(txId);
        if (tx != null && tx.phase() == TxPhase.PREPARING) {
            throw new IllegalStateException("transaction " + Inodes.format(txId) + " cannot finish before a decision");
        }
        store.coordinated.remove(txId);
        return CommandResult.DONE;
    }
}
