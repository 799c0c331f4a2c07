package io.strata.fuse;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;

/** The reply to readlink: the link's target. */
public final class ReadlinkReply extends Reply {
    ReadlinkReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool) {
        super(request, buffer, channel, pool);
    }

    public void target(String target) {
        byte[] bytes = target.getBytes(StandardCharsets.UTF_8);
        complete(b -> {
            MemorySegment.copy(bytes, 0, b, ValueLayout.JAVA_BYTE, Wire.OUT_HEADER_SIZE, bytes.length);
            int length = Wire.OUT_HEADER_SIZE + bytes.length;
            Wire.putOutHeader(b, length, 0, unique());
            return length;
        });
    }
}
