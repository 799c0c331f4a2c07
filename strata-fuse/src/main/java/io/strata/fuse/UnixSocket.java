package io.strata.fuse;

import io.strata.runtime.StrataException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * A Unix domain stream socket that can carry a file descriptor (SCM_RIGHTS), through the FFM
 * API, since Java's own channels cannot pass descriptors. Messages are framed as a 4-byte length
 * and the payload; the descriptor travels with the first byte of its message.
 */
public final class UnixSocket implements AutoCloseable {
    /** The largest payload accepted, to bound what a peer can make us allocate. */
    public static final int MAX_PAYLOAD_BYTES = 1 << 20;
    private static final int MSGHDR_BYTES = 56;
    private static final int CMSG_SPACE_ONE_FD = 24;
    private static final int CMSG_LEN_ONE_FD = 20;
    private static final int MSG_CMSG_CLOEXEC = 0x40000000;
    private static final int SOCKADDR_UN_BYTES = 110;

    /** A message received: its payload and the descriptor that came with it (-1 if none). */
    public record Received(byte[] payload, int descriptor) {
    }

    private final int fd;
    private boolean closed;

    private UnixSocket(int fd) {
        this.fd = fd;
    }

    /** Two connected sockets (socketpair(2)). */
    public static UnixSocket[] pair() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            if (LibC.socketpair(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0, fds) != 0) {
                throw StrataException.unavailable("socketpair failed: %s", Errno.describe(LibC.errno()));
            }
            return new UnixSocket[] {
                new UnixSocket(fds.getAtIndex(ValueLayout.JAVA_INT, 0)),
                new UnixSocket(fds.getAtIndex(ValueLayout.JAVA_INT, 1))
            };
        }
    }

    /** A socket listening at {@code path} (which must not exist yet). */
    public static UnixSocket listen(Path path) {
        int fd = newSocket();
        try (Arena arena = Arena.ofConfined()) {
            if (LibC.bind(fd, address(arena, path), SOCKADDR_UN_BYTES) != 0 || LibC.listen(fd, 4) != 0) {
                int errno = LibC.errno();
                LibC.close(fd);
                throw StrataException.unavailable("cannot listen on %s: %s", path, Errno.describe(errno));
            }
        }
        return new UnixSocket(fd);
    }

    /** Waits for and accepts one connection on a listening socket. */
    public UnixSocket accept() {
        int accepted = LibC.accept4(fd, LibC.SOCK_CLOEXEC);
        if (accepted < 0) {
            throw StrataException.unavailable("accept failed: %s", Errno.describe(LibC.errno()));
        }
        return new UnixSocket(accepted);
    }

    public static UnixSocket connect(Path path) {
        int fd = newSocket();
        try (Arena arena = Arena.ofConfined()) {
            if (LibC.connect(fd, address(arena, path), SOCKADDR_UN_BYTES) != 0) {
                int errno = LibC.errno();
                LibC.close(fd);
                throw StrataException.unavailable("cannot connect to %s: %s", path, Errno.describe(errno));
            }
        }
        return new UnixSocket(fd);
    }

    private static int newSocket() {
        int fd = LibC.socket(LibC.AF_UNIX, LibC.SOCK_STREAM | LibC.SOCK_CLOEXEC, 0);
        if (fd < 0) {
            throw StrataException.unavailable("cannot create a Unix socket: %s", Errno.describe(LibC.errno()));
        }
        return fd;
    }

    private static MemorySegment address(Arena arena, Path path) {
        byte[] bytes = path.toString().getBytes(StandardCharsets.UTF_8);
        if (bytes.length >= SOCKADDR_UN_BYTES - 2) {
            throw StrataException.invalid("socket path %s is longer than %d bytes", path, SOCKADDR_UN_BYTES - 3);
        }
        MemorySegment address = arena.allocate(SOCKADDR_UN_BYTES);
        address.set(ValueLayout.JAVA_SHORT, 0, (short) LibC.AF_UNIX);
        MemorySegment.copy(bytes, 0, address, ValueLayout.JAVA_BYTE, 2, bytes.length);
        return address;
    }

    /** Sends {@code payload} with {@code descriptor} attached (a duplicate arrives at the peer); a negative descriptor sends none. */
    public void send(byte[] payload, int descriptor) {
        if (payload.length > MAX_PAYLOAD_BYTES) {
            throw StrataException.invalid("payload of %d bytes exceeds %d", payload.length, MAX_PAYLOAD_BYTES);
        }
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment frame = arena.allocate(4 + payload.length);
            frame.set(ValueLayout.JAVA_INT_UNALIGNED, 0, payload.length);
            MemorySegment.copy(payload, 0, frame, ValueLayout.JAVA_BYTE, 4, payload.length);
            MemorySegment control = arena.allocate(CMSG_SPACE_ONE_FD, 8);
            control.set(ValueLayout.JAVA_LONG, 0, CMSG_LEN_ONE_FD);
            control.set(ValueLayout.JAVA_INT, 8, LibC.SOL_SOCKET);
            control.set(ValueLayout.JAVA_INT, 12, LibC.SCM_RIGHTS);
            control.set(ValueLayout.JAVA_INT, 16, descriptor);
            long sent = 0;
            boolean first = true;
            while (sent < frame.byteSize()) {
                MemorySegment rest = frame.asSlice(sent);
                boolean attach = first && descriptor >= 0;
                long n = LibC.sendmsg(fd, message(arena, rest, attach ? control : MemorySegment.NULL), 0);
                if (n < 0) {
                    int errno = LibC.errno();
                    if (errno == Errno.EINTR) {
                        continue;
                    }
                    throw StrataException.unavailable("sendmsg failed: %s", Errno.describe(errno));
                }
                sent += n;
                first = false;
            }
        }
    }

    /** Waits for one message; its descriptor (if any) is now this process's, close-on-exec. */
    public Received receive() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment control = arena.allocate(CMSG_SPACE_ONE_FD, 8);
            MemorySegment header = arena.allocate(4);
            int[] descriptor = {-1};
            receiveFully(arena, header, control, descriptor);
            int length = header.get(ValueLayout.JAVA_INT_UNALIGNED, 0);
            if (length < 0 || length > MAX_PAYLOAD_BYTES) {
                closeQuietly(descriptor[0]);
                throw StrataException.invalid("peer announced a payload of %d bytes", length);
            }
            MemorySegment body = arena.allocate(Math.max(1, length));
            receiveFully(arena, body.asSlice(0, length), control, descriptor);
            return new Received(body.asSlice(0, length).toArray(ValueLayout.JAVA_BYTE), descriptor[0]);
        }
    }

    private void receiveFully(Arena arena, MemorySegment target, MemorySegment control, int[] descriptor) {
        long received = 0;
        while (received < target.byteSize()) {
            control.fill((byte) 0);
            MemorySegment message = message(arena, target.asSlice(received), control);
            long n = LibC.recvmsg(fd, message, MSG_CMSG_CLOEXEC);
            if (n < 0 && LibC.errno() == Errno.EINTR) {
                continue;
            }
            if (n <= 0) {
                closeQuietly(descriptor[0]);
                throw StrataException.unavailable("peer closed the socket or recvmsg failed: %s",
                        n == 0 ? "end of stream" : Errno.describe(LibC.errno()));
            }
            takeDescriptor(message, control, descriptor);
            received += n;
        }
    }

    private static void takeDescriptor(MemorySegment message, MemorySegment control, int[] descriptor) {
        long controlLength = message.get(ValueLayout.JAVA_LONG, 40);
        if (controlLength >= CMSG_LEN_ONE_FD && control.get(ValueLayout.JAVA_INT, 8) == LibC.SOL_SOCKET
                && control.get(ValueLayout.JAVA_INT, 12) == LibC.SCM_RIGHTS) {
            int fd = control.get(ValueLayout.JAVA_INT, 16);
            if (descriptor[0] >= 0) {
                closeQuietly(fd);
            } else {
                descriptor[0] = fd;
            }
        }
    }

    private static MemorySegment message(Arena arena, MemorySegment data, MemorySegment control) {
        MemorySegment iov = arena.allocate(16, 8);
        iov.set(ValueLayout.JAVA_LONG, 0, data.address());
        iov.set(ValueLayout.JAVA_LONG, 8, data.byteSize());
        MemorySegment msg = arena.allocate(MSGHDR_BYTES, 8);
        msg.set(ValueLayout.ADDRESS, 16, iov);
        msg.set(ValueLayout.JAVA_LONG, 24, 1);
        msg.set(ValueLayout.ADDRESS, 32, control);
        msg.set(ValueLayout.JAVA_LONG, 40, control.equals(MemorySegment.NULL) ? 0 : control.byteSize());
        return msg;
    }

    private static void closeQuietly(int fd) {
        if (fd >= 0) {
            LibC.close(fd);
        }
    }

    /** Ends the connection in both directions, waking a thread blocked receiving on it (closing alone does not). */
    public synchronized void shutdown() {
        if (!closed) {
            LibC.shutdown(fd, LibC.SHUT_RDWR);
        }
    }

    @Override
    public synchronized void close() {
        if (!closed) {
            closed = true;
            LibC.close(fd);
        }
    }
}
