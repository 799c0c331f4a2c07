package io.strata.fuse;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.runtime.SafeFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A file system mounted on a fresh temporary directory, for one test. Closing unmounts (lazily
 * if need be, so a failed test never leaves a mount behind) and removes the directory.
 */
final class TestMount implements AutoCloseable {
    final Path dir;
    final FuseMount mount;

    private TestMount(Path dir, FuseMount mount) {
        this.dir = dir;
        this.mount = mount;
    }

    /** Fails (does not skip) when FUSE is not usable here: CI installs fuse3 and runs as root. */
    static void requireFuse() {
        assertThat(Path.of("/dev/fuse"))
                .as("FUSE mount tests need /dev/fuse (install fuse3, load the fuse module) and root")
                .exists();
        assertThat(LibC.getuid()).as("FUSE mount tests mount with mount(2) and need root").isZero();
    }

    static TestMount mount(FuseFilesystem fs, MountOptions options) {
        requireFuse();
        Path dir;
        try {
            dir = Files.createTempDirectory("strata-fuse-test");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            return new TestMount(dir, FuseMount.mount(dir, options, fs));
        } catch (RuntimeException e) {
            SafeFiles.deleteRecursively(dir);
            throw e;
        }
    }

    static TestMount mount(FuseFilesystem fs) {
        return mount(fs, MountOptions.defaults());
    }

    Path path(String relative) {
        return dir.resolve(relative);
    }

    FuseSession session() {
        return mount.session();
    }

    @Override
    public void close() {
        try {
            mount.close();
        } finally {
            if (FuseMount.mountPoints().contains(dir.toString())) {
                FuseMount.unmount(dir);
            }
            try {
                Files.deleteIfExists(dir);
            } catch (IOException e) {
                // a lazily detached mount may keep the directory busy a moment; it is in /tmp
            }
        }
    }
}
