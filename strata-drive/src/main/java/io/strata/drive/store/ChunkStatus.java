package io.strata.drive.store;

/**
 * The outcome of one drive operation. Failures on the hot path are these codes, never exceptions:
 * a remote caller's bad request or a bad block on the drive is an ordinary answer.
 */
public enum ChunkStatus {
    OK,
    /** The writer's term is lower than the highest term the drive has seen for its bucket. */
    FENCED,
    /** A valid chunk is at the address, but of another extent or shard: the space was reused; ask the bucket again. */
    STALE,
    /** No chunk at the address: the header block is blank, or from an earlier format of the drive. */
    NOT_FOUND,
    /** The header or a block read back does not match its CRC32C; the data is never returned. */
    CHECKSUM_MISMATCH,
    /** The address is not 4 KiB-aligned, outside every region, or the chunk would cross its region's end. */
    INVALID_ADDRESS,
    /** Lengths, offsets, buffer or identifiers do not fit (payload too large, read past the payload, ...). */
    INVALID_REQUEST,
    /** The fencing table has no room for another bucket. */
    NO_SPACE,
    /** The device failed the IO (or an earlier fdatasync failed, after which no write is acknowledged). */
    IO_ERROR,
    /** The IO engine was closed before the operation ran. */
    CLOSED;

    public boolean isOk() {
        return this == OK;
    }
}
