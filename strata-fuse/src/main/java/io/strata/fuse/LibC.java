package io.strata.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/**
 * The few libc calls the FUSE layer needs, bound through the FFM API. Each call returns the raw
 * result; a negative result means failure and {@link #errno()} then holds the calling thread's
 * error, captured right after the call (the JVM may clobber the real errno before Java sees it).
 */
@SuppressWarnings("restricted")
final class LibC {
    static final int O_RDWR = 0x2;
    static final int O_NONBLOCK = 0x800;
    static final int O_CLOEXEC = 0x80000;
    static final int MS_NOSUID = 2;
    static final int MS_NODEV = 4;
    static final int MNT_DETACH = 2;
    static final int EFD_CLOEXEC = 0x80000;
    static final int EFD_NONBLOCK = 0x800;
    static final short POLLIN = 0x1;
    static final int AF_UNIX = 1;
    static final int SOCK_STREAM = 1;
    static final int SOCK_CLOEXEC = 0x80000;
    static final int SOL_SOCKET = 1;
    static final int SCM_RIGHTS = 1;
    /** {@code _IOR(229, 0, uint32_t)}: attaches a newly opened /dev/fuse to an existing connection. */
    static final long FUSE_DEV_IOC_CLONE = 0x8004E500L;

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final MemoryLayout CAPTURE_LAYOUT = Linker.Option.captureStateLayout();
    private static final long ERRNO_OFFSET =
            CAPTURE_LAYOUT.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final ThreadLocal<MemorySegment> CAPTURE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE_LAYOUT));

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG;
    private static final java.lang.foreign.AddressLayout PTR = ValueLayout.ADDRESS;

    private static final MethodHandle OPEN = bind("open", FunctionDescriptor.of(INT, PTR, INT, INT), 2);
    private static final MethodHandle CLOSE = bind("close", FunctionDescriptor.of(INT, INT), -1);
    private static final MethodHandle READ = bind("read", FunctionDescriptor.of(LONG, INT, PTR, LONG), -1);
    private static final MethodHandle WRITE = bind("write", FunctionDescriptor.of(LONG, INT, PTR, LONG), -1);
    private static final MethodHandle WRITEV = bind("writev", FunctionDescriptor.of(LONG, INT, PTR, INT), -1);
    private static final MethodHandle IOCTL_PTR = bind("ioctl", FunctionDescriptor.of(INT, INT, LONG, PTR), 2);
    private static final MethodHandle POLL = bind("poll", FunctionDescriptor.of(INT, PTR, LONG, INT), -1);
    private static final MethodHandle EVENTFD = bind("eventfd", FunctionDescriptor.of(INT, INT, INT), -1);
    private static final MethodHandle MOUNT = bind("mount", FunctionDescriptor.of(INT, PTR, PTR, PTR, LONG, PTR), -1);
    private static final MethodHandle UMOUNT2 = bind("umount2", FunctionDescriptor.of(INT, PTR, INT), -1);
    private static final MethodHandle SOCKETPAIR = bind("socketpair", FunctionDescriptor.of(INT, INT, INT, INT, PTR), -1);
    private static final MethodHandle SOCKET = bind("socket", FunctionDescriptor.of(INT, INT, INT, INT), -1);
    private static final MethodHandle BIND = bind("bind", FunctionDescriptor.of(INT, INT, PTR, INT), -1);
    private static final MethodHandle LISTEN = bind("listen", FunctionDescriptor.of(INT, INT, INT), -1);
    private static final MethodHandle SHUTDOWN = bind("shutdown", FunctionDescriptor.of(INT, INT, INT), -1);
    private static final MethodHandle ACCEPT4 = bind("accept4", FunctionDescriptor.of(INT, INT, PTR, PTR, INT), -1);
    private static final MethodHandle CONNECT = bind("connect", FunctionDescriptor.of(INT, INT, PTR, INT), -1);
    private static final MethodHandle SENDMSG = bind("sendmsg", FunctionDescriptor.of(LONG, INT, PTR, INT), -1);
    private static final MethodHandle RECVMSG = bind("recvmsg", FunctionDescriptor.of(LONG, INT, PTR, INT), -1);
    private static final MethodHandle GETUID = LINKER.downcallHandle(LIBC.find("getuid").orElseThrow(),
            FunctionDescriptor.of(INT));
    private static final MethodHandle GETGID = LINKER.downcallHandle(LIBC.find("getgid").orElseThrow(),
            FunctionDescriptor.of(INT));
    private static final MethodHandle FCNTL = bind("fcntl", FunctionDescriptor.of(INT, INT, INT, INT), 2);
    private static final MethodHandle STRERROR = LINKER.downcallHandle(LIBC.find("strerror").orElseThrow(),
            FunctionDescriptor.of(PTR, INT));

    private LibC() {
    }

    private static MethodHandle bind(String name, FunctionDescriptor descriptor, int firstVariadic) {
        MemorySegment symbol = LIBC.find(name).orElseThrow(() -> new IllegalStateException("libc has no " + name));
        Linker.Option capture = Linker.Option.captureCallState("errno");
        return firstVariadic < 0
                ? LINKER.downcallHandle(symbol, descriptor, capture)
                : LINKER.downcallHandle(symbol, descriptor, capture, Linker.Option.firstVariadicArg(firstVariadic));
    }

    private static MemorySegment capture() {
        return CAPTURE.get();
    }

    /** The errno of the calling thread's last call through this class. */
    static int errno() {
        return CAPTURE.get().get(INT, ERRNO_OFFSET);
    }

    static int getuid() {
        try {
            return (int) GETUID.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int getgid() {
        try {
            return (int) GETGID.invokeExact();
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static final int F_GETFL = 3;
    static final int F_SETFL = 4;

    static int fcntl(int fd, int command, int argument) {
        try {
            return (int) FCNTL.invokeExact(capture(), fd, command, argument);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.reinterpret(256).getString(0);
        } catch (Throwable t) {
            return "errno " + errno;
        }
    }

    private static RuntimeException unexpected(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }

    static int open(MemorySegment path, int flags) {
        try {
            return (int) OPEN.invokeExact(capture(), path, flags, 0);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(capture(), fd);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long read(int fd, MemorySegment buffer, long count) {
        try {
            return (long) READ.invokeExact(capture(), fd, buffer, count);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long write(int fd, MemorySegment buffer, long count) {
        try {
            return (long) WRITE.invokeExact(capture(), fd, buffer, count);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long writev(int fd, MemorySegment iovecs, int count) {
        try {
            return (long) WRITEV.invokeExact(capture(), fd, iovecs, count);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int ioctl(int fd, long request, MemorySegment argument) {
        try {
            return (int) IOCTL_PTR.invokeExact(capture(), fd, request, argument);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int poll(MemorySegment pollfds, long count, int timeoutMs) {
        try {
            return (int) POLL.invokeExact(capture(), pollfds, count, timeoutMs);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int eventfd(int initial, int flags) {
        try {
            return (int) EVENTFD.invokeExact(capture(), initial, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int mount(MemorySegment source, MemorySegment target, MemorySegment type, long flags, MemorySegment data) {
        try {
            return (int) MOUNT.invokeExact(capture(), source, target, type, flags, data);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int umount2(MemorySegment target, int flags) {
        try {
            return (int) UMOUNT2.invokeExact(capture(), target, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int socketpair(int domain, int type, int protocol, MemorySegment fds) {
        try {
            return (int) SOCKETPAIR.invokeExact(capture(), domain, type, protocol, fds);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int socket(int domain, int type, int protocol) {
        try {
            return (int) SOCKET.invokeExact(capture(), domain, type, protocol);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int bind(int fd, MemorySegment address, int length) {
        try {
            return (int) BIND.invokeExact(capture(), fd, address, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static final int SHUT_RDWR = 2;

    static int shutdown(int fd, int how) {
        try {
            return (int) SHUTDOWN.invokeExact(capture(), fd, how);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int listen(int fd, int backlog) {
        try {
            return (int) LISTEN.invokeExact(capture(), fd, backlog);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int accept4(int fd, int flags) {
        try {
            return (int) ACCEPT4.invokeExact(capture(), fd, MemorySegment.NULL, MemorySegment.NULL, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static int connect(int fd, MemorySegment address, int length) {
        try {
            return (int) CONNECT.invokeExact(capture(), fd, address, length);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long sendmsg(int fd, MemorySegment message, int flags) {
        try {
            return (long) SENDMSG.invokeExact(capture(), fd, message, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }

    static long recvmsg(int fd, MemorySegment message, int flags) {
        try {
            return (long) RECVMSG.invokeExact(capture(), fd, message, flags);
        } catch (Throwable t) {
            throw unexpected(t);
        }
    }
}
