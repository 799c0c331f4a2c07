package io.strata.frontend.fs;

import java.lang.foreign.MemorySegment;

/** Where the bytes of one read go, and who hears how it ended: the kernel's reply, or a block read ahead. */
interface ReadTarget {
    /** Memory for at least the bytes asked. */
    MemorySegment memory();

    /** The first {@code length} bytes of {@link #memory()} are the answer (fewer than asked: end of file). */
    void ok(int length);

    void error(int errno);

    boolean isCompleted();
}
