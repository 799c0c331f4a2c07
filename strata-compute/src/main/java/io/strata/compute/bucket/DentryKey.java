package io.strata.compute.bucket;

/** A name in a directory, as a lockable key. */
record DentryKey(long dir, String name) implements Comparable<DentryKey> {
    @Override
    public int compareTo(DentryKey other) {
        int byDir = Long.compare(dir, other.dir);
        return byDir != 0 ? byDir : name.compareTo(other.name);
    }
}
