package io.strata.fuse;

/**
 * The reply to open and opendir: a file handle the kernel passes back on every operation on this
 * open file, and FOPEN_* flags ({@link FuseProtocol#FOPEN_DIRECT_IO}, {@link FuseProtocol#FOPEN_KEEP_CACHE},
 * {@link FuseProtocol#FOPEN_NONSEEKABLE}, ...).
 */
public final class OpenReply extends Reply {
    OpenReply(Request request, RequestBuffer buffer, ReplyChannel channel, BufferPool pool) {
        super(request, buffer, channel, pool);
    }

    public void opened(long fileHandle, int openFlags) {
        complete(b -> {
            Wire.putOpenOut(b, Wire.OUT_HEADER_SIZE, fileHandle, openFlags);
            int length = Wire.OUT_HEADER_SIZE + Wire.OPEN_OUT_SIZE;
            Wire.putOutHeader(b, length, 0, unique());
            return length;
        });
    }
}
