package io.strata.drive.store;

import static io.strata.drive.store.DriveLayout.BLOCK_BYTES;
import static io.strata.drive.store.DriveLayout.CHUNK_HEADER_BYTES;
import static io.strata.drive.store.DriveLayout.MAX_CHUNK_PAYLOAD_BYTES;

import io.strata.runtime.Clock;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.zip.CRC32C;

/**
 * Executes one chunk operation synchronously on the calling IO thread: validation, header and
 * CRC work, positional IO. Knows nothing of queues or threads; {@link DriveIo} calls it.
 * A WRITE that answers OK has landed but is not yet durable: the caller syncs before acknowledging.
 */
final class ChunkStore {
    private final Drive drive;
    private final FileChannel channel;
    private final Superblock superblock;
    private final FencingTable fencing;
    private final HeaderCache headerCache;
    private final Clock clock;
    private final int maxReadGapBytes;

    /** What one IO thread needs and owns: its CRC engine, a decoded header and a header block. */
    static final class Scratch {
        final CRC32C crc = new CRC32C();
        final ChunkHeader header = new ChunkHeader();
        final ByteBuffer headerBlock;
        /** Where the blocks of the last read start in the op's buffer. */
        int blocksAt;

        Scratch(Arena arena) {
            this.headerBlock = AlignedIo.allocateAligned(arena, CHUNK_HEADER_BYTES);
        }
    }

    ChunkStore(Drive drive, FencingTable fencing, HeaderCache headerCache, Clock clock, int maxReadGapBytes) {
        this.drive = drive;
        this.channel = drive.channel();
        this.superblock = drive.superblock();
        this.fencing = fencing;
        this.headerCache = headerCache;
        this.clock = clock;
        this.maxReadGapBytes = maxReadGapBytes;
    }

    ChunkStatus execute(DriveOp op, Scratch scratch) {
        return switch (op.kind) {
            case WRITE -> write(op, scratch);
            case READ -> read(op, scratch);
            case VERIFY -> verify(op, scratch);
            case FENCE -> op.term < 0 ? ChunkStatus.INVALID_REQUEST : fencing.fence(op.bucketId, op.term);
        };
    }

    ChunkStatus write(DriveOp op, Scratch scratch) {
        IoBuffer buffer = op.buffer;
        int length = op.payloadLength;
        if (buffer == null || length < 0 || length > buffer.maxPayloadBytes() || op.term < 0 || !isShardIndex(op.shardIndex)) {
            return ChunkStatus.INVALID_REQUEST;
        }
        int ioBytes = (int) DriveLayout.chunkBytes(length);
        if (!superblock.isValidChunkRange(op.address, ioBytes)) {
            return ChunkStatus.INVALID_ADDRESS;
        }
        if (drive.hasFailed()) {
            return ChunkStatus.IO_ERROR;
        }
        ByteBuffer bytes = buffer.byteBuffer();
        fillHeader(op, bytes, scratch);
        ChunkStatus admitted = fencing.beginWrite(op.bucketId, op.term);
        if (!admitted.isOk()) {
            return admitted;
        }
        long region = superblock.regionIndexOf(op.address);
        try {
            headerCache.invalidateRegion(region);
            AlignedIo.writeFully(channel, bytes, 0, ioBytes, op.address);
            return ChunkStatus.OK;
        } catch (IOException e) {
            drive.logIoError("write of " + ioBytes + " B at " + op.address, e);
            return ChunkStatus.IO_ERROR;
        } finally {
            headerCache.invalidateRegion(region);
            fencing.endWrite();
        }
    }

