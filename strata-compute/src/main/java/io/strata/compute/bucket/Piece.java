package io.strata.compute.bucket;

/**
 * A file range backed by part of a stripe, named by its extent id: the extent map keeps these and
 * resolves the stripe only when it answers a layout, so a repaired stripe is seen by every view.
 */
record Piece(long fileOffset, long length, long stripeOffset, long extentId) {
    long fileEnd() {
        return fileOffset + length;
    }

    /** The part of this piece inside {@code [from, to)}, or null. */
    Piece clip(long from, long to) {
        long start = Math.max(from, fileOffset);
        long end = Math.min(to, fileEnd());
        if (start >= end) {
            return null;
        }
        return new Piece(start, end - start, stripeOffset + (start - fileOffset), extentId);
    }
}
