package io.strata.drive.store;

import java.lang.foreign.MemorySegment;

/**
 * One drive operation and, once completed, its result. Ops are mutable and reusable so the owner
 * thread can keep a pool of them and submit without allocating: prepare one with {@link #write},
 * {@link #read}, {@link #verify}, {@link #scrub} or {@link #fence}, {@link DriveIo#submit} it, and
 * reuse it once {@link DriveIo#poll} delivered it. The owner must not touch an op in flight.
 *
 * <p>Results: {@link #status()}; for READ, the bytes at {@link #dataOffset()} of the buffer, of
 * {@link #dataLength()} bytes (also {@link #data()}), present only when the status is OK; for
 * READ and VERIFY also the identity found in the chunk header ({@link #foundExtentId()}...).
 */
public final class DriveOp {
    public enum Kind {
        WRITE,
        READ,
        VERIFY,
        FENCE
    }

    /** Chosen freely by the owner to match completions to requests. */
    public long correlationId;
    /** Free for the owner (say, the connection awaiting the answer). */
    public Object attachment;

    Kind kind;
    long address;
    long extentId;
    int shardIndex;
    int bucketId;
    long term;
    int payloadLength;
    int readOffset;
    int readLength;
    boolean checkIdentity;
    IoBuffer buffer;
    boolean inFlight;

    ChunkStatus status;
    int dataOffset;
    int dataLength;
    long foundExtentId;
    int foundShardIndex;
    int foundBucketId;
    long foundTerm;
    int foundPayloadLength;

    /**
     * Stores a chunk: the payload is already in {@code buffer.payload()}. Fails FENCED when
     * {@code term} is lower than the highest term the drive knows for the bucket.
     */
    public DriveOp write(long address, long extentId, int shardIndex, int bucketId, long term, IoBuffer buffer, int payloadLength) {
        prepare(Kind.WRITE, address, extentId, shardIndex, buffer);
        this.bucketId = bucketId;
        this.term = term;
        this.payloadLength = payloadLength;
        return this;
    }

    /** Reads {@code length} payload bytes from {@code offsetInPayload} of the chunk into {@code buffer}. */
    public DriveOp read(long address, long extentId, int shardIndex, int offsetInPayload, int length, IoBuffer buffer) {
        prepare(Kind.READ, address, extentId, shardIndex, buffer);
        this.readOffset = offsetInPayload;
        this.readLength = length;
        this.checkIdentity = true;
        return this;
    }

    /** Reads the whole chunk (in buffer-sized pieces) and checks every CRC, and that it is this extent's shard. */
    public DriveOp verify(long address, long extentId, int shardIndex, IoBuffer buffer) {
        prepare(Kind.VERIFY, address, extentId, shardIndex, buffer);
        this.checkIdentity = true;
        return this;
    }

    /** As {@link #verify} for whatever chunk is at the address; the identity found is reported. */
    public DriveOp scrub(long address, IoBuffer buffer) {
        prepare(Kind.VERIFY, address, 0, 0, buffer);
        this.checkIdentity = false;
        return this;
    }

    /** Raises the bucket's fencing term (persisted before completion); FENCED if a higher one is known. */
    public DriveOp fence(int bucketId, long term) {
        prepare(Kind.FENCE, 0, 0, 0, null);
        this.bucketId = bucketId;
        this.term = term;
        return this;
    }

    private void prepare(Kind kind, long address, long extentId, int shardIndex, IoBuffer buffer) {
        if (inFlight) {
            throw new IllegalStateException("op " + correlationId + " is still in flight");
        }
        this.kind = kind;
        this.address = address;
        this.extentId = extentId;
        this.shardIndex = shardIndex;
        this.buffer = buffer;
        this.status = null;
        this.dataOffset = 0;
        this.dataLength = 0;
        this.foundExtentId = 0;
        this.foundShardIndex = 0;
        this.foundBucketId = 0;
        this.foundTerm = 0;
        this.foundPayloadLength = 0;
    }

    void complete(ChunkStatus result) {
        this.status = result;
        if (result != ChunkStatus.OK) {
            dataOffset = 0;
            dataLength = 0;
        }
    }

    void found(ChunkHeader header) {
        foundExtentId = header.extentId;
        foundShardIndex = header.shardIndex;
        foundBucketId = header.bucketId;
        foundTerm = header.term;
        foundPayloadLength = header.payloadLength;
    }

    public Kind kind() {
        return kind;
    }

    public ChunkStatus status() {
        return status;
    }

    public long address() {
        return address;
    }

    public long extentId() {
        return extentId;
    }

    public int shardIndex() {
        return shardIndex;
    }

    public int bucketId() {
        return bucketId;
    }

    public long term() {
        return term;
    }

    public IoBuffer buffer() {
        return buffer;
    }

    public int dataOffset() {
        return dataOffset;
    }

    public int dataLength() {
        return dataLength;
    }

    /** The bytes read (empty unless a READ completed OK); valid while the owner holds the buffer. */
    public MemorySegment data() {
        return buffer == null ? MemorySegment.NULL : buffer.segment().asSlice(dataOffset, dataLength);
    }

    public long foundExtentId() {
        return foundExtentId;
    }

    public int foundShardIndex() {
        return foundShardIndex;
    }

    public int foundBucketId() {
        return foundBucketId;
    }

    public long foundTerm() {
        return foundTerm;
    }

    public int foundPayloadLength() {
        return foundPayloadLength;
    }

    @Override
    public String toString() {
        return kind + " @" + address + " extent " + extentId + "/" + shardIndex + " -> " + status;
    }
}
