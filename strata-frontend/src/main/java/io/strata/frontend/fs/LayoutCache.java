package io.strata.frontend.fs;

import io.strata.compute.wire.BucketResults;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Where the bytes of files a mount read lately are: the layouts buckets gave, by 4 MiB window of
 * a file, so that a read of a window read before goes straight to the drives instead of asking
 * the bucket first. Kept coherent by {@link CacheCoherence}: every change to a file drops its
 * windows on every mount before the change is acknowledged. Owned by the frontend's thread.
 */
final class LayoutCache {
    static final long WINDOW_BYTES = 4L << 20;
    /** A window cut into more pieces than this (small random writes) is asked for again each time rather than kept. */
    static final int MAX_SEGMENTS = 256;
    /** Beyond this many windows (16 GiB of files at 4 MiB), everything is forgotten at once. */
    static final int MAX_WINDOWS = 4096;

    /** A window's layout, and until when it may be used. */
    private record Kept(BucketResults.Layout layout, long untilNanos) {
    }

    private final Map<Long, Map<Long, Kept>> byIno = new HashMap<>();
    private int windows;

    /** The window a read of {@code length} bytes at {@code offset} lies in, or -1 when it spans two. */
    static long windowOf(long offset, long length) {
        long start = offset - Math.floorMod(offset, WINDOW_BYTES);
        return offset + length <= start + WINDOW_BYTES ? start : -1;
    }

    /** The layout kept for the window, if it may still be used at {@code nowNanos}. */
    BucketResults.Layout get(long ino, long window, long nowNanos) {
        Map<Long, Kept> file = byIno.get(ino);
        Kept kept = file == null ? null : file.get(window);
        return kept == null || nowNanos >= kept.untilNanos() ? null : kept.layout();
    }

    /** Keeps a window's layout until {@code untilNanos}: never longer than the kernels' caches, so that a peer that missed a change is waited out. */
    void put(long ino, long window, BucketResults.Layout layout, long untilNanos) {
        if (layout.segments().size() > MAX_SEGMENTS) {
            return;
        }
        if (windows >= MAX_WINDOWS) {
            byIno.clear();
            windows = 0;
        }
        if (byIno.computeIfAbsent(ino, i -> new HashMap<>()).put(window, new Kept(layout, untilNanos)) == null) {
            windows++;
        }
    }

    void drop(long ino) {
        Map<Long, Kept> file = byIno.remove(ino);
        if (file != null) {
            windows -= file.size();
        }
    }

    int windows() {
        return windows;
    }

    /** The part of a window's layout that covers [{@code offset}, {@code end}): segments cut to it, the file's size kept. */
    static BucketResults.Layout clip(BucketResults.Layout layout, long offset, long end) {
        List<BucketResults.Segment> clipped = new ArrayList<>();
        for (BucketResults.Segment segment : layout.segments()) {
            long from = Math.max(offset, segment.fileOffset());
            long to = Math.min(end, segment.fileOffset() + segment.length());
            if (from < to) {
                clipped.add(new BucketResults.Segment(from, to - from, segment.view()));
            }
        }
        return new BucketResults.Layout(layout.size(), clipped);
    }
}
