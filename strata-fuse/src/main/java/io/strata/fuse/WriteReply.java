package io.strata.fuse;

/** The reply to write: how many bytes were written (normally all of them). */
public final class WriteReply extends Reply {
    WriteReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool) {
        super(request, buffer, channel, pool);
    }

    public void written(int count) {
        if (count < 0) {
            throw new IllegalArgumentException("written " + count + " bytes");
        }
        complete(b -> {
            b.set(Wire.U64, Wire.OUT_HEADER_SIZE, 0L);
            b.set(Wire.U32, Wire.OUT_HEADER_SIZE, count);
            int length = Wire.OUT_HEADER_SIZE + Wire.WRITE_OUT_SIZE;
            Wire.putOutHeader(b, length, 0, unique());
            return length;
        });
    }
}
