package io.strata.drive.store;

/**
 * The fixed numbers of the on-disk format, version 1 (docs/drive-format.md describes every byte).
 *
 * <p>Everything on a drive is addressed in 4 KiB blocks: the superblocks, the fencing tables and
 * every chunk start on a block boundary and are a whole number of blocks long, so the drive can be
 * driven with direct IO on any device whose logical block is 512 B or 4 KiB.
 */
public final class DriveLayout {
    public static final int BLOCK_BYTES = 4096;
    public static final int FORMAT_VERSION = 1;

    /** Superblock copy at the start of the device; the backup is the last block of the device. */
    public static final long PRIMARY_SUPERBLOCK_OFFSET = 0;
    public static final int SUPERBLOCK_BYTES = BLOCK_BYTES;

    /** Two copies of the fencing table; the newer valid one wins, writes alternate between them. */
    public static final long FENCE_TABLE_A_OFFSET = 64 * 1024;
    public static final long FENCE_TABLE_B_OFFSET = 512 * 1024;
    public static final int FENCE_TABLE_BYTES = 448 * 1024;

    /** Regions start after this header area (and regions are whole MiB, so they stay MiB-aligned). */
    public static final long HEADER_AREA_BYTES = 1024 * 1024;
    public static final long REGION_ALIGNMENT_BYTES = 1024 * 1024;
    public static final long MIN_REGION_BYTES = 1024 * 1024;
    public static final long MAX_REGION_BYTES = 1L << 40;
    public static final long DEFAULT_REGION_BYTES = 64L * 1024 * 1024;
    public static final int MIN_REGION_COUNT = 2;

    /** A chunk is one header block followed by its payload blocks. */
    public static final int CHUNK_HEADER_BYTES = BLOCK_BYTES;
    /** Block CRCs start at byte 64 of the chunk header and end before its own CRC at byte 4092. */
    public static final int CHUNK_CRC_ARRAY_OFFSET = 64;
    public static final int MAX_CHUNK_BLOCKS = (CHUNK_HEADER_BYTES - 4 - CHUNK_CRC_ARRAY_OFFSET) / 4;
    public static final int MAX_CHUNK_PAYLOAD_BYTES = MAX_CHUNK_BLOCKS * BLOCK_BYTES;

    private DriveLayout() {
    }

    public static long alignUp(long value, long alignment) {
        return (value + alignment - 1) / alignment * alignment;
    }

    public static long alignDown(long value, long alignment) {
        return value / alignment * alignment;
    }

    public static boolean isBlockAligned(long value) {
        return (value & (BLOCK_BYTES - 1)) == 0;
    }

    /** Payload blocks a payload of this many bytes takes (the last one zero-padded). */
    public static int blocksFor(long payloadBytes) {
        return (int) ((payloadBytes + BLOCK_BYTES - 1) / BLOCK_BYTES);
    }

    /** Bytes a chunk with this payload occupies on the drive: its header block and its payload blocks. */
    public static long chunkBytes(long payloadBytes) {
        return CHUNK_HEADER_BYTES + (long) blocksFor(payloadBytes) * BLOCK_BYTES;
    }

    /** Where the backup superblock of a device of this size lives: its last whole block. */
    public static long backupSuperblockOffset(long deviceSizeBytes) {
        return alignDown(deviceSizeBytes, BLOCK_BYTES) - SUPERBLOCK_BYTES;
    }

    /** Smallest device that holds the header area, two regions of this size and the backup superblock. */
    public static long minDeviceBytes(long regionSizeBytes) {
        return HEADER_AREA_BYTES + MIN_REGION_COUNT * regionSizeBytes + SUPERBLOCK_BYTES;
    }
}
