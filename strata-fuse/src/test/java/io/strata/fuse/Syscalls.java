package io.strata.fuse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

/** System calls Java does not offer, for tests: renameat2 and lseek with SEEK_DATA/SEEK_HOLE. */
@SuppressWarnings("restricted")
final class Syscalls {
    private static final int AT_FDCWD = -100;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MemoryLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final long ERRNO = CAPTURE.byteOffset(MemoryLayout.PathElement.groupElement("errno"));
    private static final MethodHandle RENAMEAT2 = LINKER.downcallHandle(
            LINKER.defaultLookup().find("renameat2").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle LSEEK = LINKER.downcallHandle(LINKER.defaultLookup().find("lseek").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));

    private Syscalls() {
    }

    /** 0, or the errno of renameat2(2). */
    static int renameat2(Path from, Path to, int flags) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(CAPTURE);
            int rc = (int) RENAMEAT2.invokeExact(state, AT_FDCWD, arena.allocateFrom(from.toString()), AT_FDCWD,
                    arena.allocateFrom(to.toString()), flags);
            return rc == 0 ? 0 : state.get(ValueLayout.JAVA_INT, ERRNO);
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }

    /** The offset lseek(2) answers on a new descriptor of {@code file}, or minus its errno. */
    static long seek(Path file, long offset, int whence) {
        try (Arena arena = Arena.ofConfined()) {
            int fd = LibC.open(arena.allocateFrom(file.toString()), 0);
            if (fd < 0) {
                return -LibC.errno();
            }
            try {
                MemorySegment state = arena.allocate(CAPTURE);
                long result = (long) LSEEK.invokeExact(state, fd, offset, whence);
                return result >= 0 ? result : -state.get(ValueLayout.JAVA_INT, ERRNO);
            } finally {
                LibC.close(fd);
            }
        } catch (Throwable t) {
            throw new AssertionError(t);
        }
    }
}
