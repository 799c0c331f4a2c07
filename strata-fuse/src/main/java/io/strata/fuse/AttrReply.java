package io.strata.fuse;

/** The reply to getattr and setattr: the inode's attributes and how long the kernel may cache them. */
public final class AttrReply extends Reply {
    AttrReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool) {
        super(request, buffer, channel, pool);
    }

    public void attributes(Attributes attributes, long attrTimeoutNanos) {
        complete(b -> {
            Wire.putAttrOut(b, Wire.OUT_HEADER_SIZE, attributes, attrTimeoutNanos);
            int length = Wire.OUT_HEADER_SIZE + Wire.ATTR_OUT_SIZE;
            Wire.putOutHeader(b, length, 0, unique());
            return length;
        });
    }
}
