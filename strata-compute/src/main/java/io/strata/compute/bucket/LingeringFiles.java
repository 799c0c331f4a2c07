package io.strata.compute.bucket;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Files left with no name and no open handle, kept for a grace before they are destroyed.
 *
 * <p>A mount opens a file in two steps: a lookup of its name, then an open of the inode the
 * lookup answered. A rename or unlink committed between the two used to destroy the file, and
 * the open failed with ESTALE; the kernel walks the path again once, and a second rename in that
 * window (one open commit long) made {@code open(2)} fail although the name always existed.
 * While a file lingers, an open revives it and a getattr sees it (nlink 0); nothing else does,
 * and its bytes do not count against its filesystem's capacity (a delete on a full filesystem
 * makes room at once), though its stripes keep their drive space until it is destroyed.
 *
 * <p>Files are numbered in the order they start to linger, so the state machine needs no clock:
 * the leader ends the grace with {@link BucketCommand.DropLingering} up to the number it saw
 * long enough ago by its own clock.
 */
final class LingeringFiles {
    /** Insertion order is number order: a revived file is removed, and numbered anew if it lingers again. */
    private final LinkedHashMap<Long, Long> numberByIno = new LinkedHashMap<>();
    private long lastNumber;

    /** For a file that does not linger yet ({@link BucketStore#retireIfUnused} checks). */
    void add(long ino) {
        numberByIno.put(ino, ++lastNumber);
    }

    boolean remove(long ino) {
        return numberByIno.remove(ino) != null;
    }

    boolean contains(long ino) {
        return numberByIno.containsKey(ino);
    }

    int count() {
        return numberByIno.size();
    }

    /** The number the latest file to linger got (0 before any). */
    long lastNumber() {
        return lastNumber;
    }

    /** The number of the file lingering longest, or {@link Long#MAX_VALUE} when none does. */
    long oldestNumber() {
        return numberByIno.isEmpty() ? Long.MAX_VALUE : numberByIno.firstEntry().getValue();
    }

    /** The files numbered up to {@code number}, oldest first. */
    List<Long> upTo(long number) {
        List<Long> due = new ArrayList<>();
        for (Map.Entry<Long, Long> e : numberByIno.entrySet()) {
            if (e.getValue() > number) {
                break;
            }
            due.add(e.getKey());
        }
        return due;
    }

    void write(BinaryOut out) {
        out.writeLong(lastNumber);
        out.writeUnsigned(numberByIno.size());
        for (Map.Entry<Long, Long> e : numberByIno.entrySet()) {
            out.writeId(e.getKey());
            out.writeLong(e.getValue());
        }
    }

    void read(BinaryIn in) {
        lastNumber = in.readLong();
        int count = in.readCount();
        long previous = 0;
        for (int i = 0; i < count; i++) {
            long ino = in.readId();
            long number = in.readLong();
            if (number <= previous || number > lastNumber) {
                throw new IllegalArgumentException("lingering file " + Inodes.format(ino) + " is numbered " + number
                        + " after " + previous + " (last " + lastNumber + ")");
            }
            previous = number;
            numberByIno.put(ino, number);
        }
    }
}
