package io.strata.compute.layout;

/**
 * Where one chunk of a stripe lives: a drive (its cluster-wide number) and a byte address on it.
 * The address is 4096-aligned and lies inside a region the owning bucket leased; the chunk there
 * starts with a 4096-byte header (identity and per-block checksums) followed by its payload.
 */
public record ChunkAddress(int drive, long address) {
}
