package io.strata.drive.store;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** Whole positional reads and writes of block-aligned ranges (a channel may move fewer bytes per call). */
final class AlignedIo {
    /** Bound on calls per IO: a device making no progress is an error, not a loop. */
    private static final int MAX_CALLS_PER_IO = 1024;

    private AlignedIo() {
    }

    /** Reads {@code length} bytes at {@code position} into {@code buffer[offset..offset+length)}. */
    static void readFully(FileChannel channel, ByteBuffer buffer, int offset, int length, long position) throws IOException {
        ByteBuffer view = buffer.duplicate().limit(offset + length).position(offset);
        for (int calls = 0; view.hasRemaining(); calls++) {
            int read = channel.read(view, position + (view.position() - offset));
            if (read < 0) {
                throw new EOFException("end of device at " + (position + view.position() - offset));
            }
            if (calls == MAX_CALLS_PER_IO) {
                throw new IOException("read of " + length + " B at " + position + " made no progress");
            }
        }
    }

    /** Writes {@code buffer[offset..offset+length)} at {@code position}. */
    static void writeFully(FileChannel channel, ByteBuffer buffer, int offset, int length, long position) throws IOException {
        ByteBuffer view = buffer.duplicate().limit(offset + length).position(offset);
        for (int calls = 0; view.hasRemaining(); calls++) {
            channel.write(view, position + (view.position() - offset));
            if (calls == MAX_CALLS_PER_IO) {
                throw new IOException("write of " + length + " B at " + position + " made no progress");
            }
        }
    }

    /** A 4 KiB-aligned native buffer from a shared arena (any thread may do IO with it). */
    static ByteBuffer allocateAligned(Arena arena, long bytes) {
        MemorySegment segment = arena.allocate(bytes, DriveLayout.BLOCK_BYTES);
        return segment.asByteBuffer();
    }
}
