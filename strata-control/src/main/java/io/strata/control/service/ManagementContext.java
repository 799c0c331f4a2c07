package io.strata.control.service;

import io.strata.runtime.Clock;
import io.strata.runtime.Release;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything a management process is configured with, checked once before it starts.
 *
 * @param hostname         the server it runs on
 * @param address          the address it listens on (and peers reach it at)
 * @param containerName    its container, e.g. {@code drives0}
 * @param basePort         the container's base port: the management process listens here and its
 *                         Raft peer on base + {@link io.strata.config.ProcessIds#RAFT_PORT_OFFSET}
 * @param dataDir          where its Raft log and snapshots live
 * @param membershipFile   the host agent's membership file (absent until the server joins a cluster)
 * @param joinSecretFile   the host agent's 0600 join secret file
 * @param localKey         the host agent's local key, for the host's administrator
 */
public record ManagementContext(
        String hostname,
        String address,
        String containerName,
        int basePort,
        Release release,
        Path dataDir,
        Path membershipFile,
        Path joinSecretFile,
        Supplier<String> localKey,
        Clock clock,
        ContainerRuntime runtime,
        long heartbeatIntervalMs,
        long downAfterMs) {

    public static final long DEFAULT_HEARTBEAT_INTERVAL_MS = 1000;
    public static final long DEFAULT_DOWN_AFTER_MS = 4000;

    public ManagementContext {
        Objects.requireNonNull(hostname, "hostname");
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(containerName, "containerName");
        Objects.requireNonNull(release, "release");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(runtime, "runtime");
        clock = clock == null ? Clock.SYSTEM : clock;
        heartbeatIntervalMs = heartbeatIntervalMs <= 0 ? DEFAULT_HEARTBEAT_INTERVAL_MS : heartbeatIntervalMs;
        downAfterMs = downAfterMs <= 0 ? DEFAULT_DOWN_AFTER_MS : downAfterMs;
        if (downAfterMs <= 2 * heartbeatIntervalMs) {
            throw new IllegalArgumentException("downAfterMs " + downAfterMs + " must exceed two heartbeats of "
                    + heartbeatIntervalMs + " ms");
        }
    }

    public String qualifiedName() {
        return hostname + "/" + containerName;
    }
}
