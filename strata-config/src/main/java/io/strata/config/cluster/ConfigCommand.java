package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * A change to the cluster configuration. Commands are the entries of the replicated log: each
 * member applies them in the same order to the same state and must reach the same result, so
 * {@link #apply} is a pure function of the state and the command (times come inside the command,
 * never from a clock). A command that does not fit the state throws a {@link StrataException};
 * the state is then unchanged and the proposer gets that one line back.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "type")
@com.fasterxml.jackson.annotation.JsonIgnoreProperties(ignoreUnknown = true)
@JsonSubTypes({
    @JsonSubTypes.Type(value = ConfigCommand.CreateCluster.class, name = "create-cluster"),
    @JsonSubTypes.Type(value = ConfigCommand.AddServer.class, name = "add-server"),
    @JsonSubTypes.Type(value = ConfigCommand.RemoveContainer.class, name = "remove-container"),
    @JsonSubTypes.Type(value = ConfigCommand.SetContainerActive.class, name = "set-container-active"),
    @JsonSubTypes.Type(value = ConfigCommand.ReportHealth.class, name = "report-health"),
    @JsonSubTypes.Type(value = ConfigCommand.UpdateContainerResources.class, name = "update-container-resources"),
    @JsonSubTypes.Type(value = ConfigCommand.AddDrives.class, name = "add-drives"),
    @JsonSubTypes.Type(value = ConfigCommand.LeaseRegions.class, name = "lease-regions"),
    @JsonSubTypes.Type(value = ConfigCommand.CreateFilesystem.class, name = "create-filesystem"),
    @JsonSubTypes.Type(value = ConfigCommand.DeleteFilesystem.class, name = "delete-filesystem"),
    @JsonSubTypes.Type(value = ConfigCommand.ResizeFilesystem.class, name = "resize-filesystem"),
    @JsonSubTypes.Type(value = ConfigCommand.ReserveCapacity.class, name = "reserve-capacity"),
    @JsonSubTypes.Type(value = ConfigCommand.ReleaseCapacity.class, name = "release-capacity"),
    @JsonSubTypes.Type(value = ConfigCommand.ReportBucketUsage.class, name = "report-bucket-usage"),
    @JsonSubTypes.Type(value = ConfigCommand.SetUpgrade.class, name = "set-upgrade"),
    @JsonSubTypes.Type(value = ConfigCommand.PutUser.class, name = "put-user"),
    @JsonSubTypes.Type(value = ConfigCommand.RemoveUser.class, name = "remove-user"),
})
public sealed interface ConfigCommand {
    Applied apply(ControlState state);

    /** True for changes made by the cluster itself (health), which need no user's credentials. */
    @com.fasterxml.jackson.annotation.JsonIgnore
    default boolean isInternal() {
        return false;
    }

    private static void requireCreated(ControlState state) {
        if (!state.config().isCreated()) {
            throw StrataException.conflict("the cluster has not been created yet");
        }
    }

