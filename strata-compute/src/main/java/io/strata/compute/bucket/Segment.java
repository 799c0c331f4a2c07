package io.strata.compute.bucket;

import io.strata.compute.layout.ExtentView;

/** One part of a file range: a hole (reads as zeros) or data in a stripe. */
public sealed interface Segment {
    long fileOffset();

    long length();

    record Hole(long fileOffset, long length) implements Segment {
    }

    record Data(ExtentView view) implements Segment {
        @Override
        public long fileOffset() {
            return view.fileOffset();
        }

        @Override
        public long length() {
            return view.length();
        }
    }
}
