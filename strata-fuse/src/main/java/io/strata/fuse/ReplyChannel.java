package io.strata.fuse;

import java.lang.foreign.MemorySegment;

/**
 * Where replies go: the /dev/fuse descriptor the request was read from (the kernel finds a
 * request only on the queue that read it). Each send is a single write(2) or writev(2), which the
 * kernel takes as one message, so sends from many threads need no lock.
 */
interface ReplyChannel {
    /** Sends {@code length} bytes; answers 0 or the errno of the failed write. */
    int send(MemorySegment message, long length);

    /** Sends a header and a body in one writev(2); {@code scratch} holds the two iovecs. */
    int send(MemorySegment header, long headerLength, MemorySegment body, long bodyLength, MemorySegment scratch);
}
