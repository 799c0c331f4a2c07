package io.strata.compute.bucket;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Open handles per inode, so an unlinked file keeps its data until its last release. A handle
 * carries its mount's id in the top 16 bits, which lets a crashed mount's handles go at once.
 */
final class OpenFiles {
    record Handle(long ino, long handle) {
    }

    private final TreeMap<Long, TreeSet<Long>> handlesByIno = new TreeMap<>();

    static int mountOf(long handle) {
        return (int) (handle >>> 48);
    }

    void open(long ino, long handle) {
        handlesByIno.computeIfAbsent(ino, i -> new TreeSet<>()).add(handle);
    }

    /** Returns true when this was the inode's last handle. */
    boolean release(long ino, long handle) {
        TreeSet<Long> handles = handlesByIno.get(ino);
        if (handles == null || !handles.remove(handle)) {
            return false;
        }
        if (handles.isEmpty()) {
            handlesByIno.remove(ino);
            return true;
        }
        return false;
    }

    boolean isOpen(long ino) {
        return handlesByIno.containsKey(ino);
    }

    void forget(long ino) {
        handlesByIno.remove(ino);
    }

    List<Handle> ofMount(int mountId) {
        List<Handle> found = new ArrayList<>();
        for (Map.Entry<Long, TreeSet<Long>> e : handlesByIno.entrySet()) {
            for (long handle : e.getValue()) {
                if (mountOf(handle) == mountId) {
                    found.add(new Handle(e.getKey(), handle));
                }
            }
        }
        return found;
    }

    Map<Long, TreeSet<Long>> all() {
        return handlesByIno;
    }

    int count(long ino) {
        TreeSet<Long> handles = handlesByIno.get(ino);
        return handles == null ? 0 : handles.size();
    }
}