    /** Zero-pads the last block, computes every block CRC and encodes the header into the first 4 KiB. */
    private void fillHeader(DriveOp op, ByteBuffer bytes, Scratch scratch) {
        ChunkHeader header = scratch.header;
        int length = op.payloadLength;
        int blocks = DriveLayout.blocksFor(length);
        int end = CHUNK_HEADER_BYTES + blocks * BLOCK_BYTES;
        for (int i = CHUNK_HEADER_BYTES + length; i < end; i++) {
            bytes.put(i, (byte) 0);
        }
        header.extentId = op.extentId;
        header.shardIndex = op.shardIndex;
        header.bucketId = op.bucketId;
        header.term = op.term;
        header.payloadLength = length;
        header.blockCount = blocks;
        header.formatStamp = superblock.formatStamp();
        header.writtenEpochMs = clock.epochMillis();
        for (int i = 0; i < blocks; i++) {
            header.blockCrcs[i] = ChunkHeader.blockCrc(bytes, CHUNK_HEADER_BYTES + i * BLOCK_BYTES, scratch.crc);
        }
        header.encode(bytes, 0, scratch.crc);
    }

    ChunkStatus read(DriveOp op, Scratch scratch) {
        IoBuffer buffer = op.buffer;
        int offset = op.readOffset;
        int length = op.readLength;
        if (buffer == null || offset < 0 || length < 0 || (long) offset + length > MAX_CHUNK_PAYLOAD_BYTES
                || !isShardIndex(op.shardIndex)) {
            return ChunkStatus.INVALID_REQUEST;
        }
        int firstBlock = offset / BLOCK_BYTES;
        int endBlock = length == 0 ? firstBlock : DriveLayout.blocksFor((long) offset + length);
        int spanBytes = (endBlock - firstBlock) * BLOCK_BYTES;
        if (spanBytes > buffer.capacityBytes()) {
            return ChunkStatus.INVALID_REQUEST;
        }
        if (!superblock.isValidChunkRange(op.address, CHUNK_HEADER_BYTES + (long) endBlock * BLOCK_BYTES)) {
            return ChunkStatus.INVALID_ADDRESS;
        }
        try {
            ChunkStatus status = readHeaderAndBlocks(op, scratch, firstBlock, endBlock);
            if (!status.isOk()) {
                return status;
            }
            int blocksAt = scratch.blocksAt;
            ChunkStatus checked = checkBlocks(scratch, buffer.byteBuffer(), blocksAt, firstBlock, endBlock);
            if (checked.isOk()) {
                op.dataOffset = blocksAt + offset % BLOCK_BYTES;
                op.dataLength = length;
            }
            return checked;
        } catch (IOException e) {
            drive.logIoError("read at " + op.address, e);
            return ChunkStatus.IO_ERROR;
        }
    }

    /**
     * Gets the chunk's header into {@code scratch.header} and blocks [first, end) into the op's
     * buffer with as few IOs as possible: one when the header is cached or the blocks are near the
     * header, two otherwise. Leaves the buffer offset of the first block in {@code scratch.blocksAt}.
     */
    private ChunkStatus readHeaderAndBlocks(DriveOp op, Scratch scratch, int firstBlock, int endBlock) throws IOException {
        ByteBuffer bytes = op.buffer.byteBuffer();
        long region = superblock.regionIndexOf(op.address);
        long blocksAddress = op.address + CHUNK_HEADER_BYTES + (long) firstBlock * BLOCK_BYTES;
        int spanBytes = (endBlock - firstBlock) * BLOCK_BYTES;
        ChunkHeader header = scratch.header;
        if (headerCache.lookup(op.address, region, header)) {
            ChunkStatus status = checkIdentityAndRange(op, header);
            if (status.isOk()) {
                AlignedIo.readFully(channel, bytes, 0, spanBytes, blocksAddress);
                scratch.blocksAt = 0;
            }
            return status;
        }
        long generation = headerCache.generation(region);
        int oneIoBytes = CHUNK_HEADER_BYTES + endBlock * BLOCK_BYTES;
        boolean oneIo = oneIoBytes <= op.buffer.capacityBytes() && firstBlock * BLOCK_BYTES <= maxReadGapBytes;
        ByteBuffer headerBytes = oneIo ? bytes : scratch.headerBlock;
        AlignedIo.readFully(channel, headerBytes, 0, oneIo ? oneIoBytes : CHUNK_HEADER_BYTES, op.address);
        ChunkStatus status = decodeHeader(headerBytes, scratch);
        if (status.isOk()) {
            headerCache.offer(op.address, region, generation, header);
            status = checkIdentityAndRange(op, header);
        }
        if (!status.isOk()) {
            return status;
        }
        if (oneIo) {
            scratch.blocksAt = CHUNK_HEADER_BYTES + firstBlock * BLOCK_BYTES;
        } else {
            AlignedIo.readFully(channel, bytes, 0, spanBytes, blocksAddress);
            scratch.blocksAt = 0;
        }
        return ChunkStatus.OK;
    }

