package io.strata.systemtest.posix;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;

/**
 * Runs a command (an argument vector, no shell quoting) with a timeout and captures its output,
 * for the few POSIX operations java.nio.file cannot express. Also runs commands as an
 * unprivileged user, for permission checks.
 */
final class Shell {
    static final int NOBODY_ID = 65534;
    private static final long TIMEOUT_SECONDS = 60;

    record Result(List<String> command, int exitCode, String out, String err) {
        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError(this.toString());
            }
            return this;
        }

        @Override
        public String toString() {
            return String.join(" ", command) + " exited " + exitCode + (err.isEmpty() ? "" : ": " + err)
                    + (out.isEmpty() ? "" : " (stdout: " + out + ")");
        }
    }

    private Shell() {
    }

    static Result run(Path dir, String... command) {
        try {
            Process process = new ProcessBuilder(command).directory(dir.toFile()).start();
            process.getOutputStream().close();
            FutureTask<byte[]> err = new FutureTask<>(() -> readAll(process.getErrorStream()));
            Thread.ofPlatform().daemon().name("shell-stderr").start(err);
            byte[] out = readAll(process.getInputStream());
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out after " + TIMEOUT_SECONDS + " s: " + String.join(" ", command));
            }
            return new Result(List.of(command), process.exitValue(), new String(out, StandardCharsets.UTF_8).strip(),
                    new String(err.get(), StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + String.join(" ", command), e);
        } catch (ExecutionException e) {
            throw new AssertionError("cannot read the error output of " + String.join(" ", command), e);
        }
    }

    /** Runs {@code command} and answers its standard output; fails with the command's error if it fails. */
    static String ok(Path dir, String... command) {
        return run(dir, command).ok().out();
    }

    private static byte[] readAll(java.io.InputStream in) {
        try {
            return in.readAllBytes();
        } catch (IOException e) {
            return new byte[0];
        }
    }

    /**
     * Runs {@code command} as user and group 65534 (nobody) without supplementary groups: with
     * setpriv, else su. When this process is not root it is unprivileged already and the command
     * runs as it is. Fails, never skips, when no tool can drop privileges.
     */
    static Result runUnprivileged(String... command) {
        if (!isRoot()) {
            return run(Path.of("/"), command);
        }
        List<String> argv = new ArrayList<>();
        if (onPath("setpriv")) {
            argv.addAll(List.of("setpriv", "--reuid=" + NOBODY_ID, "--regid=" + NOBODY_ID, "--clear-groups"));
            argv.addAll(Arrays.asList(command));
        } else if (onPath("su")) {
            // sh -c 'exec "$0" "$@"' cmd args...: the arguments pass through unquoted; "--" keeps su from
            // taking the command's own options (a second -c) for its own
            argv.addAll(List.of("su", "-s", "/bin/sh", "-c", "exec \"$0\" \"$@\"", "--", "nobody"));
            argv.addAll(Arrays.asList(command));
        } else {
            throw new AssertionError("permission checks need setpriv (util-linux) or su to run a command as "
                    + "uid " + NOBODY_ID + "; neither is on PATH " + System.getenv("PATH"));
        }
        return run(Path.of("/"), argv.toArray(String[]::new));
    }

    static boolean isRoot() {
        try {
            return ((Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid")).intValue() == 0;
        } catch (IOException e) {
            throw new AssertionError("cannot read this process's uid from /proc/self: " + e.getMessage(), e);
        }
    }

    static boolean onPath(String tool) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(":")) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }
}
