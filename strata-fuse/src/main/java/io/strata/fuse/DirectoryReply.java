package io.strata.fuse;

import java.nio.charset.StandardCharsets;

/**
 * The reply to readdir and readdirplus: entries added one by one until the kernel's buffer is
 * full, then {@link #ok()}. Each entry carries the offset (cookie) from which the next readdir
 * continues, so a directory of any size is read page by page; the file system chooses cookies
 * that stay valid while entries are added or removed.
 *
 * <p>For readdirplus ({@link #isPlus()}), {@link #addPlus} also hands over the entry's
 * attributes, which adds one to the kernel's lookup count of that inode exactly as a lookup does
 * — but only if it returned true. Entries added with {@link #add} carry no attributes (right for
 * "." and "..", which the kernel never counts).
 */
public final class DirectoryReply extends Reply {
    private final boolean plus;
    private final int capacityBytes;
    private int usedBytes;

    DirectoryReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool,
            int requestedBytes, boolean plus) {
        super(request, buffer, channel, pool);
        this.plus = plus;
        this.capacityBytes = (int) Math.min(requestedBytes, buffer.memory.byteSize() - Wire.OUT_HEADER_SIZE);
    }

    public boolean isPlus() {
        return plus;
    }

    /** Adds an entry without attributes; false (and nothing added) if it does not fit. */
    public boolean add(String name, long ino, int mode, long nextOffset) {
        if (plus) {
            Attributes bare = new Attributes(ino, 0, 0, 0, 0, 0, 0, 0, 0, mode, 0, 0, 0, 0, 0);
            return put(name, new Entry(0, 0, bare, 0, 0), nextOffset);
        }
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int size = Wire.direntSize(bytes.length);
        if (usedBytes + size > capacityBytes) {
            return false;
        }
        Wire.putDirent(memory(), Wire.OUT_HEADER_SIZE + usedBytes, ino, nextOffset,
                FuseProtocol.directoryEntryType(mode), bytes);
        usedBytes += size;
        return true;
    }

    /** Adds an entry with its attributes (readdirplus only); true means the kernel counts a lookup. */
    public boolean addPlus(String name, Entry entry, long nextOffset) {
        if (!plus) {
            throw new IllegalStateException("addPlus on a readdir reply; use add");
        }
        return put(name, entry, nextOffset);
    }

    private boolean put(String name, Entry entry, long nextOffset) {
        byte[] bytes = name.getBytes(StandardCharsets.UTF_8);
        int size = Wire.direntPlusSize(bytes.length);
        if (usedBytes + size > capacityBytes) {
            return false;
        }
        Wire.putDirentPlus(memory(), Wire.OUT_HEADER_SIZE + usedBytes, entry, nextOffset, bytes);
        usedBytes += size;
        return true;
    }

    /** Sends the entries added so far; none means the end of the directory. */
    public void ok() {
        complete(b -> {
            int length = Wire.OUT_HEADER_SIZE + usedBytes;
            Wire.putOutHeader(b, length, 0, unique());
            return length;
        });
    }
}
