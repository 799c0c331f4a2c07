package io.strata.config.agent;

import io.strata.config.server.ServerIdentity;
import java.util.List;

/** What a host agent tells about its server: who it is, what it runs, which cluster it joined. */
public record AgentInfo(ServerIdentity server, String agentRelease, List<String> installedReleases, String clusterId,
        List<ContainerStatus> containers) {
    public AgentInfo {
        installedReleases = installedReleases == null ? List.of() : List.copyOf(installedReleases);
        containers = containers == null ? List.of() : List.copyOf(containers);
    }
}
