package io.strata.drive.store;

import static io.strata.drive.store.DriveLayout.BLOCK_BYTES;
import static io.strata.drive.store.DriveLayout.CHUNK_CRC_ARRAY_OFFSET;
import static io.strata.drive.store.DriveLayout.CHUNK_HEADER_BYTES;
import static io.strata.drive.store.DriveLayout.MAX_CHUNK_BLOCKS;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.CRC32C;

/**
 * The header block in front of every chunk: who the chunk belongs to and a CRC32C of each payload
 * block. A mutable holder, so the IO threads decode headers without allocating; each instance
 * belongs to one thread (or, in the header cache, to its slot's lock).
 *
 * <p>Byte layout (little-endian), also in docs/drive-format.md:
 * <pre>
 *   0 u32 magic 'SCHK'      4 u16 version      6 u16 shardIndex
 *   8 u64 extentId         16 u64 term        24 u32 bucketId    28 u32 payloadLength
 *  32 u32 blockCount       36 u32 reserved    40 u64 formatStamp 48 u64 writtenEpochMs
 *  56 u64 reserved         64 u32[1007] CRC32C of each payload block (unused entries 0)
 *  4092 u32 CRC32C of bytes 0..4091
 * </pre>
 */
final class ChunkHeader {
    static final int MAGIC = 0x4B484353; // "SCHK" read little-endian
    static final int VERSION = 1;
    private static final int HEADER_CRC_OFFSET = CHUNK_HEADER_BYTES - 4;

    long extentId;
    int shardIndex;
    int bucketId;
    long term;
    int payloadLength;
    int blockCount;
    long formatStamp;
    long writtenEpochMs;
    final int[] blockCrcs = new int[MAX_CHUNK_BLOCKS];

    void copyFrom(ChunkHeader other) {
        extentId = other.extentId;
        shardIndex = other.shardIndex;
        bucketId = other.bucketId;
        term = other.term;
        payloadLength = other.payloadLength;
        blockCount = other.blockCount;
        formatStamp = other.formatStamp;
        writtenEpochMs = other.writtenEpochMs;
        System.arraycopy(other.blockCrcs, 0, blockCrcs, 0, blockCount);
    }

    boolean hasIdentity(long expectedExtentId, int expectedShardIndex) {
        return extentId == expectedExtentId && shardIndex == expectedShardIndex;
    }

    /** Writes this header (block CRCs already filled) into the 4 KiB at {@code offset} of {@code buffer}. */
    void encode(ByteBuffer buffer, int offset, CRC32C crc) {
        ByteBuffer block = buffer.slice(offset, CHUNK_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        block.putInt(0, MAGIC);
        block.putShort(4, (short) VERSION);
        block.putShort(6, (short) shardIndex);
        block.putLong(8, extentId);
        block.putLong(16, term);
        block.putInt(24, bucketId);
        block.putInt(28, payloadLength);
        block.putInt(32, blockCount);
        block.putInt(36, 0);
        block.putLong(40, formatStamp);
        block.putLong(48, writtenEpochMs);
        block.putLong(56, 0);
        for (int i = 0; i < MAX_CHUNK_BLOCKS; i++) {
            block.putInt(CHUNK_CRC_ARRAY_OFFSET + 4 * i, i < blockCount ? blockCrcs[i] : 0);
        }
        block.putInt(HEADER_CRC_OFFSET, headerCrc(block, crc));
    }

    /**
     * Reads and verifies the header block at {@code offset}: NOT_FOUND for a blank block,
     * CHECKSUM_MISMATCH for anything that is not a whole, valid header of this version.
     */
    ChunkStatus decode(ByteBuffer buffer, int offset, CRC32C crc) {
        ByteBuffer block = buffer.slice(offset, CHUNK_HEADER_BYTES).order(ByteOrder.LITTLE_ENDIAN);
        if (block.getInt(0) != MAGIC || block.getInt(HEADER_CRC_OFFSET) != headerCrc(block, crc)) {
            return isBlank(block) ? ChunkStatus.NOT_FOUND : ChunkStatus.CHECKSUM_MISMATCH;
        }
        if (block.getShort(4) != VERSION) {
            return ChunkStatus.CHECKSUM_MISMATCH;
        }
        shardIndex = Short.toUnsignedInt(block.getShort(6));
        extentId = block.getLong(8);
        term = block.getLong(16);
        bucketId = block.getInt(24);
        payloadLength = block.getInt(28);
        blockCount = block.getInt(32);
        formatStamp = block.getLong(40);
        writtenEpochMs = block.getLong(48);
        if (payloadLength < 0 || blockCount != DriveLayout.blocksFor(payloadLength) || blockCount > MAX_CHUNK_BLOCKS) {
            return ChunkStatus.CHECKSUM_MISMATCH;
        }
        for (int i = 0; i < blockCount; i++) {
            blockCrcs[i] = block.getInt(CHUNK_CRC_ARRAY_OFFSET + 4 * i);
        }
        return ChunkStatus.OK;
    }

    /** CRC32C of the 4 KiB payload block at {@code offset}. */
    static int blockCrc(ByteBuffer buffer, int offset, CRC32C crc) {
        crc.reset();
        crc.update(buffer.slice(offset, BLOCK_BYTES));
        return (int) crc.getValue();
    }

    private static int headerCrc(ByteBuffer block, CRC32C crc) {
        crc.reset();
        crc.update(block.slice(0, HEADER_CRC_OFFSET));
        return (int) crc.getValue();
    }

    private static boolean isBlank(ByteBuffer block) {
        for (int i = 0; i < CHUNK_HEADER_BYTES; i += 8) {
            if (block.getLong(i) != 0) {
                return false;
            }
        }
        return true;
    }
}
