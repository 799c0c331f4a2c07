package io.strata.fuse;

/** The reply to operations that answer success with no data (unlink, rename, release, fsync, ...). */
public final class EmptyReply extends Reply {
    EmptyReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool) {
        super(request, buffer, channel, pool);
    }

    public void ok() {
        complete(b -> {
            Wire.putOutHeader(b, Wire.OUT_HEADER_SIZE, 0, unique());
            return Wire.OUT_HEADER_SIZE;
        });
    }
}
