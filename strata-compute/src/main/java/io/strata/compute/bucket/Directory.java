package io.strata.compute.bucket;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A directory's entries, by name and by cookie. Every name gets the next cookie when it is
 * inserted and keeps it while it exists (a rename over it or an exchange keeps it too), so a
 * listing that resumes "after cookie c" neither skips nor repeats a name that existed throughout.
 * Cookies 1 and 2 are left to the frontend for "." and "..".
 */
final class Directory {
    static final long FIRST_COOKIE = 3;

    record Entry(long ino, FileType type, long cookie) {
    }

    private final Map<String, Entry> byName = new HashMap<>();
    private final TreeMap<Long, String> byCookie = new TreeMap<>();
    private long nextCookie = FIRST_COOKIE;

    Entry get(String name) {
        return byName.get(name);
    }

    int size() {
        return byName.size();
    }

    boolean isEmpty() {
        return byName.isEmpty();
    }

    long nextCookie() {
        return nextCookie;
    }

    void add(String name, long ino, FileType type) {
        Entry previous = byName.putIfAbsent(name, new Entry(ino, type, nextCookie));
        if (previous != null) {
            throw new IllegalStateException("entry " + name + " exists already");
        }
        byCookie.put(nextCookie++, name);
    }

    /** Points an existing name at another inode; the name keeps its cookie. */
    void replace(String name, long ino, FileType type) {
        Entry old = byName.get(name);
        if (old == null) {
            throw new IllegalStateException("entry " + name + " does not exist");
        }
        byName.put(name, new Entry(ino, type, old.cookie()));
    }

    /** Inserts or replaces. */
    void put(String name, long ino, FileType type) {
        if (byName.containsKey(name)) {
            replace(name, ino, type);
        } else {
            add(name, ino, type);
        }
    }

    Entry remove(String name) {
        Entry old = byName.remove(name);
        if (old == null) {
            throw new IllegalStateException("entry " + name + " does not exist");
        }
        byCookie.remove(old.cookie());
        return old;
    }

    List<DirEntry> page(long afterCookie, int max) {
        List<DirEntry> page = new ArrayList<>(Math.min(max, byCookie.size()));
        for (Map.Entry<Long, String> e : byCookie.tailMap(afterCookie, false).entrySet()) {
            if (page.size() >= max) {
                break;
            }
            Entry entry = byName.get(e.getValue());
            page.add(new DirEntry(e.getValue(), entry.ino(), entry.type(), entry.cookie()));
        }
        return page;
    }

    /** Entries in cookie order (snapshots and tests). */
    List<DirEntry> all() {
        return page(0, Integer.MAX_VALUE);
    }

    /** Restores one entry with its cookie (snapshots only). */
    void restore(String name, long ino, FileType type, long cookie) {
        byName.put(name, new Entry(ino, type, cookie));
        byCookie.put(cookie, name);
    }

    void restoreNextCookie(long cookie) {
        nextCookie = cookie;
    }
}
