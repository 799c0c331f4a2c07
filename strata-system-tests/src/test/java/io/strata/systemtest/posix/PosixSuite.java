package io.strata.systemtest.posix;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The POSIX semantics suite, to be pointed at any two mounts of one file system.
 *
 * <p>Subclass it and answer {@link #mountA()} and {@link #mountB()} (set the mounts up in a static
 * {@code @BeforeAll}, tear them down in {@code @AfterAll}); override {@link #bigDirectoryEntries()}
 * and {@link #exerciserOperations()} for a slow file system. Each behaviour is its own test, in a
 * fresh directory; every operation is checked, most through both mounts. The parts:
 * {@link PosixFileChecks} (files), {@link PosixNamespaceChecks} (names), and here attributes,
 * permissions, consistency between the mounts and the randomized {@link FsExerciser}.
 *
 * <p>Permission checks run a command as uid/gid 65534 (setpriv or su; the process must be root
 * for that, or is unprivileged already): the mounts must let other users in (allow_other).
 */
@Timeout(value = 180, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class PosixSuite extends PosixNamespaceChecks {
    /** The exerciser's fixed seed; the other run's seed is random, or {@code -Dstrata.posix.seed}. */
    public static final long FIXED_SEED = 20_260_101L;

    // ---- attributes and permissions ----

    @Test
    void chmodIsKeptAndSeenThroughBothMounts() throws IOException {
        Files.writeString(a("f"), "x");
        Files.createDirectory(a("d"));
        for (String permissions : new String[] {"rwx--x---", "r--r--r--", "---------", "rw-rw-rw-", "rwxr-x---"}) {
            Files.setPosixFilePermissions(a("f"), PosixFilePermissions.fromString(permissions));
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(b("f"))))
                    .as("through mount B").isEqualTo(permissions);
        }
        sh("chmod", "4755", "f");
        sh("chmod", "1777", "d");
        assertThat(mode(b("f")) & 07777).as("setuid kept").isEqualTo(04755);
        assertThat(Shell.ok(workB(), "stat", "-c", "%a", "d")).as("sticky directory").isEqualTo("1777");
        assertThat(mode(a("d")) & 0170000).as("still a directory").isEqualTo(0040000);
    }

    @Test
    void chownByNameAndByNumber() throws IOException {
        Files.writeString(a("f"), "x");
        UserPrincipal nobody = a("f").getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
        Files.setOwner(a("f"), nobody);
        assertThat(uid(b("f"))).isEqualTo(Shell.NOBODY_ID);
        assertThat(Files.getOwner(b("f")).getName()).isEqualTo("nobody");
        Files.setAttribute(a("f"), "unix:uid", 4321);
        Files.setAttribute(a("f"), "unix:gid", 8765);
        assertThat(uid(b("f"))).isEqualTo(4321);
        assertThat(gid(b("f"))).isEqualTo(8765);
        sh("chown", "1234:5678", "f");
        assertThat(Shell.ok(workB(), "stat", "-c", "%u %g", "f")).isEqualTo("1234 5678");
        assertThat(Files.readString(b("f"))).as("content untouched").isEqualTo("x");
    }

    @Test
    void timesAreSetAndKept() throws IOException {
        Files.writeString(a("f"), "x");
        FileTime mtime = FileTime.from(Instant.parse("2001-09-09T01:46:40.123456Z"));
        FileTime atime = FileTime.from(Instant.parse("2002-02-02T02:02:02.654321Z"));
        Files.setLastModifiedTime(a("f"), mtime);
        Files.getFileAttributeView(a("f"), BasicFileAttributeView.class).setTimes(null, atime, null);
        assertThat(Files.getLastModifiedTime(b("f")).to(TimeUnit.MICROSECONDS))
                .isEqualTo(mtime.to(TimeUnit.MICROSECONDS));
        FileTime readAtime = (FileTime) Files.getAttribute(b("f"), "lastAccessTime");
        assertThat(readAtime.to(TimeUnit.MICROSECONDS)).isEqualTo(atime.to(TimeUnit.MICROSECONDS));
        Files.setPosixFilePermissions(a("f"), PosixFilePermissions.fromString("rw-------"));
        FileTime ctime = (FileTime) Files.getAttribute(b("f"), "unix:ctime");
        assertThat(ctime.toInstant()).as("ctime: the change just made, not the mtime set")
                .isAfter(Instant.now().minus(5, ChronoUnit.MINUTES));
        sh("touch", "-m", "-d", "@1000000000.5", "f");
        assertThat(Shell.ok(workB(), "stat", "-c", "%Y", "f")).isEqualTo("1000000000");
        sh("touch", "-m", "f"); // utimensat with UTIME_NOW
        assertThat(Files.getLastModifiedTime(b("f")).toInstant()).isBetween(Instant.now().minus(5, ChronoUnit.MINUTES),
                Instant.now().plus(5, ChronoUnit.MINUTES));
        long before = Files.getLastModifiedTime(a("f")).toMillis();
        Files.setLastModifiedTime(a("f"), mtime);
        Files.writeString(a("f"), "written", StandardOpenOption.APPEND);
        assertThat(Files.getLastModifiedTime(b("f")).toMillis()).as("a write moves mtime")
                .isGreaterThan(mtime.toMillis()).isGreaterThanOrEqualTo(before - 5 * 60_000);
    }

    @Test
    void permissionBitsStopAnUnprivilegedUser() throws IOException {
        Files.writeString(a("f"), "secret");
        Files.setPosixFilePermissions(a("f"), PosixFilePermissions.fromString("rw-r--r--"));
        Shell.Result control = Shell.runUnprivileged("cat", a("f").toString());
        assertThat(control.exitCode()).as("control: uid %d must read a 0644 file here, or the checks below prove "
                + "nothing (can it reach %s? is the mount allow_other?): %s", Shell.NOBODY_ID, workA(), control)
                .isZero();
        assertThat(control.out()).isEqualTo("secret");
        Files.setPosixFilePermissions(a("f"), PosixFilePermissions.fromString("---------"));
        for (Path view : new Path[] {a("f"), b("f")}) {
            Shell.Result denied = Shell.runUnprivileged("cat", view.toString());
            assertThat(denied.exitCode()).as("reading a 000 file as uid %d: %s", Shell.NOBODY_ID, denied).isNotZero();
            assertThat(denied.err()).contains("Permission denied");
        }
        if (Shell.isRoot()) {
            assertThat(Files.readString(a("f"))).as("root is not bound by the mode").isEqualTo("secret");
        }
        Files.setPosixFilePermissions(a("f"), PosixFilePermissions.fromString("r--r--r--"));
        Shell.Result write = Shell.runUnprivileged("sh", "-c", "printf more >> \"$0\"", b("f").toString());
        assertThat(write.exitCode()).as("appending to a 0444 file: %s", write).isNotZero();
        Files.setPosixFilePermissions(a("f"), PosixFilePermissions.fromString("rw-rw-rw-"));
        Shell.Result allowed = Shell.runUnprivileged("sh", "-c", "printf more >> \"$0\"", b("f").toString());
        assertThat(allowed.exitCode()).as("appending to a 0666 file: %s", allowed).isZero();
        assertThat(Files.readString(a("f"))).isEqualTo("secretmore");
    }

    @Test
    void directoryPermissionBitsStopAnUnprivilegedUser() throws IOException {
        Files.createDirectory(a("d"));
        Files.writeString(a("d/f"), "inside");
        Files.setPosixFilePermissions(a("d/f"), PosixFilePermissions.fromString("rw-r--r--"));
        Files.setPosixFilePermissions(a("d"), PosixFilePermissions.fromString("rwx------"));
        Shell.Result blocked = Shell.runUnprivileged("cat", a("d/f").toString());
        assertThat(blocked.exitCode()).as("a file in a 0700 directory: %s", blocked).isNotZero();
        assertThat(blocked.err()).contains("Permission denied");
        Files.setPosixFilePermissions(a("d"), PosixFilePermissions.fromString("rwx--x--x"));
        Shell.Result searched = Shell.runUnprivileged("cat", b("d/f").toString());
        assertThat(searched.exitCode()).as("search (x) is enough to reach a file: %s", searched).isZero();
        assertThat(searched.out()).isEqualTo("inside");
        Shell.Result listed = Shell.runUnprivileged("ls", b("d").toString());
        assertThat(listed.exitCode()).as("listing needs read (r): %s", listed).isNotZero();
        Shell.Result created = Shell.runUnprivileged("touch", a("d/new").toString());
        assertThat(created.exitCode()).as("creating needs write (w): %s", created).isNotZero();
        assertThat(Files.exists(b("d/new"))).isFalse();
    }

    // ---- consistency between the two mounts ----

    /**
     * Kernels may cache directories' names and attributes, so every change to a directory through
     * one mount must reach the other's kernel before it is acknowledged: B looks at everything
     * right before each change through A, and right after it must see what A sees.
     */
    @Test
    void aDirectoryChangedThroughOneMountIsSeenAtOnceThroughTheOther() throws IOException {
        Files.createDirectories(a("d/sub/deeper"));
        Files.createDirectory(a("d/gone"));
        String[][] steps = {
            {"create a file in it", "touch d/f"},
            {"make a directory in it", "mkdir d/e"},
            {"change its permissions", "chmod 700 d"},
            {"change its times", "touch -d @1000000000 d"},
            {"remove a file from it", "rm d/f"},
            {"remove a directory from it", "rmdir d/gone"},
            {"rename a directory in it", "mv d/sub d/moved"},
            {"replace a directory in it", "mkdir d/empty && mv -T d/e d/empty"},
            {"rename it", "mv d d2"},
        };
        // every path by name, none found by listing a directory: a listing hands the kernel fresh attributes of all it lists
        String look = "stat -c '%n %F %a %h %.9Y %.9Z' d d/f d/e d/sub d/sub/deeper d/moved d/moved/deeper d/gone d/empty d/empty/e"
                + " d2 d2/moved d2/moved/deeper d2/empty 2>/dev/null; true";
        for (String[] step : steps) {
            String before = Shell.ok(workB(), "sh", "-c", look);
            Shell.ok(workA(), "sh", "-c", step[1]);
            String seenByA = Shell.ok(workA(), "sh", "-c", look);
            String seenByB = Shell.ok(workB(), "sh", "-c", look);
            assertThat(seenByB).as("through B right after A did: %s (B saw before:%n%s)", step[0], before).isEqualTo(seenByA);
        }
        assertThat(Files.isDirectory(b("d2/moved/deeper"))).isTrue();
        assertThat(Files.exists(b("d"))).isFalse();
    }

    @Test
    void aWriteThroughOneMountIsReadThroughTheOther() throws IOException {
        int spanBytes = 3 << 20;
        byte[] expected = new byte[spanBytes];
        long size = 0;
        SplittableRandom random = new SplittableRandom(31);
        Files.createFile(a("f"));
        try (FileChannel onA = FileChannel.open(a("f"), StandardOpenOption.READ, StandardOpenOption.WRITE);
                FileChannel onB = FileChannel.open(b("f"), StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            for (int round = 0; round < 24; round++) {
                boolean fromA = round % 2 == 0;
                int length = 1 + random.nextInt(round % 4 == 0 ? 1 << 20 : 5000);
                int offset = random.nextInt(spanBytes - length);
                byte[] data = pattern(100 + round, length);
                writeFully(fromA ? onA : onB, offset, data); // acknowledged, not closed
                System.arraycopy(data, 0, expected, offset, length);
                size = Math.max(size, offset + length);
                Path other = fromA ? b("f") : a("f");
                assertBytes(readAt(other, offset, length), data, "round %d: a new open on the other mount", round);
                assertBytes(readFully(fromA ? onB : onA, offset, length), data,
                        "round %d: a descriptor the other mount opened before the write", round);
                assertThat(Files.size(other)).as("round %d: the size through the other mount", round).isEqualTo(size);
            }
            assertBytes(Files.readAllBytes(b("f")), Arrays.copyOf(expected, (int) size),
                    "the whole file, both still open");
        }
        assertBytes(Files.readAllBytes(a("f")), Arrays.copyOf(expected, (int) size), "content");
    }

    /**
     * A mount keeps where a file's bytes are after reading them: every write, truncate and
     * overwrite through the other mount must reach it before it is acknowledged. B reads each
     * range right before A changes it, and must read the new bytes right after.
     */
    @Test
    void whatOneMountReadIsReadAnewAfterTheOtherChangesIt() throws IOException {
        int span = 6 << 20;
        Files.write(a("f"), pattern(1, span));
        byte[] expected = pattern(1, span);
        try (FileChannel onA = FileChannel.open(a("f"), StandardOpenOption.WRITE);
                FileChannel onB = FileChannel.open(b("f"), StandardOpenOption.READ)) {
            int[][] writes = {{0, 4096}, {4096, 1 << 20}, {(4 << 20) - 100, 200}, {5 << 20, 1 << 20}, {123_457, 77}};
            for (int round = 0; round < writes.length; round++) {
                int offset = writes[round][0];
                int length = writes[round][1];
                assertBytes(readFully(onB, offset, length), Arrays.copyOfRange(expected, offset, offset + length),
                        "round %d: before the write", round);
                byte[] data = pattern(50 + round, length);
                writeFully(onA, offset, data);
                System.arraycopy(data, 0, expected, offset, length);
                assertBytes(readFully(onB, offset, length), data, "round %d: right after the write through A", round);
            }
            assertBytes(readFully(onB, 0, span), expected, "the whole file through B");
            assertThat(readFully(onB, span - 10, 100)).as("read across the end").hasSize(10);
            writeFully(onA, span, pattern(77, 4096));
            assertBytes(readFully(onB, span, 4096), pattern(77, 4096), "appended through A");
            onA.truncate(1 << 20);
            assertThat(readFully(onB, (1 << 20) - 10, 100)).as("read across the new end").hasSize(10);
            assertBytes(readFully(onB, 0, 1 << 20), Arrays.copyOf(expected, 1 << 20), "what is left");
        }
        Files.write(a("f"), pattern(99, 3000)); // O_TRUNC through A, then new bytes
        assertBytes(Files.readAllBytes(b("f")), pattern(99, 3000), "rewritten through A");
    }

    @Test
    void namespaceChangesThroughOneMountAreSeenByTheOther() throws IOException {
        assertThat(Files.exists(b("later"))).isFalse(); // a negative lookup that must not be kept
        Files.writeString(a("later"), "created through A");
        assertThat(Files.readString(b("later"))).isEqualTo("created through A");
        rename(a("later"), a("renamed"));
        assertThat(Files.exists(b("later"))).isFalse();
        assertThat(Files.readString(b("renamed"))).isEqualTo("created through A");
        assertThat(listNames(workB())).containsExactly("renamed");
        Files.delete(b("renamed"));
        assertThat(Files.exists(a("renamed"))).isFalse();
        assertThatThrownBy(() -> Files.readString(a("renamed"))).isInstanceOf(NoSuchFileException.class);
        Files.createDirectory(b("d"));
        assertThat(Files.isDirectory(a("d"))).isTrue();
        Files.writeString(a("d/f"), "0123456789");
        try (RandomAccessFile file = new RandomAccessFile(a("d/f").toFile(), "rw")) {
            file.setLength(4);
        }
        assertThat(Files.readString(b("d/f"))).isEqualTo("0123");
        Files.delete(a("d/f"));
        Files.delete(a("d"));
        assertThat(Files.exists(b("d"))).isFalse();
        assertThat(listNames(workB())).isEmpty();
    }

    @Test
    void aFileOpenThroughOneMountSurvivesAnUnlinkThroughTheOther() throws IOException {
        byte[] data = pattern(40, 200_000);
        Files.write(a("f"), data);
        try (FileChannel onB = FileChannel.open(b("f"), StandardOpenOption.READ)) {
            Files.delete(a("f"));
            assertThat(Files.exists(b("f"))).isFalse();
            assertBytes(readFully(onB, 0, data.length), data, "content");
        }
        assertThat(listNames(workA())).isEmpty();
    }

    // ---- the randomized exerciser ----

    @Test
    void exerciserAgreesWithTheModelForAFixedSeed() {
        FsExerciser.Report report = new FsExerciser(workA(), workB()).run(FIXED_SEED, exerciserOperations());
        System.out.println(report);
        assertThat(report.operations()).isEqualTo(exerciserOperations());
    }

    @Test
    void exerciserAgreesWithTheModelForARandomSeed() {
        long seed = Long.getLong("strata.posix.seed", new SplittableRandom().nextLong());
        System.out.println("FsExerciser random seed " + seed + " (replay with -Dstrata.posix.seed=" + seed + ")");
        FsExerciser.Report report = new FsExerciser(workA(), workB()).run(seed, exerciserOperations());
        System.out.println(report);
        assertThat(report.operations()).isEqualTo(exerciserOperations());
    }
}
