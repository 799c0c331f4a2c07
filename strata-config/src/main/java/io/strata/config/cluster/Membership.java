package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a server keeps of the cluster it joined (the host agent's {@code cluster/membership.json}):
 * the cluster's id and name, the management processes that keep its configuration, and the ids
 * the cluster gave this server's containers. The join secret is kept apart, in a 0600 file.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Membership(String clusterId, String clusterName, List<MemberEndpoint> members, Map<String, Integer> containerIds) {
    public Membership {
        members = members == null ? List.of() : List.copyOf(members);
        containerIds = containerIds == null ? Map.of() : new TreeMap<>(containerIds);
    }

    public Integer containerId(String containerName) {
        return containerIds.get(containerName);
    }

    public boolean isMember(int containerId) {
        return members.stream().anyMatch(m -> m.containerId() == containerId);
    }

    /** The member endpoints the live configuration names, falling back to the ones joined with. */
    public static List<MemberEndpoint> membersOf(ClusterConfig config, List<MemberEndpoint> fallback) {
        if (config == null || !config.isCreated() || config.controlMembers().isEmpty()) {
            return fallback;
        }
        return config.controlMembers().stream()
                .map(id -> config.containers().get(id))
                .filter(java.util.Objects::nonNull)
                .map(c -> new MemberEndpoint(c.id(), c.hostname(), c.address(), c.basePort(),
                        io.strata.config.ProcessIds.raftPort(c.basePort(), 0)))
                .toList();
    }
}
