package io.strata.compute.bucket;

import java.util.TreeSet;

/**
 * The keys one prepared transaction holds in this bucket. Entry locks and inode locks are
 * exclusive. A pin is shared: it keeps an inode from being destroyed, re-parented or losing a
 * link while the transaction is prepared, without stopping writes or creates in it.
 */
final class TxLocks {
    final TreeSet<DentryKey> entries = new TreeSet<>();
    final TreeSet<Long> inodes = new TreeSet<>();
    final TreeSet<Long> pins = new TreeSet<>();

    boolean isEmpty() {
        return entries.isEmpty() && inodes.isEmpty() && pins.isEmpty();
    }
}
