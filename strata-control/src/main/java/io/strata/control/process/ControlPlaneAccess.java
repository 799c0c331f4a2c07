package io.strata.control.process;

import io.strata.config.cluster.ConfigCommand;
import io.strata.control.raft.CommandReply;
import java.util.concurrent.CompletableFuture;

/**
 * How a role process asks the control plane for a change (leasing regions, reserving capacity,
 * reporting usage): through its container's management process, off the process's own thread.
 * The future completes on another thread; hand the result back with {@link ProcessContext#execute}.
 */
@FunctionalInterface
public interface ControlPlaneAccess {
    CompletableFuture<CommandReply> submit(ConfigCommand command);
}
