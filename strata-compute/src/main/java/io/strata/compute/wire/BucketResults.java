package io.strata.compute.wire;

import io.strata.compute.layout.ExtentView;
import java.util.List;

/** The results buckets send back to frontends (JSON in a BUCKET_REPLY). */
public final class BucketResults {
    private BucketResults() {
    }

    /** An inode's attributes; {@code type} is one of FILE, DIR, SYMLINK, FIFO, CHAR, BLOCK, SOCKET. */
    public record Attrs(long ino, String type, int mode, int uid, int gid, long size, int nlink, long atimeNs, long mtimeNs,
            long ctimeNs, int rdev, long generation) {
    }

    /** A name's inode, with its attributes when the answering bucket owns it too (else null: ask its bucket). */
    public record Entry(long ino, String type, Attrs attrs) {
    }

    public record DirEntry(String name, long ino, String type, long cookie, Attrs attrs) {
    }

    public record DirPage(List<DirEntry> entries, boolean end) {
    }

    public record Readlink(String target) {
    }

    /** One piece of a file range: a hole ({@code view} null) or part of a stripe. */
    public record Segment(long fileOffset, long length, ExtentView view) {
    }

    public record Layout(long size, List<Segment> segments) {
    }

    public record Written(Attrs attrs) {
    }
}
