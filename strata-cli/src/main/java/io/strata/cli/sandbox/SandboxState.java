package io.strata.cli.sandbox;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Optional;

/** What {@code sandbox up} started, so {@code sandbox down} and the CLI's defaults can find it. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record SandboxState(String layout, String release, long createdAtMillis, List<Server> servers, String clusterId,
        String mountpoint) {

    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Server(String hostname, String address, String root, long agentPid) {
    }

    public SandboxState {
        servers = servers == null ? List.of() : List.copyOf(servers);
    }

    public Optional<Server> serverAt(String hostOrAddress) {
        return servers.stream().filter(s -> s.address().equals(hostOrAddress) || s.hostname().equals(hostOrAddress)).findFirst();
    }
}
