package io.strata.drive.store;

import static io.strata.drive.store.DriveLayout.BLOCK_BYTES;
import static io.strata.drive.store.DriveLayout.CHUNK_HEADER_BYTES;
import static io.strata.drive.store.DriveLayout.SUPERBLOCK_BYTES;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.zip.CRC32C;

/**
 * What a formatted drive is: whose cluster it belongs to, which drive it is, and how its space is
 * cut into regions. Written once by {@link DriveFormatter}, never rewritten (except to repair the
 * primary copy from the backup), so a torn superblock write can only happen during a format.
 *
 * <p>Byte layout (little-endian) in docs/drive-format.md; the CRC32C in the last 4 bytes covers
 * bytes 0..4091.
 */
public record Superblock(
        int formatVersion,
        UUID clusterId,
        UUID driveId,
        long deviceSizeBytes,
        long regionSizeBytes,
        long regionCount,
        long firstRegionOffset,
        long createdEpochMs,
        long formatStamp,
        long backupOffset,
        long fenceTableOffsetA,
        long fenceTableOffsetB,
        int fenceTableBytes) {

    static final byte[] MAGIC = "STRATASB".getBytes(StandardCharsets.US_ASCII);
    static final int COPY_PRIMARY = 0;
    static final int COPY_BACKUP = 1;
    private static final int CRC_OFFSET = SUPERBLOCK_BYTES - 4;

    /** Why a block is not a usable superblock. */
    enum Defect {
        NONE,
        NO_MAGIC,
        BAD_CRC,
        UNSUPPORTED_VERSION,
        INCONSISTENT
    }

    /** The outcome of decoding one copy: a superblock, or the defect that made it unusable. */
    record Decoded(Superblock superblock, Defect defect, int copy) {
        boolean valid() {
            return defect == Defect.NONE;
        }
    }

    /** Bytes available to chunks: all regions together. */
    public long capacityBytes() {
        return regionCount * regionSizeBytes;
    }

    public long regionOffset(long regionIndex) {
        return firstRegionOffset + regionIndex * regionSizeBytes;
    }

    /** The region holding this address, or -1 when the address is in the header area or past the last region. */
    public long regionIndexOf(long address) {
        if (address < firstRegionOffset) {
            return -1;
        }
        long index = (address - firstRegionOffset) / regionSizeBytes;
        return index < regionCount ? index : -1;
    }

    /**
     * Whether {@code bytes} starting at {@code address} form a valid chunk range: block-aligned,
     * inside one region and not crossing its end.
     */
    public boolean isValidChunkRange(long address, long bytes) {
        if (!DriveLayout.isBlockAligned(address) || bytes < CHUNK_HEADER_BYTES) {
            return false;
        }
        long region = regionIndexOf(address);
        return region >= 0 && address + bytes <= regionOffset(region) + regionSizeBytes;
    }

    /** Writes this superblock as the given copy into a 4 KiB block at the buffer's position. */
    void encode(ByteBuffer target, int copy) {
        ByteBuffer block = target.slice(target.position(), SUPERBLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < SUPERBLOCK_BYTES; i++) {
            block.put(i, (byte) 0);
        }
        block.put(0, MAGIC);
        block.putInt(8, formatVersion);
        block.putInt(12, copy);
        block.putLong(16, clusterId.getMostSignificantBits());
        block.putLong(24, clusterId.getLeastSignificantBits());
        block.putLong(32, driveId.getMostSignificantBits());
        block.putLong(40, driveId.getLeastSignificantBits());
        block.putLong(48, deviceSizeBytes);
        block.putLong(56, regionSizeBytes);
        block.putLong(64, regionCount);
        block.putLong(72, firstRegionOffset);
        block.putLong(80, createdEpochMs);
        block.putLong(88, formatStamp);
        block.putLong(96, backupOffset);
        block.putLong(104, fenceTableOffsetA);
        block.putLong(112, fenceTableOffsetB);
        block.putInt(120, fenceTableBytes);
        block.putInt(124, BLOCK_BYTES);
        block.putInt(CRC_OFFSET, crcOf(block));
    }

    /** Reads a superblock copy from the 4 KiB block at the buffer's position. */
    static Decoded decode(ByteBuffer source) {
        ByteBuffer block = source.slice(source.position(), SUPERBLOCK_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        byte[] magic = new byte[MAGIC.length];
        block.get(0, magic);
        if (!java.util.Arrays.equals(magic, MAGIC)) {
            return new Decoded(null, Defect.NO_MAGIC, -1);
        }
        if (block.getInt(CRC_OFFSET) != crcOf(block)) {
            return new Decoded(null, Defect.BAD_CRC, -1);
        }
        int copy = block.getInt(12);
        if (block.getInt(8) != DriveLayout.FORMAT_VERSION || block.getInt(124) != BLOCK_BYTES) {
            return new Decoded(null, Defect.UNSUPPORTED_VERSION, copy);
        }
        Superblock superblock = new Superblock(block.getInt(8),
                new UUID(block.getLong(16), block.getLong(24)),
                new UUID(block.getLong(32), block.getLong(40)),
                block.getLong(48), block.getLong(56), block.getLong(64), block.getLong(72),
                block.getLong(80), block.getLong(88), block.getLong(96), block.getLong(104),
                block.getLong(112), block.getInt(120));
        return new Decoded(superblock, superblock.isConsistent() ? Defect.NONE : Defect.INCONSISTENT, copy);
    }

    /** A CRC-valid superblock can still be nonsense if written by a buggy formatter; check the geometry. */
    private boolean isConsistent() {
        return regionSizeBytes >= DriveLayout.MIN_REGION_BYTES
                && regionSizeBytes % DriveLayout.REGION_ALIGNMENT_BYTES == 0
                && regionCount >= DriveLayout.MIN_REGION_COUNT
                && firstRegionOffset >= DriveLayout.HEADER_AREA_BYTES
                && regionOffset(regionCount) <= backupOffset
                && backupOffset == DriveLayout.backupSuperblockOffset(deviceSizeBytes)
                && fenceTableBytes > 0
                && fenceTableOffsetA + fenceTableBytes <= fenceTableOffsetB
                && fenceTableOffsetB + fenceTableBytes <= firstRegionOffset;
    }

    private static int crcOf(ByteBuffer block) {
        CRC32C crc = new CRC32C();
        crc.update(block.slice(0, CRC_OFFSET));
        return (int) crc.getValue();
    }

    @Override
    public String toString() {
        return "drive " + driveId + " of cluster " + clusterId + ": " + regionCount + " regions of "
                + regionSizeBytes + " B from offset " + firstRegionOffset + ", device " + deviceSizeBytes + " B";
    }
}
