package io.strata.fuse;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;

/**
 * POSIX behaviour with every reply completed later on a pool thread (as a network backend does),
 * over three queues (FUSE_DEV_IOC_CLONE) and a small buffer pool, with readdirplus always on.
 */
class PosixAsyncRepliesMountTest extends PosixBehaviourTestBase {
    private final ExecutorService executor = Executors.newFixedThreadPool(4);

    @Override
    protected MemoryFilesystem.Options fsOptions() {
        return MemoryFilesystem.Options.defaults();
    }

    @Override
    protected MountOptions mountOptions() {
        return MountOptions.defaults().withQueues(3).withRequestBuffers(8)
                .withReaddirPlus(MountOptions.ReaddirPlus.ALWAYS);
    }

    @Override
    protected FuseFilesystem served(MemoryFilesystem memory) {
        return new ThreadHoppingFilesystem(memory, executor);
    }

    /** Runs before the base class's unmount: unmount first, so no request meets a stopped executor. */
    @AfterEach
    void unmountThenStopExecutor() {
        unmount();
        executor.shutdownNow();
    }
}
