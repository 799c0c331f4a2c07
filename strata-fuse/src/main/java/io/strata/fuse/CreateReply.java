package io.strata.fuse;

/** The reply to create: the new entry (counted as a lookup) and the open file's handle and FOPEN_* flags. */
public final class CreateReply extends Reply {
    CreateReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool) {
        super(request, buffer, channel, pool);
    }

    public void created(Entry entry, long fileHandle, int openFlags) {
        complete(b -> {
            Wire.putEntry(b, Wire.OUT_HEADER_SIZE, entry);
            Wire.putOpenOut(b, Wire.OUT_HEADER_SIZE + Wire.ENTRY_OUT_SIZE, fileHandle, openFlags);
            int length = Wire.OUT_HEADER_SIZE + Wire.ENTRY_OUT_SIZE + Wire.OPEN_OUT_SIZE;
            Wire.putOutHeader(b, length, 0, unique());
            return length;
        });
    }
}
