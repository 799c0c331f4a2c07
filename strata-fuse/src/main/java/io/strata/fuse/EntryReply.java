package io.strata.fuse;

/** The reply to lookup, mknod, mkdir, symlink and link: the entry found or made. */
public final class EntryReply extends Reply {
    EntryReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool) {
        super(request, buffer, channel, pool);
    }

    /** Answers the entry; unless it is {@link Entry#negative negative}, the kernel's lookup count grows by one. */
    public void entry(Entry entry) {
        complete(b -> {
            Wire.putEntry(b, Wire.OUT_HEADER_SIZE, entry);
            int length = Wire.OUT_HEADER_SIZE + Wire.ENTRY_OUT_SIZE;
            Wire.putOutHeader(b, length, 0, unique());
            return length;
        });
    }
}
