package io.strata.compute.bucket;

import java.util.List;
import java.util.TreeMap;

/** A transaction this bucket has prepared: its rounds (ops and answers), its locks, the inodes it will create. */
final class PreparedTx {
    record Round(List<TxOp> ops, List<TxAnswer> answers, long timeNs) {
    }

    final long txId;
    final int coordinatorBucket;
    final long preparedAtNs;
    final TreeMap<Integer, Round> rounds = new TreeMap<>();
    final TxLocks locks = new TxLocks();
    final TreeMap<Long, Inode> createdInodes = new TreeMap<>();

    PreparedTx(long txId, int coordinatorBucket, long preparedAtNs) {
        this.txId = txId;
        this.coordinatorBucket = coordinatorBucket;
        this.preparedAtNs = preparedAtNs;
    }
}
