package io.strata.cli.bench;

import io.strata.runtime.ChildProcesses;
import io.strata.runtime.SafeFiles;
import io.strata.runtime.StrataException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The peer: a GlusterFS dispersed volume of six bricks with two of redundancy (4+2, as the
 * sandbox), all on this machine, its bricks in folders on the file system the sandbox's drives
 * live on, mounted through GlusterFS's FUSE client. The bench starts its own glusterd and undoes
 * everything: the mount, the volume, the brick and self-heal processes, glusterd, the bricks.
 */
final class GlusterPeer implements AutoCloseable {
    static final String VOLUME = "strata-bench";
    /** The gluster CLI refuses localhost and 127.0.0.1 as a brick's host; any other loopback address is accepted. */
    static final String BRICK_HOST = "127.0.0.2";
    static final int BRICKS = 6;
    static final int REDUNDANCY = 2;
    static final Path GLUSTERD = Path.of("/usr/sbin/glusterd");
    static final Path GLUSTER = Path.of("/usr/sbin/gluster");
    static final Path MOUNT_HELPER = Path.of("/sbin/mount.glusterfs");
    static final Path STATE = Path.of("/var/lib/glusterd");
    static final Path RUN = Path.of("/var/run/gluster");

    private final Path work;
    private final Path mountpoint;
    private final Cleanup cleanup;
    private final Consumer<String> step;
    private final List<Cleanup.Action> actions = new ArrayList<>();

    GlusterPeer(Path work, Path mountpoint, Cleanup cleanup, Consumer<String> step) {
        this.work = work;
        this.mountpoint = mountpoint;
        this.cleanup = cleanup;
        this.step = step;
    }

    /** Why the peer cannot run on this machine, if it cannot: one line. */
    static Optional<String> unavailable(List<Path> missing, Optional<Long> runningGlusterd, boolean volumeLeft) {
        if (!missing.isEmpty()) {
            return Optional.of("--peer glusterfs needs GlusterFS, and " + missing.stream().map(Path::toString)
                    .collect(Collectors.joining(", ")) + " is missing: install the Debian packages glusterfs-server and "
                    + "glusterfs-client (apt-get install glusterfs-server)");
        }
        if (runningGlusterd.isPresent()) {
            return Optional.of("--peer glusterfs: glusterd is already running (pid " + runningGlusterd.get() + "); the bench "
                    + "starts and stops its own, so stop that one first");
        }
        if (volumeLeft) {
            return Optional.of("--peer glusterfs: a volume " + VOLUME + " is left in " + STATE.resolve("vols")
                    + " from an earlier run; start glusterd and remove it with 'gluster volume delete " + VOLUME + "'");
        }
        return Optional.empty();
    }

