package io.strata.config.agent;

import io.strata.config.resources.ResourceFile;
import java.util.List;

/**
 * {@code strata local setup container}: the resources of a new container, the release it runs
 * (null: the agent's own), how its processes idle (null: the default), and whether to start it.
 */
public record SetupRequest(ResourceFile resources, String release, String idleStrategy, List<String> joinIps, boolean start) {
    public SetupRequest {
        joinIps = joinIps == null ? List.of() : List.copyOf(joinIps);
    }
}
