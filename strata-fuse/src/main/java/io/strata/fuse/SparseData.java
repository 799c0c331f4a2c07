package io.strata.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Map;
import java.util.TreeMap;

/**
 * The bytes of a regular file of {@link MemoryFilesystem}, in fixed-size chunks held only where
 * something was written: holes cost nothing and read as zeros, so a sparse file may be far larger
 * than memory. Not thread-safe; the file system's lock guards it.
 */
final class SparseData {
    static final int CHUNK_BYTES = 128 * 1024;

    private final TreeMap<Long, byte[]> chunks = new TreeMap<>();

    long allocatedBytes() {
        return (long) chunks.size() * CHUNK_BYTES;
    }

    void write(long offset, MemorySegment source) {
        long done = 0;
        long length = source.byteSize();
        while (done < length) {
            long position = offset + done;
            long index = position / CHUNK_BYTES;
            int within = (int) (position % CHUNK_BYTES);
            int count = (int) Math.min(CHUNK_BYTES - within, length - done);
            byte[] chunk = chunks.computeIfAbsent(index, i -> new byte[CHUNK_BYTES]);
            MemorySegment.copy(source, ValueLayout.JAVA_BYTE, done, chunk, within, count);
            done += count;
        }
    }

    /** Fills {@code target[0, length)} with the bytes at {@code offset}, zeros where nothing was written. */
    void read(long offset, MemorySegment target, int length) {
        long done = 0;
        while (done < length) {
            long position = offset + done;
            long index = position / CHUNK_BYTES;
            int within = (int) (position % CHUNK_BYTES);
            int count = (int) Math.min(CHUNK_BYTES - within, length - done);
            byte[] chunk = chunks.get(index);
            if (chunk == null) {
                target.asSlice(done, count).fill((byte) 0);
            } else {
                MemorySegment.copy(chunk, within, target, ValueLayout.JAVA_BYTE, done, count);
            }
            done += count;
        }
    }

    /** Forgets everything at or after {@code size}, so growing the file later shows zeros there. */
    void truncate(long size) {
        long firstWhole = (size + CHUNK_BYTES - 1) / CHUNK_BYTES;
        chunks.tailMap(firstWhole, true).clear();
        int within = (int) (size % CHUNK_BYTES);
        if (within != 0) {
            byte[] partial = chunks.get(size / CHUNK_BYTES);
            if (partial != null) {
                java.util.Arrays.fill(partial, within, CHUNK_BYTES, (byte) 0);
            }
        }
    }

    /** Makes [{@code offset}, {@code offset + length}) a hole. */
    void punch(long offset, long length) {
        long end = offset + length;
        long position = offset;
        while (position < end) {
            long index = position / CHUNK_BYTES;
            int within = (int) (position % CHUNK_BYTES);
            int count = (int) Math.min(CHUNK_BYTES - within, end - position);
            if (within == 0 && count == CHUNK_BYTES) {
                chunks.remove(index);
            } else {
                byte[] chunk = chunks.get(index);
                if (chunk != null) {
                    java.util.Arrays.fill(chunk, within, within + count, (byte) 0);
                }
            }
            position += count;
        }
    }

    /** The first offset at or after {@code offset} in a written chunk, or -1. */
    long nextData(long offset) {
        Map.Entry<Long, byte[]> entry = chunks.ceilingEntry(offset / CHUNK_BYTES);
        if (entry == null) {
            return -1;
        }
        return Math.max(offset, entry.getKey() * CHUNK_BYTES);
    }

    /** The first offset at or after {@code offset} in a hole (the end of file counts as one). */
    long nextHole(long offset, long size) {
        long index = offset / CHUNK_BYTES;
        while (chunks.containsKey(index)) {
            index++;
        }
        return Math.min(size, Math.max(offset, index * CHUNK_BYTES));
    }
}
