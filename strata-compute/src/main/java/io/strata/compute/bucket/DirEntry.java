package io.strata.compute.bucket;

/** One directory entry as readdir returns it; {@code cookie} resumes the listing after it. */
public record DirEntry(String name, long ino, FileType type, long cookie) {
}
