package io.strata.config.agent;

import java.util.List;

/** Names the containers a local verb acts on; empty means all of this server's containers. */
public record ContainerNames(List<String> names, boolean graceful) {
    public ContainerNames {
        names = names == null ? List.of() : List.copyOf(names);
    }
}
