package io.strata.drive.store;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class HeaderCacheTest {
    private static final long MIB = 1 << 20;

    private static ChunkHeader header(long extentId) {
        ChunkHeader header = new ChunkHeader();
        header.extentId = extentId;
        header.payloadLength = 8192;
        header.blockCount = 2;
        header.blockCrcs[0] = 11;
        header.blockCrcs[1] = 22;
        return header;
    }

    @Test
    void aHeaderOfferedBeforeAWriteToItsRegionIsNeverServed() {
        HeaderCache cache = new HeaderCache(16, 4);
        ChunkHeader found = new ChunkHeader();
        long generation = cache.generation(2);
        cache.offer(MIB, 2, generation, header(7));
        assertThat(cache.lookup(MIB, 2, found)).isTrue();
        assertThat(found.extentId).isEqualTo(7);
        assertThat(found.blockCrcs[1]).isEqualTo(22);
        assertThat(cache.lookup(MIB + 4096, 2, found)).isFalse();

        cache.invalidateRegion(2); // a write somewhere in region 2
        assertThat(cache.lookup(MIB, 2, found)).isFalse();
        cache.offer(MIB, 2, generation, header(8)); // read before the write began: refused
        assertThat(cache.lookup(MIB, 2, found)).isFalse();
        cache.offer(MIB, 2, cache.generation(2), header(9));
        assertThat(cache.lookup(MIB, 2, found)).isTrue();
        assertThat(found.extentId).isEqualTo(9);
        cache.invalidateRegion(3); // another region: no effect
        assertThat(cache.lookup(MIB, 2, found)).isTrue();
        assertThat(cache.hits()).isEqualTo(3);
        assertThat(cache.misses()).isEqualTo(3);
    }

    @Test
    void aDisabledCacheNeverHits() {
        HeaderCache cache = new HeaderCache(0, 4);
        cache.offer(MIB, 0, cache.generation(0), header(1));
        assertThat(cache.lookup(MIB, 0, new ChunkHeader())).isFalse();
    }

    /** 1 MiB chunks packed in 64 MiB regions: strided addresses must still spread over the slots. */
    @Test
    void stridedChunkAddressesSpreadOverTheSlots() {
        HeaderCache cache = new HeaderCache(1024, 15);
        long chunkBytes = DriveLayout.chunkBytes(MIB);
        for (int region = 0; region < 15; region++) {
            for (int k = 0; k < 63; k++) {
                cache.offer(MIB + region * 64 * MIB + k * chunkBytes, region, 0, header(region * 100 + k));
            }
        }
        int resident = 0;
        for (int region = 0; region < 15; region++) {
            for (int k = 0; k < 63; k++) {
                resident += cache.lookup(MIB + region * 64 * MIB + k * chunkBytes, region, new ChunkHeader()) ? 1 : 0;
            }
        }
        // 945 keys in 1024 slots: a uniform hash keeps about 1024 * (1 - e^-0.92) = 617 of them
        assertThat(resident).isGreaterThan(580);
    }
}
