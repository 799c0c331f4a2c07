package io.strata.systemtest.posix;

import java.util.Arrays;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@link FsExerciser} expects the file system to hold: names pointing at files, each file
 * its bytes. A file object stands for an inode: a rename moves it to another name, an unlink or a
 * replacing rename takes its name away while open handles keep it. Names are sorted so that
 * choosing among them is deterministic for a seed.
 */
final class ExerciserModel {
    private final TreeMap<String, File> names = new TreeMap<>();

    /** One inode's content: zeros wherever nothing was written (holes, grown regions). */
    static final class File {
        private byte[] data = new byte[0];
        private int size;

        int size() {
            return size;
        }

        void write(long offset, byte[] bytes) {
            int end = Math.toIntExact(offset + bytes.length);
            ensureCapacity(end);
            System.arraycopy(bytes, 0, data, (int) offset, bytes.length);
            size = Math.max(size, end);
        }

        void truncate(long newSize) {
            int target = Math.toIntExact(newSize);
            if (target < size) {
                Arrays.fill(data, target, size, (byte) 0); // growing again later must show zeros
            } else {
                ensureCapacity(target);
            }
            size = target;
        }

        /** The bytes a read of {@code length} at {@code offset} must answer: fewer where the file ends. */
        byte[] read(long offset, int length) {
            if (offset >= size) {
                return new byte[0];
            }
            int from = (int) offset;
            return Arrays.copyOfRange(data, from, (int) Math.min(size, offset + length));
        }

        byte[] all() {
            return Arrays.copyOf(data, size);
        }

        private void ensureCapacity(int bytes) {
            if (bytes > data.length) {
                data = Arrays.copyOf(data, Math.max(bytes, Math.min(Integer.MAX_VALUE - 8, data.length * 2)));
            }
        }
    }

    File get(String name) {
        return names.get(name);
    }

    File create(String name) {
        File file = new File();
        names.put(name, file);
        return file;
    }

    void rename(String from, String to) {
        if (!from.equals(to)) {
            names.put(to, names.remove(from));
        }
    }

    void unlink(String name) {
        names.remove(name);
    }

    /** The names in sorted order, with their files. */
    Map<String, File> names() {
        return names;
    }

    boolean isEmpty() {
        return names.isEmpty();
    }
}
