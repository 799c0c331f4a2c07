package io.strata.fuse;

/** The reply to statfs. */
public final class StatfsReply extends Reply {
    StatfsReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool) {
        super(request, buffer, channel, pool);
    }

    public void stats(FsStats stats) {
        complete(b -> {
            Wire.putStatfs(b, Wire.OUT_HEADER_SIZE, stats);
            int length = Wire.OUT_HEADER_SIZE + Wire.STATFS_OUT_SIZE;
            Wire.putOutHeader(b, length, 0, unique());
            return length;
        });
    }
}
