package io.strata.systemtest.posix;

import java.nio.file.Path;

/**
 * The POSIX suite pointed by hand at mounts that exist already, for instance a sandbox's two
 * frontends' mounts of one file system. Not run by default (its name is no test's); run it with
 * <pre>
 * mvn -pl strata-system-tests test -Dtest=GivenMountsPosixCheck \
 *     -Dstrata.posix.mountA=/mnt/a -Dstrata.posix.mountB=/mnt/b \
 *     [-Dstrata.posix.bigDirectoryEntries=20000] [-Dstrata.posix.operations=100000] [-Dstrata.posix.seed=42]
 * </pre>
 * mountB may be left out (mount A is then checked against itself). Tests write only inside
 * directories of their own, which they remove.
 */
class GivenMountsPosixCheck extends PosixSuite {

    @Override
    protected Path mountA() {
        String path = System.getProperty("strata.posix.mountA");
        if (path == null || path.isBlank()) {
            throw new AssertionError("set -Dstrata.posix.mountA to the mount point to check (and "
                    + "-Dstrata.posix.mountB to a second mount of the same file system)");
        }
        return Path.of(path);
    }

    @Override
    protected Path mountB() {
        String path = System.getProperty("strata.posix.mountB");
        return path == null || path.isBlank() ? mountA() : Path.of(path);
    }
}
