package io.strata.control.service;

import io.strata.config.ProcessIds;
import io.strata.config.Role;
import io.strata.config.agent.AgentInfo;
import io.strata.config.agent.ContainerStatus;
import io.strata.config.cluster.ClusterConfig;
import io.strata.config.cluster.ContainerEntry;
import io.strata.config.cluster.Health;
import io.strata.config.cluster.MemberEndpoint;
import io.strata.config.cluster.ProcessEntry;
import io.strata.config.cluster.Protection;
import io.strata.config.cluster.ServerEntry;
import io.strata.config.resources.ProcessSlot;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * How servers become a cluster: their agents' reports turned into configuration entries, and
 * the choice of the management processes that keep the configuration (at most five, each in
 * its own failure domain, drives containers first because they stay up during maintenance).
 */
public final class ClusterFormation {
    public static final int MAX_CONTROL_MEMBERS = 5;

    private ClusterFormation() {
    }

    public static ServerEntry serverOf(AgentInfo info) {
        return new ServerEntry(info.server().hostname(), info.server().address(), info.server().failureDomain(),
                info.server().agentPort());
    }

    /** The entries for a server's containers; ids are placeholders until the cluster assigns them. */
    public static List<ContainerEntry> containersOf(AgentInfo info, long nowMillis) {
        if (info.containers().isEmpty()) {
            throw StrataException.invalid("%s has no containers: set them up first with 'strata local setup container'",
                    info.server().hostname());
        }
        List<ContainerEntry> entries = new ArrayList<>();
        List<ContainerStatus> ordered = new ArrayList<>(info.containers());
        ordered.sort(Comparator.comparingInt((ContainerStatus c) -> roleOrder(c.resources().roles())).thenComparing(ContainerStatus::name));
        for (ContainerStatus container : ordered) {
            if (!container.ready()) {
                throw StrataException.unavailable("container %s on %s is %s, not ready; start it first ('strata local start %s')",
                        container.name(), info.server().hostname(), container.state(), container.name());
            }
            List<ProcessEntry> processes = new ArrayList<>();
            for (ProcessSlot slot : container.resources().processes()) {
                processes.add(new ProcessEntry(slot.slot(), slot.slot(), slot.role(), slot.coreId(), slot.port(), Health.UP));
            }
            entries.add(new ContainerEntry(-1, container.name(), info.server().hostname(), info.server().address(),
                    container.resources().failureDomain(), container.resources().basePort(), container.release(), true,
                    Health.UP, nowMillis, null, container.resources().memoryBytes(), processes, container.startedAtMillis(),
                    container.pid()));
        }
        return entries;
    }

    /** Drives containers first, then compute, then frontend: ids then read in the order containers start. */
    private static int roleOrder(List<Role> roles) {
        if (roles.contains(Role.DRIVE) && roles.size() == 1) {
            return 0;
        }
        if (roles.contains(Role.COMPUTE) && !roles.contains(Role.DRIVE)) {
            return 1;
        }
        return roles.contains(Role.FRONTEND) && roles.size() == 1 ? 2 : 3;
    }

    /** The first configuration of a new cluster: every server's containers, numbered in order. */
    public static ClusterConfig initialConfig(String clusterId, String name, long nowMillis, Protection protection,
            int bucketCount, List<AgentInfo> servers) {
        return initialConfig(clusterId, name, nowMillis, protection, bucketCount, DEFAULT_BUCKET_REPLICAS, servers);
    }

