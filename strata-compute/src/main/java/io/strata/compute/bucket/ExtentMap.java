package io.strata.compute.bucket;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A file's data as sorted, non-overlapping pieces. A new piece replaces whatever it overlaps:
 * older pieces are trimmed or split. Every change is reported as the pieces removed and the pieces
 * added, so the caller can count stripe references (adding before removing, so a stripe that is
 * only trimmed never drops to zero references on the way).
 */
final class ExtentMap {
    record Change(List<Piece> removed, List<Piece> added) {
        long bytesDelta() {
            return bytes(added) - bytes(removed);
        }

        static long bytes(Collection<Piece> pieces) {
            long sum = 0;
            for (Piece piece : pieces) {
                sum += piece.length();
            }
            return sum;
        }
    }

    private final TreeMap<Long, Piece> pieces = new TreeMap<>();

    Change insert(Piece piece) {
        List<Piece> removed = overlapping(piece.fileOffset(), piece.fileEnd());
        List<Piece> added = new ArrayList<>(3);
        for (Piece old : removed) {
            pieces.remove(old.fileOffset());
            if (old.fileOffset() < piece.fileOffset()) {
                added.add(old.clip(old.fileOffset(), piece.fileOffset()));
            }
            if (old.fileEnd() > piece.fileEnd()) {
                added.add(old.clip(piece.fileEnd(), old.fileEnd()));
            }
        }
        added.add(piece);
        for (Piece add : added) {
            pieces.put(add.fileOffset(), add);
        }
        return new Change(removed, added);
    }

    /** Drops everything at or after {@code size}. */
    Change truncate(long size) {
        List<Piece> removed = overlapping(size, Long.MAX_VALUE);
        List<Piece> added = new ArrayList<>(1);
        for (Piece old : removed) {
            pieces.remove(old.fileOffset());
            if (old.fileOffset() < size) {
                Piece kept = old.clip(old.fileOffset(), size);
                added.add(kept);
                pieces.put(kept.fileOffset(), kept);
            }
        }
        return new Change(removed, added);
    }

    Change clear() {
        Change change = new Change(new ArrayList<>(pieces.values()), List.of());
        pieces.clear();
        return change;
    }

    /** Bytes of data (not holes) inside {@code [from, to)}. */
    long coveredBytes(long from, long to) {
        long sum = 0;
        for (Piece piece : overlapping(from, to)) {
            sum += piece.clip(from, to).length();
        }
        return sum;
    }

    /** Pieces that overlap {@code [from, to)}, unclipped, in file order. */
    List<Piece> overlapping(long from, long to) {
        List<Piece> found = new ArrayList<>();
        Map.Entry<Long, Piece> before = pieces.lowerEntry(from);
        if (before != null && before.getValue().fileEnd() > from) {
            found.add(before.getValue());
        }
        found.addAll(pieces.subMap(from, true, to, false).values());
        return found;
    }

    Collection<Piece> all() {
        return pieces.values();
    }

    int count() {
        return pieces.size();
    }

    long totalBytes() {
        return Change.bytes(pieces.values());
    }

    /** Restores one piece (snapshots only). */
    void restore(Piece piece) {
        pieces.put(piece.fileOffset(), piece);
    }
}
