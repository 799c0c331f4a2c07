package io.strata.fuse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/** Runs a shell command in a directory with a timeout, capturing its output. */
final class Shell {
    record Result(int exitCode, String out, String err) {
        Result ok() {
            if (exitCode != 0) {
                throw new AssertionError("exit " + exitCode + ": " + err + out);
            }
            return this;
        }
    }

    private Shell() {
    }

    static Result run(Path dir, String command) {
        try {
            Process process = new ProcessBuilder("bash", "-c", command).directory(dir.toFile()).start();
            process.getOutputStream().close();
            var errFuture = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
                try {
                    return process.getErrorStream().readAllBytes();
                } catch (IOException e) {
                    return new byte[0];
                }
            });
            var out = process.getInputStream().readAllBytes();
            var err = errFuture.join();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("timed out: " + command);
            }
            return new Result(process.exitValue(), new String(out, StandardCharsets.UTF_8).strip(),
                    new String(err, StandardCharsets.UTF_8).strip());
        } catch (IOException e) {
            throw new AssertionError("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted running " + command, e);
        }
    }

    static String ok(Path dir, String command) {
        return run(dir, command).ok().out();
    }
}