    /** As above, with {@code bucketReplicas} (3 or 5) compute processes replicating each bucket. */
    public static ClusterConfig initialConfig(String clusterId, String name, long nowMillis, Protection protection,
            int bucketCount, int bucketReplicas, List<AgentInfo> servers) {
        if (bucketReplicas != 3 && bucketReplicas != 5) {
            throw StrataException.invalid("buckets are replicated 3 or 5 times, not %d", bucketReplicas);
        }
        SortedMap<String, ServerEntry> serverEntries = new TreeMap<>();
        SortedMap<Integer, ContainerEntry> containers = new TreeMap<>();
        int nextId = 0;
        for (AgentInfo info : servers) {
            ServerEntry server = serverOf(info);
            if (serverEntries.containsKey(server.hostname())) {
                throw StrataException.invalid("server %s is named twice", server.hostname());
            }
            serverEntries.put(server.hostname(), server);
            for (ContainerEntry entry : containersOf(info, nowMillis)) {
                int id = nextId++;
                List<ProcessEntry> processes = entry.processes().stream()
                        .map(p -> new ProcessEntry(ProcessIds.processId(id, p.slot()), p.slot(), p.role(), p.coreId(), p.port(), p.health()))
                        .toList();
                containers.put(id, new ContainerEntry(id, entry.name(), entry.hostname(), entry.address(), entry.failureDomain(),
                        entry.basePort(), entry.release(), true, Health.UP, nowMillis, null, entry.memoryBytes(), processes,
                        entry.startedAtMillis(), entry.pid()));
            }
        }
        ClusterConfig draft = new ClusterConfig(0, clusterId, name, nowMillis, protection, bucketCount, serverEntries,
                containers, null, null, null, nextId);
        protection.check(draft.failureDomainCount());
        ClusterConfig formed = new ClusterConfig(0, clusterId, name, nowMillis, protection, bucketCount, serverEntries, containers,
                chooseMembers(draft), null, null, nextId);
        return formed.withDataPlane(io.strata.config.cluster.DataPlane.empty()
                .withBuckets(placeBuckets(formed, bucketCount, bucketReplicas))).withRevisionZero();
    }

    public static final int DEFAULT_BUCKET_REPLICAS = 3;

    /**
     * Spreads the buckets' Raft groups over the compute processes: bucket b takes its replicas from
     * {@code replicas} consecutive failure domains starting at domain b, and within each domain
     * the processes in turn, so leaders and load spread evenly.
     */
    public static List<io.strata.config.cluster.BucketEntry> placeBuckets(ClusterConfig config, int bucketCount, int replicas) {
        java.util.SortedMap<String, List<Integer>> byDomain = new java.util.TreeMap<>();
        for (ContainerEntry container : config.containerList()) {
            for (ProcessEntry process : container.processes()) {
                if (process.role() == Role.COMPUTE) {
                    byDomain.computeIfAbsent(container.failureDomain(), d -> new ArrayList<>()).add(process.id());
                }
            }
        }
        if (byDomain.isEmpty()) {
            return List.of();
        }
        List<List<Integer>> domains = new ArrayList<>(byDomain.values());
        int width = Math.min(replicas, domains.size());
        List<io.strata.config.cluster.BucketEntry> buckets = new ArrayList<>();
        for (int bucket = 0; bucket < bucketCount; bucket++) {
            List<Integer> members = new ArrayList<>();
            for (int k = 0; k < width; k++) {
                List<Integer> processes = domains.get((bucket + k) % domains.size());
                members.add(processes.get((bucket / domains.size() + k) % processes.size()));
            }
            buckets.add(new io.strata.config.cluster.BucketEntry(bucket, members, 0));
        }
        return buckets;
    }

    /** Up to five containers in distinct failure domains whose management processes keep the configuration. */
    public static List<Integer> chooseMembers(ClusterConfig config) {
        List<ContainerEntry> candidates = new ArrayList<>(config.containerList());
        candidates.sort(Comparator.comparingInt(ClusterFormation::preference).thenComparingInt(ContainerEntry::id));
        Set<String> domains = new HashSet<>();
        List<Integer> members = new ArrayList<>();
        for (ContainerEntry candidate : candidates) {
            if (members.size() == MAX_CONTROL_MEMBERS) {
                break;
            }
            if (domains.add(candidate.failureDomain())) {
                members.add(candidate.id());
            }
        }
        // With fewer than three failure domains a member per domain cannot survive a domain's loss;
        // take more containers so that at least a single container's loss is survived.
        for (ContainerEntry candidate : candidates) {
            if (members.size() >= Math.min(3, candidates.size())) {
                break;
            }
            if (!members.contains(candidate.id())) {
                members.add(candidate.id());
            }
        }
        members.sort(Integer::compare);
        return members;
    }

    private static int preference(ContainerEntry container) {
        if (container.hasRole(Role.DRIVE) && container.roles().size() == 1) {
            return 0;
        }
        if (container.hasRole(Role.COMPUTE)) {
            return 1;
        }
        return 2;
    }

    public static List<MemberEndpoint> endpoints(ClusterConfig config) {
        return config.controlMembers().stream().map(config::container)
                .map(c -> new MemberEndpoint(c.id(), c.hostname(), c.address(), c.basePort(), ProcessIds.raftPort(c.basePort(), 0)))
                .toList();
    }
}
