package io.strata.drive.store;

import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.zip.CRC32C;
import org.agrona.collections.Long2LongHashMap;

/**
 * The highest leadership term the drive has seen for each bucket, in memory and on disk.
 *
 * <p>Writes hold the read lock from their term check to the end of their positional write; raising
 * a term takes the write lock. So a FENCE (or a write with a new term) waits until every write that
 * passed the check under the old term has landed, then persists the new table (to the copy not
 * holding the current one, then fdatasync, which also flushes those writes), and only then
 * answers. After a FENCE of term T is acknowledged, no write of a lower term reaches the drive, and
 * a restart still knows T. Terms change on leadership changes only, so the write lock is rare.
 *
 * <p>On disk: two copies (A, B) in the header area; each write goes to the copy not holding the
 * newest valid table, with a higher generation, so a torn write leaves the previous table intact.
 * Copy layout (little-endian): magic 'SFNC' u32, version u32, generation u64, entryCount u32,
 * CRC32C u32 (of bytes 0..19 and 24..end of entries), formatStamp u64, reserved to byte 64, then
 * entries of 16 bytes: bucketId u32, reserved u32, term u64, sorted by bucket id.
 */
final class FencingTable {
    static final long NO_TERM = -1;
    private static final int MAGIC = 0x434E4653; // "SFNC" read little-endian
    private static final int VERSION = 1;
    private static final int HEADER_BYTES = 64;
    private static final int ENTRY_BYTES = 16;
    private static final int CRC_OFFSET = 20;

    private final FileChannel channel;
    private final Superblock superblock;
    private final ByteBuffer ioBuffer;
    private final int capacity;
    private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    private final Long2LongHashMap terms = new Long2LongHashMap(NO_TERM);
    private final CRC32C crc = new CRC32C();
    private long generation;
    private boolean newestInCopyA;

    private FencingTable(FileChannel channel, Superblock superblock, ByteBuffer ioBuffer) {
        this.channel = channel;
        this.superblock = superblock;
        this.ioBuffer = ioBuffer.order(ByteOrder.LITTLE_ENDIAN);
        this.capacity = (superblock.fenceTableBytes() - HEADER_BYTES) / ENTRY_BYTES;
    }

    /** Loads the newest valid copy; both copies blank means a fresh drive, both damaged is refused. */
    static FencingTable load(FileChannel channel, Superblock superblock, ByteBuffer ioBuffer, String deviceName) throws IOException {
        FencingTable table = new FencingTable(channel, superblock, ioBuffer);
        long[][] copyA = table.readCopy(superblock.fenceTableOffsetA());
        long[][] copyB = table.readCopy(superblock.fenceTableOffsetB());
        if (copyA == DAMAGED && copyB == DAMAGED) {
            throw StrataException.invalid("%s: both copies of the fencing table are damaged; the drive cannot "
                    + "know which writers are fenced (reformat it and rebuild its data)", deviceName);
        }
        boolean useA = copyA != DAMAGED && copyA != BLANK && (copyB == DAMAGED || copyB == BLANK || copyA[0][0] > copyB[0][0]);
        long[][] chosen = useA ? copyA : copyB;
        table.newestInCopyA = useA;
        if (chosen != BLANK && chosen != DAMAGED) {
            table.generation = chosen[0][0];
            for (int i = 1; i < chosen.length; i++) {
                table.terms.put(chosen[i][0], chosen[i][1]);
            }
        }
        return table;
    }

    int capacity() {
        return capacity;
    }

