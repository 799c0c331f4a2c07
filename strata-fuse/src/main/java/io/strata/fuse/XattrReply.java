package io.strata.fuse;

import java.io.ByteArrayOutputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Collection;

/**
 * The reply to getxattr and listxattr. The caller may first ask for the size only (a buffer of
 * size 0); this reply handles that and ERANGE, so the file system just gives the value or names.
 */
public final class XattrReply extends Reply {
    private final int requestedBytes;

    XattrReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool, int requestedBytes) {
        super(request, buffer, channel, pool);
        this.requestedBytes = requestedBytes;
    }

    public void value(byte[] value) {
        if (requestedBytes == 0) {
            complete(b -> {
                b.set(Wire.U64, Wire.OUT_HEADER_SIZE, 0L);
                b.set(Wire.U32, Wire.OUT_HEADER_SIZE, value.length);
                int length = Wire.OUT_HEADER_SIZE + Wire.GETXATTR_OUT_SIZE;
                Wire.putOutHeader(b, length, 0, unique());
                return length;
            });
        } else if (value.length > requestedBytes || value.length > memory().byteSize() - Wire.OUT_HEADER_SIZE) {
            error(Errno.ERANGE);
        } else {
            complete(b -> {
                MemorySegment.copy(value, 0, b, ValueLayout.JAVA_BYTE, Wire.OUT_HEADER_SIZE, value.length);
                int length = Wire.OUT_HEADER_SIZE + value.length;
                Wire.putOutHeader(b, length, 0, unique());
                return length;
            });
        }
    }

    /** For listxattr: the names, each sent NUL-terminated. */
    public void names(Collection<String> names) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (String name : names) {
            out.writeBytes(name.getBytes(StandardCharsets.UTF_8));
            out.write(0);
        }
        value(out.toByteArray());
    }
}