    /** {@link #unavailable(List, Optional, boolean)} for this machine. */
    static Optional<String> unavailableHere() {
        List<Path> missing = Stream.of(GLUSTERD, GLUSTER, MOUNT_HELPER).filter(p -> !Files.isExecutable(p)).toList();
        Optional<Long> running = ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> Path.of(c).getFileName().toString().equals("glusterd")).orElse(false))
                .map(ProcessHandle::pid).findFirst();
        return unavailable(missing, running, Files.exists(STATE.resolve("vols").resolve(VOLUME)));
    }

    /**
     * Starts glusterd, creates and starts the volume and mounts it; each step is undone by
     * {@link #close()} or, should the bench be interrupted, by its clean-up.
     */
    void start() {
        Set<String> runBefore = list(RUN);
        SafeFiles.createDirectories(work);
        undo("remove the glusterfs bricks " + work, () -> SafeFiles.deleteRecursively(work));
        Process glusterd = launch(List.of("setsid", GLUSTERD.toString(), "-N", "--log-file=" + work.resolve("glusterd.log")));
        undo("stop glusterd", () -> stopGlusterd(glusterd, runBefore));
        awaitGlusterd(glusterd);
        List<String> create = new ArrayList<>(List.of("volume", "create", VOLUME, "disperse", Integer.toString(BRICKS), "redundancy",
                Integer.toString(REDUNDANCY)));
        for (int i = 1; i <= BRICKS; i++) {
            Path brick = work.resolve("brick" + i);
            SafeFiles.createDirectories(brick);
            create.add(BRICK_HOST + ":" + brick);
        }
        create.add("force");
        gluster(create);
        undo("delete the glusterfs volume " + VOLUME, () -> {
            try {
                gluster(List.of("volume", "stop", VOLUME, "force"));
            } finally {
                gluster(List.of("volume", "delete", VOLUME));
            }
        });
        // O_DIRECT honoured by the client's translators too (write-behind, caches), as fio asks for it
        gluster(List.of("volume", "set", VOLUME, "performance.strict-o-direct", "on"));
        gluster(List.of("volume", "start", VOLUME));
        step.accept("glusterfs: volume " + VOLUME + " (disperse " + BRICKS + ", redundancy " + REDUNDANCY + ") started, bricks in " + work);
        SafeFiles.createDirectories(mountpoint);
        run(List.of("mount", "-t", "glusterfs", BRICK_HOST + ":/" + VOLUME, mountpoint.toString()), 60);
        undo("unmount " + mountpoint, () -> {
            try {
                run(List.of("umount", mountpoint.toString()), 60);
            } catch (StrataException e) {
                run(List.of("umount", "-l", mountpoint.toString()), 60);
            }
        });
        step.accept("glusterfs: mounted at " + mountpoint);
    }

    private void undo(String what, Runnable action) {
        actions.add(cleanup.register(what, action));
    }

    /** Undoes what {@link #start()} did, newest first. */
    @Override
    public void close() {
        actions.reversed().forEach(Cleanup.Action::close);
        actions.clear();
    }

    private void awaitGlusterd(Process glusterd) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            cleanup.checkNotCancelled();
            if (!glusterd.isAlive()) {
                throw StrataException.unavailable("glusterd exited with code %d; see %s", glusterd.exitValue(),
                        work.resolve("glusterd.log"));
            }
            try {
                gluster(List.of("volume", "list"));
                return;
            } catch (StrataException e) {
                if (System.nanoTime() > deadline) {
                    throw StrataException.unavailable("glusterd did not answer within 30 s: %s", e.getMessage());
                }
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw StrataException.unavailable("interrupted");
            }
        }
    }

    /** Stops glusterd, then whatever it started for the volume, and removes the sockets it left. */
    private void stopGlusterd(Process glusterd, Set<String> runBefore) {
        Cleanup.stop(glusterd);
        List<ProcessHandle> leftovers = ProcessHandle.allProcesses().filter(this::servesTheVolume).toList();
        leftovers.forEach(ProcessHandle::destroy);
        for (ProcessHandle leftover : leftovers) {
            try {
                leftover.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception e) {
                leftover.destroyForcibly();
            }
        }
        for (String name : list(RUN)) {
            if (!runBefore.contains(name) && name.endsWith(".socket")) {
                try {
                    Files.deleteIfExists(RUN.resolve(name));
                } catch (IOException e) {
                    // a socket left behind is harmless
                }
            }
        }
        SafeFiles.deleteRecursively(RUN.resolve("vols").resolve(VOLUME));
        SafeFiles.deleteRecursively(RUN.resolve("shd").resolve(VOLUME));
    }

    /** A brick, self-heal or client process of the bench's volume. */
    private boolean servesTheVolume(ProcessHandle process) {
        boolean gluster = process.info().command().map(c -> Path.of(c).getFileName().toString().startsWith("gluster")).orElse(false);
        return gluster && process.info().arguments().map(args -> String.join(" ", args))
                .map(line -> line.contains(work.toString()) || line.contains(VOLUME)).orElse(false);
    }

    private static Set<String> list(Path dir) {
        if (!Files.isDirectory(dir)) {
            return Set.of();
        }
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        } catch (IOException e) {
            return Set.of();
        }
    }

    private void gluster(List<String> args) {
        List<String> command = new ArrayList<>(List.of(GLUSTER.toString(), "--mode=script"));
        command.addAll(args);
        run(command, 120);
    }

    private Process launch(List<String> command) {
        try {
            return ChildProcesses.logged(command, ProcessBuilder.Redirect.appendTo(work.resolve("glusterd.out").toFile())).start();
        } catch (IOException e) {
            throw StrataException.unavailable("cannot start %s: %s", command.get(1), e.getMessage());
        }
    }

    /**
     * Runs a command to its end; its output is the message when it fails. The output goes through a
     * file, not a pipe: a daemon the command starts (the mount's client) may keep a pipe open.
     */
    private void run(List<String> command, long timeoutSeconds) {
        Path output = work.resolve("command.out");
        try {
            Process process = ChildProcesses.logged(command, ProcessBuilder.Redirect.to(output.toFile())).start();
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw StrataException.unavailable("'%s' did not finish within %d s", String.join(" ", command), timeoutSeconds);
            }
            String text = Files.readString(output, StandardCharsets.UTF_8).strip();
            if (process.exitValue() != 0) {
                throw StrataException.unavailable("'%s' failed: %s", String.join(" ", command),
                        text.isEmpty() ? "exit code " + process.exitValue() : text.lines().reduce((a, b) -> b).orElse(text));
            }
        } catch (IOException e) {
            throw StrataException.unavailable("cannot run %s: %s", command.getFirst(), e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw StrataException.unavailable("interrupted");
        }
    }
}
