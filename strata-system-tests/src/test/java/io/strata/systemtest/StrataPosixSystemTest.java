package io.strata.systemtest;

import io.strata.systemtest.posix.PosixSuite;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.BeforeAllCallback;

/**
 * The POSIX suite and the seeded exerciser against Strata itself: the filesystem of a six-server
 * sandbox (4+2 protection) mounted on two servers.
 */
class StrataPosixSystemTest extends PosixSuite {
    private static SharedSandbox sandbox;

    @RegisterExtension
    static final BeforeAllCallback SANDBOX = (ExtensionContext context) -> sandbox = SharedSandbox.get(context);

    @Override
    protected Path mountA() {
        return sandbox.mountA();
    }

    @Override
    protected Path mountB() {
        return sandbox.mountB();
    }

    /**
     * Creates in one directory are serialized by the kernel, so through a cluster on two cores a
     * 100,000-entry directory takes most of half an hour to fill and empty; the suite uses 2,000.
     * 100,000 entries are listed exactly once in ReaddirTest (the bucket's paging) and
     * MemoryFilesystemPosixTest (the FUSE layer's), and through a real mount by hand with
     * {@code -Dstrata.posix.bigDirectoryEntries=100000} (README).
     */
    @Override
    protected int bigDirectoryEntries() {
        return Integer.getInteger("strata.posix.bigDirectoryEntries", 2_000);
    }

    @Override
    protected int exerciserOperations() {
        return Integer.getInteger("strata.posix.operations", 2_000);
    }
}
