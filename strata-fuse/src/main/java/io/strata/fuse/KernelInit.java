package io.strata.fuse;

import io.strata.runtime.StrataException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.concurrent.TimeUnit;

/** Reads the kernel's INIT request from a freshly mounted /dev/fuse and answers it, before any reader runs. */
final class KernelInit {
    private KernelInit() {
    }

    static SessionParameters perform(int fd, BufferPool pool, MountOptions options) {
        RequestBuffer buffer;
        try {
            buffer = pool.take();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StrataException.unavailable("interrupted while waiting for the kernel's FUSE INIT");
        }
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(options.initTimeoutMs());
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8);
            while (true) {
                int length = readRequest(fd, buffer.memory, pollfd, deadline, options);
                MemorySegment b = buffer.memory;
                if (Wire.inOpcode(b) != Wire.INIT) {
                    throw StrataException.unavailable("kernel sent opcode %d before INIT", Wire.inOpcode(b));
                }
                long unique = Wire.inUnique(b);
                Wire.InitIn init = Wire.decodeInit(b, length - Wire.IN_HEADER_SIZE);
                if (init.major() > FuseProtocol.KERNEL_VERSION) {
                    send(fd, b, Wire.encodeInitMajorOnly(b, unique));
                    continue; // the kernel sends a new INIT for our major
                }
                SessionParameters parameters;
                try {
                    parameters = InitNegotiation.negotiate(init, options);
                } catch (StrataException e) {
                    Wire.putOutHeader(b, Wire.OUT_HEADER_SIZE, -Errno.EPROTO, unique);
                    LibC.write(fd, b, Wire.OUT_HEADER_SIZE);
                    throw e;
                }
                send(fd, b, Wire.encodeInitOut(b, unique, parameters));
                return parameters;
            }
        } finally {
            pool.release(buffer);
        }
    }

    private static int readRequest(int fd, MemorySegment buffer, MemorySegment pollfd, long deadline,
            MountOptions options) {
        while (true) {
            long n = LibC.read(fd, buffer, buffer.byteSize());
            if (n >= Wire.IN_HEADER_SIZE) {
                return (int) n;
            }
            int errno = n < 0 ? LibC.errno() : Errno.EPROTO;
            if (errno == Errno.EINTR || errno == Errno.ENOENT) {
                continue;
            }
            if (errno != Errno.EAGAIN) {
                throw StrataException.unavailable("reading the kernel's FUSE INIT failed: %s", Errno.describe(errno));
            }
            long remainingMs = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
            if (remainingMs <= 0) {
                throw StrataException.unavailable("kernel sent no FUSE INIT within %d ms", options.initTimeoutMs());
            }
            pollfd.set(ValueLayout.JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, LibC.POLLIN);
            pollfd.set(ValueLayout.JAVA_SHORT, 6, (short) 0);
            LibC.poll(pollfd, 1, (int) Math.min(remainingMs, Integer.MAX_VALUE));
        }
    }

    private static void send(int fd, MemorySegment buffer, int length) {
        if (LibC.write(fd, buffer, length) < 0) {
            throw StrataException.unavailable("answering the kernel's FUSE INIT failed: %s",
                    Errno.describe(LibC.errno()));
        }
    }
}
