package io.strata.compute.layout;

import java.util.List;

/**
 * One erasure-coded stripe: the data of one write, split into {@code dataShards} chunks of
 * {@code chunkBytes} (a multiple of 4096) plus {@code parityShards} parity chunks, each on a
 * drive in another failure domain. A short write stores only its first {@code storedData} data
 * chunks; the others are all zeros, never stored, and their {@code shards} entries are null.
 *
 * <p>{@code missing} marks shards that were not written (their drive was unavailable): the stripe
 * is degraded until they are repaired. {@code extentId} is unique in the cluster (the bucket id
 * in its top 16 bits) and is written into every chunk's header, so a reader can tell a chunk of
 * this stripe from whatever later reused its space.
 */
public record Stripe(
        long extentId,
        int dataShards,
        int parityShards,
        int chunkBytes,
        int storedData,
        long dataBytes,
        List<ChunkAddress> shards,
        long missing) {

    public Stripe {
        shards = java.util.Collections.unmodifiableList(new java.util.ArrayList<>(shards));
        if (shards.size() != dataShards + parityShards) {
            throw new IllegalArgumentException("stripe " + extentId + " has " + shards.size() + " shard addresses for "
                    + dataShards + "+" + parityShards);
        }
        if (chunkBytes % 4096 != 0 || chunkBytes <= 0) {
            throw new IllegalArgumentException("chunk size " + chunkBytes + " is not a positive multiple of 4096");
        }
    }

    public int totalShards() {
        return dataShards + parityShards;
    }

    public boolean isStored(int shard) {
        return shards.get(shard) != null;
    }

    public boolean isMissing(int shard) {
        return (missing & (1L << shard)) != 0;
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isDegraded() {
        return missing != 0;
    }

    /** Bytes this stripe occupies on drives (headers included). */
    public long storedBytes() {
        long chunks = shards.stream().filter(java.util.Objects::nonNull).count();
        return chunks * (chunkBytes + 4096L);
    }

    public Stripe withMissing(long newMissing) {
        return new Stripe(extentId, dataShards, parityShards, chunkBytes, storedData, dataBytes, shards, newMissing);
    }
}
