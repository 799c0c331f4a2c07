package io.strata.systemtest.posix;

import static org.assertj.core.api.Assertions.assertThat;

import io.strata.fuse.FuseMount;
import io.strata.fuse.MemoryFilesystem;
import io.strata.fuse.MountOptions;
import io.strata.runtime.Clock;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;

/**
 * The POSIX suite and the exerciser proven on one {@link MemoryFilesystem} mounted twice, two
 * FUSE connections to one instance, as two frontends serve one Strata file system. Like Strata's
 * frontend it answers with direct IO and lets the kernel cache no names or attributes, so each
 * mount sees what the other did as soon as it is acknowledged.
 *
 * <p>Needs root and /dev/fuse, and fails (does not skip) without them.
 */
class MemoryFilesystemPosixTest extends PosixSuite {
    private static final List<FuseMount> MOUNTS = new ArrayList<>();
    private static final List<Path> MOUNTPOINTS = new ArrayList<>();

    @BeforeAll
    static void mountOneFilesystemTwice() throws IOException {
        assertThat(Path.of("/dev/fuse")).as("the POSIX suite mounts FUSE: it needs /dev/fuse (fuse3, the fuse "
                + "module)").exists();
        assertThat(Shell.isRoot()).as("the POSIX suite mounts with mount(2) and checks permissions as another "
                + "user: it needs root").isTrue();
        MemoryFilesystem fs = new MemoryFilesystem(MemoryFilesystem.Options.defaults().withDirectIo(true)
                .withTimeouts(0, 0), Clock.SYSTEM);
        for (String name : List.of("posix-a", "posix-b")) {
            Path mountpoint = Files.createTempDirectory("strata-" + name + "-");
            MOUNTPOINTS.add(mountpoint);
            MOUNTS.add(FuseMount.mount(mountpoint, MountOptions.defaults().withFsName(name), fs));
        }
    }

    @AfterAll
    static void unmount() throws IOException {
        for (FuseMount mount : MOUNTS) {
            mount.close();
        }
        MOUNTS.clear();
        for (Path mountpoint : MOUNTPOINTS) {
            if (Files.readString(Path.of("/proc/self/mounts")).contains(" " + mountpoint + " ")) {
                Shell.run(Path.of("/"), "umount", "-l", mountpoint.toString()); // a close that could not unmount
            }
            Files.deleteIfExists(mountpoint);
        }
        MOUNTPOINTS.clear();
    }

    @AfterEach
    void kernelAcceptedEveryReply() {
        for (FuseMount mount : MOUNTS) {
            assertThat(mount.session().rejectedReplies()).as("replies the kernel refused on %s", mount.mountpoint())
                    .isZero();
        }
    }

    @Override
    protected Path mountA() {
        return MOUNTS.get(0).mountpoint();
    }

    @Override
    protected Path mountB() {
        return MOUNTS.get(1).mountpoint();
    }
}
