package io.strata.config.agent;

import io.strata.config.resources.ResourceFile;
import java.util.List;

/**
 * {@code strata local setup container}: the resources of a new container, or (single-container
 * layout) a name and a core count the agent allocates with the generator's rules; the release it
 * runs (null: the agent's own), how its processes idle (null: the default), and whether to start it.
 */
public record SetupRequest(ResourceFile resources, String name, Integer cores, String release, String idleStrategy,
        List<String> joinIps, boolean start) {
    public SetupRequest {
        joinIps = joinIps == null ? List.of() : List.copyOf(joinIps);
    }

    public static SetupRequest of(ResourceFile resources) {
        return new SetupRequest(resources, null, null, null, null, List.of(), true);
    }
}
