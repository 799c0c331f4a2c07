package io.strata.fuse;

/** The reply to lseek (SEEK_DATA / SEEK_HOLE): the resulting offset. */
public final class LseekReply extends Reply {
    LseekReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool) {
        super(request, buffer, channel, pool);
    }

    public void offset(long offset) {
        complete(b -> {
            b.set(Wire.U64, Wire.OUT_HEADER_SIZE, offset);
            int length = Wire.OUT_HEADER_SIZE + Wire.LSEEK_OUT_SIZE;
            Wire.putOutHeader(b, length, 0, unique());
            return length;
        });
    }
}
