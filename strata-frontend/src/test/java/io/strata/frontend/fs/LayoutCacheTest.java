package io.strata.frontend.fs;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.compute.wire.BucketResults;
import io.strata.compute.wire.BucketResults.Layout;
import io.strata.compute.wire.BucketResults.Segment;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Layouts are kept by window, forgotten by file, bounded, and cut to what a read asks. */
class LayoutCacheTest {
    private static final long W = LayoutCache.WINDOW_BYTES;

    private static Layout layout(long size, int segments) {
        List<Segment> list = new ArrayList<>();
        for (int i = 0; i < segments; i++) {
            list.add(new Segment(i * 4096L, 4096, null));
        }
        return new Layout(size, list);
    }

    @Test
    void aReadLiesInOneWindowOrIsAskedForByItself() {
        assertThat(LayoutCache.windowOf(0, 4096)).isZero();
        assertThat(LayoutCache.windowOf(W - 4096, 4096)).isZero();
        assertThat(LayoutCache.windowOf(W - 4096, 8192)).as("across two windows").isEqualTo(-1);
        assertThat(LayoutCache.windowOf(3 * W + 5, 1 << 20)).isEqualTo(3 * W);
        assertThat(LayoutCache.windowOf(2 * W, W)).isEqualTo(2 * W);
    }

    @Test
    void windowsAreKeptByFileAndForgottenTogether() {
        LayoutCache cache = new LayoutCache();
        Layout first = layout(10 * W, 1);
        cache.put(1, 0, first, 100);
        cache.put(1, W, layout(10 * W, 2), 100);
        cache.put(2, 0, layout(W, 1), 100);
        assertThat(cache.get(1, 0, 0)).isSameAs(first);
        assertThat(cache.get(1, 2 * W, 0)).isNull();
        assertThat(cache.windows()).isEqualTo(3);
        cache.drop(1);
        assertThat(cache.get(1, 0, 0)).isNull();
        assertThat(cache.get(1, W, 0)).isNull();
        assertThat(cache.get(2, 0, 0)).isNotNull();
        assertThat(cache.windows()).isEqualTo(1);
        cache.put(2, 0, layout(W, 3), 100);
        assertThat(cache.windows()).as("replaced, not added").isEqualTo(1);
    }

    @Test
    void aWindowIsUsedOnlyUntilItsTime() {
        LayoutCache cache = new LayoutCache();
        cache.put(1, 0, layout(W, 1), 100);
        assertThat(cache.get(1, 0, 99)).isNotNull();
        assertThat(cache.get(1, 0, 100)).isNull();
    }

    @Test
    void aWindowInTooManyPiecesIsNotKept() {
        LayoutCache cache = new LayoutCache();
        cache.put(1, 0, layout(W, LayoutCache.MAX_SEGMENTS + 1), 100);
        assertThat(cache.get(1, 0, 0)).isNull();
        cache.put(1, 0, layout(W, LayoutCache.MAX_SEGMENTS), 100);
        assertThat(cache.get(1, 0, 0)).isNotNull();
    }

    @Test
    void pastItsBoundTheCacheStartsOver() {
        LayoutCache cache = new LayoutCache();
        for (int i = 0; i < LayoutCache.MAX_WINDOWS; i++) {
            cache.put(i, 0, layout(W, 1), 100);
        }
        assertThat(cache.windows()).isEqualTo(LayoutCache.MAX_WINDOWS);
        cache.put(-1, 0, layout(W, 1), 100);
        assertThat(cache.windows()).isEqualTo(1);
        assertThat(cache.get(0, 0, 0)).isNull();
        assertThat(cache.get(-1, 0, 0)).isNotNull();
    }

    @Test
    void aLayoutIsCutToTheReadKeepingTheFileSize() {
        Layout window = new Layout(9000, List.of(new Segment(0, 4096, null), new Segment(4096, 4096, null),
                new Segment(8192, 808, null)));
        Layout cut = LayoutCache.clip(window, 4000, 8300);
        assertThat(cut.size()).isEqualTo(9000);
        assertThat(cut.segments()).extracting(Segment::fileOffset).containsExactly(4000L, 4096L, 8192L);
        assertThat(cut.segments()).extracting(Segment::length).containsExactly(96L, 4096L, 108L);
        assertThat(LayoutCache.clip(window, 4096, 8192).segments()).extracting(BucketResults.Segment::fileOffset)
                .containsExactly(4096L);
    }
}
