package io.strata.fuse;

/** POSIX behaviour with FOPEN_DIRECT_IO: every read and write reaches the file system. */
class PosixDirectIoMountTest extends PosixBehaviourTestBase {
    @Override
    protected MemoryFilesystem.Options fsOptions() {
        return MemoryFilesystem.Options.defaults().withDirectIo(true);
    }
}
