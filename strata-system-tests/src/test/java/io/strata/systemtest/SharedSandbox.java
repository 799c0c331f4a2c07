package io.strata.systemtest;

import io.strata.cli.sandbox.SandboxState;
import io.strata.runtime.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One six-server sandbox with its filesystem mounted on two servers, started the first time a
 * test class asks for it and shared by every data-plane test class of the run (forming a
 * cluster takes most of a minute on two cores). It is stopped when the test run ends, and the
 * run fails if anything of it keeps running.
 */
public final class SharedSandbox implements ExtensionContext.Store.CloseableResource {
    public static final String SUBNET = "127.0.4";
    private static final Object LOCK = new Object();

    private final Path home;
    private final CliRunner cli;
    private final SandboxState state;
    private final Path mountA;
    private final Path mountB;

    private SharedSandbox(Path home, CliRunner cli, SandboxState state, Path mountA, Path mountB) {
        this.home = home;
        this.cli = cli;
        this.state = state;
        this.mountA = mountA;
        this.mountB = mountB;
    }

    /** The run's sandbox, started on first use. */
    public static SharedSandbox get(ExtensionContext context) {
        synchronized (LOCK) {
            ExtensionContext.Store store = context.getRoot().getStore(ExtensionContext.Namespace.GLOBAL);
            return store.getOrComputeIfAbsent(SharedSandbox.class, key -> start(), SharedSandbox.class);
        }
    }

    private static SharedSandbox start() {
        try {
            Path home = Files.createTempDirectory("strata-dataplane-");
            // temporary folders are 0700: the permission checks' unprivileged user must reach the mounts inside
            Files.setPosixFilePermissions(home, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
            CliRunner cli = new CliRunner(home);
            long started = System.nanoTime();
            CliRunner.Result up = cli.run("sandbox", "up", "--subnet", SUBNET);
            System.out.println(up.out());
            if (up.code() != 0) {
                throw new AssertionError("sandbox up failed: " + up);
            }
            System.out.printf("FIGURE sandbox up with drives, a filesystem and a mount: %.1f s%n", (System.nanoTime() - started) / 1e9);
            SandboxState state = Json.readFile(home.resolve("sandbox").resolve("state.json"), SandboxState.class);
            Path mountB = home.resolve("mnt-b");
            Files.createDirectories(mountB);
            cli.run("-H", SUBNET + ".2", "mount", "default", mountB.toString()).expectSuccess();
            return new SharedSandbox(home, cli, state, Path.of(state.mountpoint()), mountB);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    public Path home() {
        return home;
    }

    public CliRunner cli() {
        return cli;
    }

    public SandboxState state() {
        return state;
    }

    /** The filesystem 'default' mounted on server 1. */
    public Path mountA() {
        return mountA;
    }

    /** The same filesystem mounted on server 2. */
    public Path mountB() {
        return mountB;
    }

    public static String address(int server) {
        return SUBNET + "." + server;
    }

    @Override
    public void close() {
        cli.run("-H", address(2), "umount", mountB.toString());
        Sandboxes.keepLogs(home.resolve("sandbox"), "dataplane");
        CliRunner.Result down = cli.run("sandbox", "down");
        System.out.println(down.out());
        long left = ProcessHandle.allProcesses()
                .filter(p -> p.info().arguments().map(args -> String.join(" ", args).contains(home.toString())).orElse(false))
                .count();
        if (left > 0 || down.code() != 0) {
            throw new AssertionError("the shared sandbox did not stop cleanly (" + left + " processes left): " + down);
        }
    }
}
