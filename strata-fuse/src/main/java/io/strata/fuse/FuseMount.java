package io.strata.fuse;

import io.strata.runtime.StrataException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A mounted FUSE file system and the {@link FuseSession} serving it. Mounting uses mount(2)
 * directly (no fusermount): it needs CAP_SYS_ADMIN, which Strata's frontend processes have.
 * {@link #close()} unmounts (a lazy MNT_DETACH unmount if the mount is busy) and stops the
 * session; after {@link #detach()} it does neither, as the mount lives on in another session.
 */
public final class FuseMount implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(FuseMount.class);
    private static final Path DEVICE = Path.of("/dev/fuse");

    private final Path mountpoint;
    private final FuseSession session;
    private boolean ownsMount = true;
    private boolean closed;

    private FuseMount(Path mountpoint, FuseSession session) {
        this.mountpoint = mountpoint;
        this.session = session;
    }

    /** Mounts {@code fs} on {@code mountpoint} (an existing directory that is not a mount point) and serves it. */
    public static FuseMount mount(Path mountpoint, MountOptions options, FuseFilesystem fs) {
        Path target = checkMountpoint(mountpoint);
        int fd = openDevice();
        try {
            mountDevice(target, options, fd);
        } catch (RuntimeException e) {
            LibC.close(fd);
            throw e;
        }
        try {
            FuseSession session = FuseSession.start(fd, options, fs);
            LOG.info("mounted {} on {} (protocol 7.{}, {} queues)", options.fsName(), target,
                    session.parameters().protocolMinor(), options.queues());
            return new FuseMount(target, session);
        } catch (RuntimeException e) {
            unmount(target);
            LibC.close(fd);
            throw e;
        }
    }

    /**
     * Serves a mount handed over by another session ({@link #detach()}, {@link Handover}), on the
     * same descriptor and without a new INIT. The detached session is consumed.
     */
    public static FuseMount resume(DetachedSession detached, MountOptions options, FuseFilesystem fs) {
        HandoverState state = detached.state();
        int fd = detached.consume();
        FuseSession session;
        try {
            session = FuseSession.resume(fd, state.parameters(), options, fs, state.unanswered());
        } catch (RuntimeException e) {
            LibC.close(fd);
            detached.closeStale();
            throw e;
        }
        if (state.unanswered()) {
            // The previous process died: what it read and never answered waits on its queues until sent again.
            int errno = session.resendOutcome();
            if (errno == 0) {
                LOG.info("resumed {} on {} after its previous process died; unanswered requests are sent again",
                        state.fsName(), state.mountpoint());
            } else {
                LOG.warn("resumed {} on {} after its previous process died, but the kernel cannot send its unanswered "
                        + "requests again ({}): those fail", state.fsName(), state.mountpoint(), Errno.describe(errno));
            }
        } else {
            LOG.info("resumed {} on {} with descriptor {}", state.fsName(), state.mountpoint(), fd);
        }
        detached.closeStale();
        return new FuseMount(Path.of(state.mountpoint()), session);
    }

    public Path mountpoint() {
        return mountpoint;
    }

    public FuseSession session() {
        return session;
    }

    /**
     * Stops serving without unmounting, after every request read has been replied, and hands the
     * connection over as a {@link DetachedSession}. Afterwards {@link #close()} leaves the mount alone.
     */
    public synchronized DetachedSession detach() {
        if (closed) {
            throw StrataException.conflict("mount %s is closed", mountpoint);
        }
        DetachedSession detached = session.detach(mountpoint.toString());
        ownsMount = false;
        return detached;
    }

    /** Unmounts (unless handed over or already unmounted) and stops the session. */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (ownsMount && session.isServing()) {
            unmount(mountpoint);
        }
        session.close();
    }

    private static Path checkMountpoint(Path mountpoint) {
        if (!Files.exists(DEVICE)) {
            throw StrataException.unavailable("cannot mount %s: /dev/fuse is missing (load the fuse module)", mountpoint);
        }
        if (!Files.exists(mountpoint)) {
            throw StrataException.invalid("mountpoint %s does not exist", mountpoint);
        }
        if (!Files.isDirectory(mountpoint)) {
            throw StrataException.invalid("mountpoint %s is not a directory", mountpoint);
        }
        Path real;
        try {
            real = mountpoint.toRealPath();
        } catch (IOException e) {
            throw StrataException.invalid("mountpoint %s cannot be resolved: %s", mountpoint, e.getMessage());
        }
        if (mountPoints().contains(real.toString())) {
            throw StrataException.conflict("mountpoint %s is already a mount point", mountpoint);
        }
        return real;
    }

    /** The mount points of this process's namespace, from /proc/self/mountinfo (field 5, octal escapes undone). */
    static List<String> mountPoints() {
        try {
            return Files.readAllLines(Path.of("/proc/self/mountinfo")).stream()
                    .map(line -> line.split(" "))
                    .filter(fields -> fields.length > 4)
                    .map(fields -> unescapeOctal(fields[4]))
                    .toList();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot read /proc/self/mountinfo: %s", e.getMessage());
        }
    }

    static String unescapeOctal(String field) {
        StringBuilder out = new StringBuilder(field.length());
        for (int i = 0; i < field.length(); i++) {
            char c = field.charAt(i);
            if (c == '\\' && isOctal(field, i + 1)) {
                out.append((char) Integer.parseInt(field.substring(i + 1, i + 4), 8));
                i += 3;
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    private static boolean isOctal(String s, int from) {
        if (from + 3 > s.length()) {
            return false;
        }
        for (int i = from; i < from + 3; i++) {
            if (s.charAt(i) < '0' || s.charAt(i) > '7') {
                return false;
            }
        }
        return true;
    }

    private static int openDevice() {
        try (Arena arena = Arena.ofConfined()) {
            int fd = LibC.open(arena.allocateFrom(DEVICE.toString()), LibC.O_RDWR | LibC.O_CLOEXEC | LibC.O_NONBLOCK);
            if (fd < 0) {
                throw StrataException.unavailable("cannot open /dev/fuse: %s", Errno.describe(LibC.errno()));
            }
            return fd;
        }
    }

    private static void mountDevice(Path target, MountOptions options, int fd) {
        try (Arena arena = Arena.ofConfined()) {
            String data = options.mountData(fd, LibC.getuid(), LibC.getgid());
            int rc = LibC.mount(arena.allocateFrom(options.fsName()), arena.allocateFrom(target.toString()),
                    arena.allocateFrom("fuse.strata"), LibC.MS_NOSUID | LibC.MS_NODEV, arena.allocateFrom(data));
            if (rc != 0) {
                int errno = LibC.errno();
                if (errno == Errno.EPERM) {
                    throw StrataException.unavailable("mounting %s needs CAP_SYS_ADMIN (root): %s", target,
                            Errno.describe(errno));
                }
                throw StrataException.unavailable("cannot mount %s: %s", target, Errno.describe(errno));
            }
        }
    }

    /** Unmounts; a busy mount is detached lazily (it disappears once its last user is gone). */
    static void unmount(Path target) {
        try (Arena arena = Arena.ofConfined()) {
            var path = arena.allocateFrom(target.toString());
            if (LibC.umount2(path, 0) == 0) {
                return;
            }
            int errno = LibC.errno();
            if (errno == Errno.EBUSY && LibC.umount2(path, LibC.MNT_DETACH) == 0) {
                LOG.info("{} was busy; unmounted lazily", target);
                return;
            }
            errno = LibC.errno();
            if (errno != Errno.EINVAL && errno != Errno.ENOENT) {
                LOG.warn("cannot unmount {}: {}", target, Errno.describe(errno));
            }
        }
    }
}