    /** Decodes a header block; a header from an earlier format of the drive counts as no chunk. */
    private ChunkStatus decodeHeader(ByteBuffer headerBytes, Scratch scratch) {
        ChunkStatus status = scratch.header.decode(headerBytes, 0, scratch.crc);
        if (status.isOk() && scratch.header.formatStamp != superblock.formatStamp()) {
            return ChunkStatus.NOT_FOUND;
        }
        return status;
    }

    private static ChunkStatus checkIdentityAndRange(DriveOp op, ChunkHeader header) {
        op.found(header);
        if (op.checkIdentity && !header.hasIdentity(op.extentId, op.shardIndex)) {
            return ChunkStatus.STALE;
        }
        if (op.kind == DriveOp.Kind.READ && (long) op.readOffset + op.readLength > header.payloadLength) {
            return ChunkStatus.INVALID_REQUEST;
        }
        return ChunkStatus.OK;
    }

    private static ChunkStatus checkBlocks(Scratch scratch, ByteBuffer bytes, int at, int firstBlock, int endBlock) {
        for (int block = firstBlock; block < endBlock; block++) {
            int crc = ChunkHeader.blockCrc(bytes, at + (block - firstBlock) * BLOCK_BYTES, scratch.crc);
            if (crc != scratch.header.blockCrcs[block]) {
                return ChunkStatus.CHECKSUM_MISMATCH;
            }
        }
        return ChunkStatus.OK;
    }

    /** Reads the header, then the payload in buffer-sized pieces, checking every CRC. */
    ChunkStatus verify(DriveOp op, Scratch scratch) {
        IoBuffer buffer = op.buffer;
        if (buffer == null || !isShardIndex(op.shardIndex)) {
            return ChunkStatus.INVALID_REQUEST;
        }
        if (!superblock.isValidChunkRange(op.address, CHUNK_HEADER_BYTES)) {
            return ChunkStatus.INVALID_ADDRESS;
        }
        try {
            AlignedIo.readFully(channel, scratch.headerBlock, 0, CHUNK_HEADER_BYTES, op.address);
            ChunkStatus status = decodeHeader(scratch.headerBlock, scratch);
            if (!status.isOk()) {
                return status;
            }
            ChunkHeader header = scratch.header;
            status = checkIdentityAndRange(op, header);
            if (!status.isOk()) {
                return status;
            }
            if (!superblock.isValidChunkRange(op.address, DriveLayout.chunkBytes(header.payloadLength))) {
                return ChunkStatus.CHECKSUM_MISMATCH; // a CRC-valid header for a chunk that cannot fit: not ours
            }
            return verifyBlocks(op.address, buffer, scratch);
        } catch (IOException e) {
            drive.logIoError("verify at " + op.address, e);
            return ChunkStatus.IO_ERROR;
        }
    }

    private ChunkStatus verifyBlocks(long address, IoBuffer buffer, Scratch scratch) throws IOException {
        int piecesBlocks = buffer.capacityBytes() / BLOCK_BYTES;
        int blockCount = scratch.header.blockCount;
        for (int first = 0; first < blockCount; first += piecesBlocks) {
            int end = Math.min(blockCount, first + piecesBlocks);
            long at = address + CHUNK_HEADER_BYTES + (long) first * BLOCK_BYTES;
            AlignedIo.readFully(channel, buffer.byteBuffer(), 0, (end - first) * BLOCK_BYTES, at);
            ChunkStatus status = checkBlocks(scratch, buffer.byteBuffer(), 0, first, end);
            if (!status.isOk()) {
                return status;
            }
        }
        return ChunkStatus.OK;
    }

    private static boolean isShardIndex(int shardIndex) {
        return shardIndex >= 0 && shardIndex <= 0xFFFF;
    }
}
