package io.strata.config.agent;

import io.strata.config.cluster.MemberEndpoint;
import java.util.List;
import java.util.Map;

/**
 * Tells a host agent it is now part of a cluster: the ids given to its containers, the management
 * processes that keep the configuration, and the join secret its containers will prove.
 * The secret is written to a 0600 file and never echoed back.
 */
public record JoinRequest(String clusterId, String clusterName, List<MemberEndpoint> members,
        Map<String, Integer> containerIds, String joinSecret) {
    @Override
    public String toString() {
        return "JoinRequest[" + clusterId + ", " + containerIds + ", secret=<hidden>]";
    }
}
