package io.strata.control.process;

import io.strata.config.Role;
import io.strata.config.cluster.ClusterConfig;
import io.strata.protocol.nio.NioTransport;
import io.strata.runtime.Clock;
import java.nio.file.Path;
import java.util.function.Supplier;

/**
 * What a role process is given: who it is, its network, the cluster configuration as its
 * management process follows it, and a way for other threads to hand it work.
 *
 * @param processId  {@code containerId * 20 + slot}, or -1 before the container joined a cluster
 * @param dataDir    the container's data folder, for anything this process keeps on disk
 */
public record ProcessContext(
        int slot,
        Role role,
        Supplier<Integer> processId,
        String hostname,
        String containerName,
        NioTransport transport,
        Supplier<ClusterConfig> config,
        Clock clock,
        Path dataDir,
        CommandQueue commands,
        PeerConnections peers,
        Timers timers,
        ControlPlaneAccess controlPlane) {

    /** Runs {@code task} on the process's own thread at its next duty cycle; safe from any thread. */
    public boolean execute(Runnable task) {
        boolean queued = commands.offer(task);
        if (queued) {
            transport.wakeup();
        }
        return queued;
    }
}