    /** Forms the cluster: the whole first configuration and its secrets, once. */
    record CreateCluster(ClusterConfig config, ClusterSecrets secrets) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            if (state.config().isCreated()) {
                if (state.config().clusterId().equals(config.clusterId())) {
                    return new Applied(state, state.config().revision()); // a retry of the same creation
                }
                throw StrataException.conflict("this control plane already keeps cluster %s", state.config().clusterId());
            }
            ClusterConfig first = config.withRevision(1).withDerivedActiveRelease();
            return new Applied(new ControlState(first, secrets), first.revision());
        }

        @Override
        public String toString() {
            return "CreateCluster[" + config.clusterId() + "]";
        }
    }

    /** Adds a server and its containers; ids are assigned here, in log order. */
    record AddServer(ServerEntry server, List<ContainerEntry> containers) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            ClusterConfig config = state.config();
            SortedMap<String, ServerEntry> servers = new TreeMap<>(config.servers());
            SortedMap<Integer, ContainerEntry> all = new TreeMap<>(config.containers());
            int nextId = config.nextContainerId();
            List<Integer> assigned = new ArrayList<>();
            for (ContainerEntry container : containers) {
                if (config.findContainer(container.hostname(), container.name()).isPresent()) {
                    throw StrataException.conflict("container %s is already in the cluster", container.qualifiedName());
                }
                int id = nextId++;
                List<ProcessEntry> processes = container.processes().stream()
                        .map(p -> new ProcessEntry(io.strata.config.ProcessIds.processId(id, p.slot()), p.slot(), p.role(),
                                p.coreId(), p.port(), p.health()))
                        .toList();
                all.put(id, new ContainerEntry(id, container.name(), container.hostname(), container.address(),
                        container.failureDomain(), container.basePort(), container.release(), true, container.health(),
                        container.healthSinceMillis(), null, container.memoryBytes(), processes, container.startedAtMillis(),
                        container.pid()));
                assigned.add(id);
            }
            servers.put(server.hostname(), server);
            ClusterConfig next = config.next(servers, all, config.controlMembers(), config.users(), nextId);
            return new Applied(state.with(next), assigned);
        }
    }

    /** Removes a container the operator deactivated first. */
    record RemoveContainer(int containerId) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            ClusterConfig config = state.config();
            ContainerEntry container = config.container(containerId);
            if (container.active()) {
                throw StrataException.conflict("container %d (%s) is active: deactivate it first", containerId,
                        container.qualifiedName());
            }
            if (config.controlMembers().contains(containerId)) {
                throw StrataException.conflict("container %d (%s) keeps the cluster configuration and cannot be removed",
                        containerId, container.qualifiedName());
            }
            SortedMap<Integer, ContainerEntry> all = new TreeMap<>(config.containers());
            all.remove(containerId);
            SortedMap<String, ServerEntry> servers = new TreeMap<>(config.servers());
            if (all.values().stream().noneMatch(c -> c.hostname().equals(container.hostname()))) {
                servers.remove(container.hostname());
            }
            return new Applied(state.with(config.next(servers, all, config.controlMembers(), config.users(),
                    config.nextContainerId())), containerId);
        }
    }

    /** Activates or deactivates a container (an inactive one stays but gets no work). */
    record SetContainerActive(int containerId, boolean active) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            ClusterConfig config = state.config();
            ContainerEntry container = config.container(containerId);
            SortedMap<Integer, ContainerEntry> all = new TreeMap<>(config.containers());
            all.put(containerId, container.withActive(active));
            return new Applied(state.with(config.next(config.servers(), all, config.controlMembers(), config.users(),
                    config.nextContainerId())), containerId);
        }
    }

    /**
     * What the leader's health monitor concluded about a container: UP with its release and
     * processes as its heartbeat reported them, or DOWN with the reason.
     */
    record ReportHealth(int containerId, Health health, long atMillis, String reason, String release,
            long startedAtMillis, long pid, Map<Integer, Health> processHealth, int protocol) implements ConfigCommand {
        /** A report without the container's protocol (DOWN, or from a release that did not send it). */
        public ReportHealth(int containerId, Health health, long atMillis, String reason, String release, long startedAtMillis,
                long pid, Map<Integer, Health> processHealth) {
            this(containerId, health, atMillis, reason, release, startedAtMillis, pid, processHealth, 0);
        }

        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            ClusterConfig config = state.config();
            ContainerEntry container = config.containers().get(containerId);
            if (container == null) {
                return new Applied(state, false); // removed meanwhile
            }
            List<ProcessEntry> processes = container.processes().stream()
                    .map(p -> p.withHealth(health == Health.DOWN ? Health.DOWN
                            : processHealth == null ? Health.UP : processHealth.getOrDefault(p.slot(), Health.DOWN)))
                    .toList();
            String failure = health == Health.DOWN ? reason : container.lastFailure();
            long since = container.health() == health ? container.healthSinceMillis() : atMillis;
            ContainerEntry updated = container.withHealth(health, since, failure, processes);
            if (health == Health.UP && release != null) {
                updated = updated.withRuntime(release, protocol > 0 ? protocol : container.protocol(), startedAtMillis, pid);
            }
            SortedMap<Integer, ContainerEntry> all = new TreeMap<>(config.containers());
            all.put(containerId, updated);
            return new Applied(state.with(config.next(config.servers(), all, config.controlMembers(), config.users(),
                    config.nextContainerId())), true);
        }

        @Override
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isInternal() {
            return true;
        }
    }

    /**
     * A container now runs on other resources (its host agent applied them): new cores, ports,
     * memory or failure domain. Process ids stay; their cores and ports follow the container.
     */
    record UpdateContainerResources(String hostname, String name, int basePort, long memoryBytes, String failureDomain,
            List<ProcessEntry> processes) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            ClusterConfig config = state.config();
            ContainerEntry container = config.findContainer(hostname, name).orElseThrow(
                    () -> StrataException.notFound("no container %s/%s in the cluster", hostname, name));
            List<ProcessEntry> renumbered = processes.stream()
                    .map(p -> new ProcessEntry(io.strata.config.ProcessIds.processId(container.id(), p.slot()), p.slot(), p.role(),
                            p.coreId(), p.port(), container.health()))
                    .toList();
            ContainerEntry updated = new ContainerEntry(container.id(), container.name(), container.hostname(),
                    container.address(), failureDomain, basePort, container.release(), container.active(), container.health(),
                    container.healthSinceMillis(), container.lastFailure(), memoryBytes, renumbered, container.startedAtMillis(),
                    container.pid());
            SortedMap<Integer, ContainerEntry> all = new TreeMap<>(config.containers());
            all.put(container.id(), updated);
            return new Applied(state.with(config.next(config.servers(), all, config.controlMembers(), config.users(),
                    config.nextContainerId())), container.id());
        }

        @Override
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isInternal() {
            return true;
        }
    }

    /** Drives formatted for the cluster; numbers are assigned here, in log order. */
    record AddDrives(List<DriveEntry> drives) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            return DataPlaneCommands.addDrives(state, drives);
        }
    }

    /** A bucket leases free regions of a drive for its chunks; the reply lists the regions granted. */
    record LeaseRegions(int bucket, int drive, int count) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            return DataPlaneCommands.leaseRegions(state, bucket, drive, count);
        }

        @Override
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isInternal() {
            return true;
        }
    }

    record CreateFilesystem(String name, long capacityBytes, long atMillis) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            return DataPlaneCommands.createFilesystem(state, name, capacityBytes, atMillis);
        }
    }

    record ResizeFilesystem(String name, long capacityBytes) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            return DataPlaneCommands.resizeFilesystem(state, name, capacityBytes);
        }
    }

    record DeleteFilesystem(String name) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            return DataPlaneCommands.deleteFilesystem(state, name);
        }
    }

    /** A bucket asks for more of a filesystem's capacity; the reply is the bytes granted (0 when full). */
    record ReserveCapacity(int filesystem, int bucket, long bytes) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            return DataPlaneCommands.reserveCapacity(state, filesystem, bucket, bytes);
        }

        @Override
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isInternal() {
            return true;
        }
    }

    record ReleaseCapacity(int filesystem, int bucket, long bytes) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            return DataPlaneCommands.releaseCapacity(state, filesystem, bucket, bytes);
        }

        @Override
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isInternal() {
            return true;
        }
    }

    /** What a bucket's leader stores per filesystem and how many of its stripes are degraded. */
    record ReportBucketUsage(int bucket, Map<Integer, Long> usedByFilesystem, long degradedStripes, int leader)
            implements ConfigCommand {
        public ReportBucketUsage(int bucket, Map<Integer, Long> usedByFilesystem, long degradedStripes) {
            this(bucket, usedByFilesystem, degradedStripes, -1);
        }

        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            return DataPlaneCommands.reportBucketUsage(state, bucket, usedByFilesystem, degradedStripes, leader);
        }

        @Override
        @com.fasterxml.jackson.annotation.JsonIgnore
        public boolean isInternal() {
            return true;
        }
    }

    /** Records a rolling upgrade's state (started, a step begun or done, paused, aborted, failed). */
    record SetUpgrade(UpgradeState upgrade) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            return new Applied(state.with(state.config().withUpgrade(upgrade)), true);
        }
    }

    /** Creates a user or changes one's role and password. */
    record PutUser(String name, String role, PasswordHash password) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            ClusterConfig config = state.config();
            SortedMap<String, UserEntry> users = new TreeMap<>(config.users());
            users.put(name, new UserEntry(name, role));
            ControlState next = new ControlState(config.next(config.servers(), config.containers(), config.controlMembers(),
                    users, config.nextContainerId()), state.secrets().withPassword(name, password));
            return new Applied(next, name);
        }

        @Override
        public String toString() {
            return "PutUser[" + name + ", " + role + "]";
        }
    }

    record RemoveUser(String name) implements ConfigCommand {
        @Override
        public Applied apply(ControlState state) {
            requireCreated(state);
            ClusterConfig config = state.config();
            if (!config.users().containsKey(name)) {
                throw StrataException.notFound("no user %s", name);
            }
            long admins = config.users().values().stream().filter(u -> "admin".equals(u.role())).count();
            if ("admin".equals(config.users().get(name).role()) && admins == 1) {
                throw StrataException.conflict("%s is the last admin user and cannot be removed", name);
            }
            SortedMap<String, UserEntry> users = new TreeMap<>(config.users());
            users.remove(name);
            ControlState next = new ControlState(config.next(config.servers(), config.containers(), config.controlMembers(),
                    users, config.nextContainerId()), state.secrets().withPassword(name, null));
            return new Applied(next, name);
        }
    }
}
