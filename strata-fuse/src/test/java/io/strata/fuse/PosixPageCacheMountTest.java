package io.strata.fuse;

/** POSIX behaviour through the page cache (FOPEN_KEEP_CACHE). */
class PosixPageCacheMountTest extends PosixBehaviourTestBase {
    @Override
    protected MemoryFilesystem.Options fsOptions() {
        return MemoryFilesystem.Options.defaults();
    }
}
