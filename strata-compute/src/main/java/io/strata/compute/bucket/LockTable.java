package io.strata.compute.bucket;

import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Which prepared transaction holds which key, across all of them. It is an index over the
 * transactions' own {@link TxLocks} (which snapshots keep); it is rebuilt from them on restore.
 *
 * <p>What a key held by a transaction forbids to everyone else:
 * <ul>
 * <li>an entry lock: any change of that name (create, unlink, rename to or from it);
 * <li>an inode lock: any change of the inode or, for a directory, of the names in it, except
 *     open and release;
 * <li>a pin: destroying the inode, moving it to another parent, dropping one of its links.
 * </ul>
 * A refused command fails with EBUSY and changes nothing; the frontend retries it.
 */
final class LockTable {
    private final Map<DentryKey, Long> entryHolder = new HashMap<>();
    private final Map<Long, Long> inodeHolder = new HashMap<>();
    private final Map<Long, Set<Long>> pinners = new HashMap<>();

    void acquire(long txId, TxLocks locks) {
        for (DentryKey key : locks.entries) {
            entryHolder.put(key, txId);
        }
        for (long ino : locks.inodes) {
            inodeHolder.put(ino, txId);
        }
        for (long ino : locks.pins) {
            pinners.computeIfAbsent(ino, i -> new TreeSet<>()).add(txId);
        }
    }

    /** Takes an entry lock and pins its directory for {@code tx}, or refuses with EBUSY. */
    void lockEntry(long txId, TxLocks locks, long dir, String name) {
        DentryKey key = new DentryKey(dir, name);
        if (!entryFreeFor(txId, key)) {
            throw FsException.of(Errno.EBUSY, "name '%s' in %s is locked by transaction %s", name, Inodes.format(dir),
                    Inodes.format(entryHolder.get(key)));
        }
        pin(txId, locks, dir);
        locks.entries.add(key);
        entryHolder.put(key, txId);
    }

    void lockInode(long txId, TxLocks locks, long ino) {
        if (!inodeLockableBy(txId, ino)) {
            throw FsException.of(Errno.EBUSY, "inode %s is locked or pinned by another transaction", Inodes.format(ino));
        }
        locks.inodes.add(ino);
        inodeHolder.put(ino, txId);
    }

    void pin(long txId, TxLocks locks, long ino) {
        if (!pinnableBy(txId, ino)) {
            throw FsException.of(Errno.EBUSY, "inode %s is locked by transaction %s", Inodes.format(ino),
                    Inodes.format(inodeHolder.get(ino)));
        }
        locks.pins.add(ino);
        pinners.computeIfAbsent(ino, i -> new TreeSet<>()).add(txId);
    }

    void release(long txId, TxLocks locks) {
        for (DentryKey key : locks.entries) {
            entryHolder.remove(key, txId);
        }
        for (long ino : locks.inodes) {
            inodeHolder.remove(ino, txId);
        }
        for (long ino : locks.pins) {
            Set<Long> txs = pinners.get(ino);
            if (txs != null && txs.remove(txId) && txs.isEmpty()) {
                pinners.remove(ino);
            }
        }
    }

    boolean entryFreeFor(long txId, DentryKey key) {
        Long holder = entryHolder.get(key);
        return holder == null || holder == txId;
    }

    boolean inodeLockableBy(long txId, long ino) {
        Long holder = inodeHolder.get(ino);
        if (holder != null && holder != txId) {
            return false;
        }
        Set<Long> txs = pinners.get(ino);
        return txs == null || (txs.size() == 1 && txs.contains(txId));
    }

    boolean pinnableBy(long txId, long ino) {
        Long holder = inodeHolder.get(ino);
        return holder == null || holder == txId;
    }

    void requireEntryFree(long dir, String name) {
        Long holder = entryHolder.get(new DentryKey(dir, name));
        if (holder != null) {
            throw FsException.of(Errno.EBUSY, "name '%s' in %s is locked by transaction %s", name, Inodes.format(dir),
                    Inodes.format(holder));
        }
    }

    /** For commands that change an inode's attributes or a directory's names. */
    void requireWritable(long ino) {
        Long holder = inodeHolder.get(ino);
        if (holder != null) {
            throw FsException.of(Errno.EBUSY, "inode %s is locked by transaction %s", Inodes.format(ino),
                    Inodes.format(holder));
        }
    }

    /** For commands that destroy an inode, re-parent it or drop one of its links. */
    void requireRemovable(long ino) {
        requireWritable(ino);
        Set<Long> txs = pinners.get(ino);
        if (txs != null) {
            throw FsException.of(Errno.EBUSY, "inode %s is pinned by transaction %s", Inodes.format(ino),
                    Inodes.format(txs.iterator().next()));
        }
    }

    boolean isEmpty() {
        return entryHolder.isEmpty() && inodeHolder.isEmpty() && pinners.isEmpty();
    }

    int size() {
        return entryHolder.size() + inodeHolder.size() + pinners.size();
    }

    /** Every inode a lock refers to: locked or pinned inodes and directories with a locked name. */
    Set<Long> inodesInvolved() {
        Set<Long> all = new TreeSet<>(inodeHolder.keySet());
        all.addAll(pinners.keySet());
        for (DentryKey key : entryHolder.keySet()) {
            all.add(key.dir());
        }
        return all;
    }
}
