package io.strata.compute.bucket;

/** A name's inode and type; {@code attributes} is null when the inode lives in another bucket. */
public record LookupResult(long ino, FileType type, Attributes attributes) {
}