    long highestTerm(int bucketId) {
        lock.readLock().lock();
        try {
            return terms.get(Integer.toUnsignedLong(bucketId));
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Admits a write of {@code term} for the bucket: OK with the read lock held (release it with
     * {@link #endWrite()} once the write has landed), or FENCED / NO_SPACE / IO_ERROR with no lock held.
     */
    ChunkStatus beginWrite(int bucketId, long term) {
        long key = Integer.toUnsignedLong(bucketId);
        lock.readLock().lock();
        long current = terms.get(key);
        if (term == current) {
            return ChunkStatus.OK;
        }
        lock.readLock().unlock();
        if (term < current) {
            return ChunkStatus.FENCED;
        }
        ChunkStatus raised = fence(bucketId, term);
        if (!raised.isOk()) {
            return raised;
        }
        lock.readLock().lock();
        if (term < terms.get(key)) {
            lock.readLock().unlock();
            return ChunkStatus.FENCED;
        }
        return ChunkStatus.OK;
    }

    void endWrite() {
        lock.readLock().unlock();
    }

    /** Raises the bucket's term to {@code term} and persists it; FENCED if a higher term is already known. */
    ChunkStatus fence(int bucketId, long term) {
        long key = Integer.toUnsignedLong(bucketId);
        lock.writeLock().lock();
        try {
            long current = terms.get(key);
            if (term < current) {
                return ChunkStatus.FENCED;
            }
            if (term == current) {
                return ChunkStatus.OK;
            }
            if (current == NO_TERM && terms.size() >= capacity) {
                return ChunkStatus.NO_SPACE;
            }
            terms.put(key, term);
            try {
                persist();
            } catch (IOException e) {
                restore(key, current);
                return ChunkStatus.IO_ERROR;
            }
            return ChunkStatus.OK;
        } finally {
            lock.writeLock().unlock();
        }
    }

    private void restore(long key, long previous) {
        if (previous == NO_TERM) {
            terms.remove(key);
        } else {
            terms.put(key, previous);
        }
    }

    /** Writes the table to the copy not holding the newest one, then fdatasync. Write lock held. */
    private void persist() throws IOException {
        long[] keys = new long[terms.size()];
        int n = 0;
        for (Long2LongHashMap.KeyIterator it = terms.keySet().iterator(); it.hasNext(); ) {
            keys[n++] = it.nextValue();
        }
        Arrays.sort(keys);
        int usedBytes = HEADER_BYTES + n * ENTRY_BYTES;
        int ioBytes = (int) DriveLayout.alignUp(usedBytes, DriveLayout.BLOCK_BYTES);
        for (int i = 0; i < ioBytes; i += 8) {
            ioBuffer.putLong(i, 0);
        }
        ioBuffer.putInt(0, MAGIC);
        ioBuffer.putInt(4, VERSION);
        ioBuffer.putLong(8, generation + 1);
        ioBuffer.putInt(16, n);
        ioBuffer.putLong(24, superblock.formatStamp());
        for (int i = 0; i < n; i++) {
            ioBuffer.putInt(HEADER_BYTES + i * ENTRY_BYTES, (int) keys[i]);
            ioBuffer.putLong(HEADER_BYTES + i * ENTRY_BYTES + 8, terms.get(keys[i]));
        }
        ioBuffer.putInt(CRC_OFFSET, crcOf(usedBytes));
        long target = newestInCopyA ? superblock.fenceTableOffsetB() : superblock.fenceTableOffsetA();
        AlignedIo.writeFully(channel, ioBuffer, 0, ioBytes, target);
        channel.force(false);
        generation++;
        newestInCopyA = !newestInCopyA;
    }

    private static final long[][] BLANK = new long[0][];
    private static final long[][] DAMAGED = new long[0][];

    /** Row 0 holds the generation; rows 1..n the (bucket, term) entries. BLANK or DAMAGED otherwise. */
    private long[][] readCopy(long offset) throws IOException {
        AlignedIo.readFully(channel, ioBuffer, 0, superblock.fenceTableBytes(), offset);
        if (ioBuffer.getInt(0) != MAGIC) {
            return isBlank() ? BLANK : DAMAGED;
        }
        int n = ioBuffer.getInt(16);
        if (ioBuffer.getInt(4) != VERSION || n < 0 || n > capacity
                || ioBuffer.getInt(CRC_OFFSET) != crcOf(HEADER_BYTES + n * ENTRY_BYTES)) {
            return DAMAGED;
        }
        if (ioBuffer.getLong(24) != superblock.formatStamp()) {
            return BLANK; // a table from an earlier format of this device
        }
        long[][] rows = new long[n + 1][];
        rows[0] = new long[] {ioBuffer.getLong(8)};
        for (int i = 0; i < n; i++) {
            int at = HEADER_BYTES + i * ENTRY_BYTES;
            rows[i + 1] = new long[] {Integer.toUnsignedLong(ioBuffer.getInt(at)), ioBuffer.getLong(at + 8)};
        }
        return rows;
    }

    private boolean isBlank() {
        for (int i = 0; i < DriveLayout.BLOCK_BYTES; i += 8) {
            if (ioBuffer.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }

    private int crcOf(int usedBytes) {
        crc.reset();
        crc.update(ioBuffer.slice(0, CRC_OFFSET));
        crc.update(ioBuffer.slice(CRC_OFFSET + 4, usedBytes - CRC_OFFSET - 4));
        return (int) crc.getValue();
    }
}
