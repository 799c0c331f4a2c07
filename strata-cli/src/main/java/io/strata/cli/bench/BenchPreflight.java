package io.strata.cli.bench;

import io.strata.cli.sandbox.SandboxState;
import io.strata.resources.ByteSizes;
import io.strata.runtime.StrataException;
import io.strata.config.ProcessIds;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;

/** The bench's refusals, each one line saying what is wrong and what to do, decided on plain facts so they can be tested. */
final class BenchPreflight {
    private BenchPreflight() {
    }

    static Path requireFio(Optional<Path> fio) {
        return fio.orElseThrow(() -> StrataException.notFound(
                "fio is not installed: the bench runs its jobs with fio (Debian package 'fio': apt-get install fio)"));
    }

    static void refuseRunningSandbox(Optional<SandboxState> state, boolean running) {
        if (state.isPresent() && running) {
            throw StrataException.conflict("a sandbox of %d servers is running (started %s): the bench starts its own and "
                    + "measures an idle machine; stop it first with 'strata sandbox down'", state.get().servers().size(),
                    Instant.ofEpochMilli(state.get().createdAtMillis()));
        }
    }

    static void requireSpace(BenchOptions options, long usableBytes, Path where) {
        long needed = options.neededBytes();
        if (usableBytes < needed) {
            throw StrataException.unavailable("not enough free space at %s: the bench needs %s (its %s fio file on each "
                    + "target, with 4+2 parity on the sandbox and the peer, %s) and only %s is free; try a smaller --size",
                    where, ByteSizes.describe(needed), ByteSizes.describe(options.sizeBytes()),
                    options.needsSandbox() ? "and " + ByteSizes.describe(BenchOptions.SANDBOX_ROOM_BYTES) + " for the sandbox"
                            : "and " + ByteSizes.describe(BenchOptions.OTHER_ROOM_BYTES) + " to spare",
                    ByteSizes.describe(usableBytes));
        }
    }

    /** Mounting FUSE (the ceiling, the sandbox's frontends, GlusterFS's client) needs root. */
    static void requireRoot(BenchOptions options, int uid) {
        boolean mounts = options.targets().stream().anyMatch(t -> !t.equals(BenchOptions.RAW));
        if (mounts && uid != 0) {
            throw StrataException.unavailable("the bench mounts FUSE file systems (targets %s) and needs root; "
                    + "run it as root or with --targets raw", String.join(",", options.targets()));
        }
    }

    static String requireDistribution(String dist) {
        if (dist == null || dist.isBlank()) {
            throw StrataException.invalid("STRATA_DIST is not set: the strata targets start a sandbox; run the bench with ./strata bench");
        }
        return dist;
    }

    /**
     * The bench's sandbox takes the agent port on every address of its subnet; a sandbox of another
     * clone (whose state this one cannot see) may already be there.
     */
    static void requireFreeSubnet(String subnet, Optional<String> answering) {
        answering.ifPresent(address -> {
            throw StrataException.conflict("%s already answers (a sandbox of another clone?): the bench's sandbox needs the "
                    + "subnet %s to itself; choose another with --subnet", address, subnet);
        });
    }

    /** The first address of the subnet's servers where something listens on the host agent's port, if any. */
    static Optional<String> answeringAgent(String subnet, int servers) {
        for (int i = 1; i <= servers; i++) {
            String address = subnet + "." + i + ":" + ProcessIds.AGENT_PORT;
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress(subnet + "." + i, ProcessIds.AGENT_PORT), 500);
                return Optional.of(address);
            } catch (IOException e) {
                // nothing there
            }
        }
        return Optional.empty();
    }

    static void requirePeer(Optional<String> unavailable) {
        unavailable.ifPresent(reason -> {
            throw StrataException.unavailable("%s", reason);
        });
    }
}
