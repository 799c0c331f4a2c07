package io.strata.compute.bucket;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.strata.compute.layout.ChunkAddress;
import io.strata.compute.layout.Stripe;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Leased regions, the allocation bitmap and the leader's tentative reservations. */
class SpaceMapTest {
    private static final long REGION = 1L << 20;
    private static final long FIRST = 1L << 16;
    private static final int CHUNK = 8192;
    private static final long CHUNK_SPAN = 4096 + CHUNK;

    private final SpaceMap space = new SpaceMap();
    private long nextId = 1;

    private Stripe oneChunk(int drive, long address) {
        List<ChunkAddress> shards = new ArrayList<>();
        shards.add(new ChunkAddress(drive, address));
        return new Stripe(nextId++, 1, 0, CHUNK, 1, CHUNK, shards, 0);
    }

    @Test
    void findsTheLowestFreeRunOutsideAllocationsAndReservations() {
        space.lease(3, List.of(0, 1), REGION, FIRST);
        Reservations tentative = new Reservations();
        assertThat(space.findFree(3, CHUNK_SPAN, tentative)).contains(FIRST);
        space.allocate(oneChunk(3, FIRST));
        assertThat(space.findFree(3, CHUNK_SPAN, tentative)).contains(FIRST + CHUNK_SPAN);
        tentative.add(3, FIRST + CHUNK_SPAN, CHUNK_SPAN);
        assertThat(space.findFree(3, CHUNK_SPAN, tentative)).contains(FIRST + 2 * CHUNK_SPAN);
        tentative.add(3, FIRST + 2 * CHUNK_SPAN + 4096, 4096);
        assertThat(space.findFree(3, CHUNK_SPAN, tentative)).as("a gap too small between reservations is skipped")
                .contains(FIRST + 2 * CHUNK_SPAN + 8192);
        assertThat(space.findFree(3, 4096, tentative)).contains(FIRST + 2 * CHUNK_SPAN);
        tentative.remove(3, FIRST + CHUNK_SPAN);
        assertThat(space.findFree(3, CHUNK_SPAN, tentative)).contains(FIRST + CHUNK_SPAN);
    }

    @Test
    void aChunkNeverSpansTwoRegionsAndUnleasedDrivesHaveNothing() {
        space.lease(0, List.of(0, 1), REGION, FIRST);
        Reservations tentative = new Reservations();
        tentative.add(0, FIRST, REGION - 4096);
        assertThat(space.findFree(0, CHUNK_SPAN, tentative)).contains(FIRST + REGION);
        assertThat(space.findFree(1, CHUNK_SPAN, tentative)).isEmpty();
        assertThat(space.findFree(0, REGION + 4096, tentative)).isEmpty();
        assertThatThrownBy(() -> tentative.add(0, FIRST + 4096, 4096)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void freeAndLeasedBytesAndDrivesThatNeedRegions() {
        space.lease(0, List.of(0), REGION, FIRST);
        space.lease(1, List.of(4, 2), REGION, FIRST);
        space.lease(1, List.of(2), REGION, FIRST);
        assertThat(space.leasedBytes(1)).isEqualTo(2 * REGION);
        assertThat(space.regionsOf(1)).containsExactly(2, 4);
        Stripe stripe = oneChunk(0, FIRST + 4096);
        space.allocate(stripe);
        assertThat(space.freeBytes(0)).isEqualTo(REGION - CHUNK_SPAN);
        assertThat(space.drivesNeedingRegions(REGION)).containsExactly(0);
        space.free(stripe);
        assertThat(space.freeBytes(0)).isEqualTo(REGION);
        assertThat(space.drivesNeedingRegions(REGION)).isEmpty();
        assertThatThrownBy(() -> space.free(stripe)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void leasesMustAgreeWithTheDrivesGeometry() {
        space.lease(0, List.of(0), REGION, FIRST);
        assertThatThrownBy(() -> space.checkLease(0, List.of(1), 2 * REGION, FIRST)).isInstanceOf(FsException.class);
        assertThatThrownBy(() -> space.checkLease(0, List.of(1), REGION, 0)).isInstanceOf(FsException.class);
        assertThatThrownBy(() -> space.checkLease(1, List.of(0), 1000, 0)).isInstanceOf(FsException.class);
        assertThatThrownBy(() -> space.checkLease(1, List.of(-1), REGION, 0)).isInstanceOf(FsException.class);
        space.checkLease(0, List.of(1), REGION, FIRST);
    }

    @Test
    void randomAllocationsThroughFindFreeNeverOverlap() {
        long seed = Seeds.next();
        SplittableRandom random = new SplittableRandom(seed);
        space.lease(0, List.of(0, 1, 2), REGION, FIRST);
        Reservations tentative = new Reservations();
        List<Stripe> live = new ArrayList<>();
        List<long[]> pending = new ArrayList<>();
        for (int step = 0; step < 2000; step++) {
            int action = random.nextInt(4);
            if (action == 0 && !live.isEmpty()) {
                space.free(live.remove(random.nextInt(live.size())));
            } else if (action == 1 && !pending.isEmpty()) {
                long[] reserved = pending.remove(random.nextInt(pending.size()));
                tentative.remove(0, reserved[0]);
                Stripe stripe = oneChunk(0, reserved[0]);
                space.checkAllocatable(stripe);
                space.allocate(stripe);
                live.add(stripe);
            } else {
                space.findFree(0, CHUNK_SPAN, tentative).ifPresent(address -> {
                    tentative.add(0, address, CHUNK_SPAN);
                    pending.add(new long[] {address});
                });
            }
            Set<Long> blocks = new HashSet<>();
            for (Stripe stripe : live) {
                long address = stripe.shards().getFirst().address();
                for (long block = address; block < address + CHUNK_SPAN; block += 4096) {
                    assertThat(blocks.add(block)).as("seed %d step %d block %d used twice", seed, step, block).isTrue();
                }
            }
            for (long[] reserved : pending) {
                for (long block = reserved[0]; block < reserved[0] + CHUNK_SPAN; block += 4096) {
                    assertThat(blocks.add(block)).as("seed %d step %d reserved block %d", seed, step, block).isTrue();
                }
            }
            assertThat(space.freeBytes(0)).as("seed %d", seed).isEqualTo(3 * REGION - live.size() * CHUNK_SPAN);
        }
    }
}
