package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.strata.config.ProcessIds;
import io.strata.runtime.StrataException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The cluster configuration: one immutable value, replaced whole by every change the control
 * plane applies ({@code revision} counts them). Anyone may read it; secrets live elsewhere
 * ({@link ClusterSecrets}).
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ClusterConfig(
        long revision,
        String clusterId,
        String name,
        long createdAtMillis,
        Protection protection,
        int bucketCount,
        SortedMap<String, ServerEntry> servers,
        SortedMap<Integer, ContainerEntry> containers,
        List<Integer> controlMembers,
        SortedMap<String, UserEntry> users,
        String activeRelease,
        int nextContainerId,
        DataPlane dataPlane,
        UpgradeState upgrade) {

    public ClusterConfig {
        dataPlane = dataPlane == null ? DataPlane.empty() : dataPlane;
        servers = servers == null ? new TreeMap<>() : new TreeMap<>(servers);
        containers = containers == null ? new TreeMap<>() : new TreeMap<>(containers);
        controlMembers = controlMembers == null ? List.of() : List.copyOf(controlMembers);
        users = users == null ? new TreeMap<>() : new TreeMap<>(users);
    }

    /** A configuration without data plane state (drives, filesystems, buckets). */
    public ClusterConfig(long revision, String clusterId, String name, long createdAtMillis, Protection protection,
            int bucketCount, SortedMap<String, ServerEntry> servers, SortedMap<Integer, ContainerEntry> containers,
            List<Integer> controlMembers, SortedMap<String, UserEntry> users, String activeRelease, int nextContainerId) {
        this(revision, clusterId, name, createdAtMillis, protection, bucketCount, servers, containers, controlMembers, users,
                activeRelease, nextContainerId, DataPlane.empty(), null);
    }

    public ClusterConfig(long revision, String clusterId, String name, long createdAtMillis, Protection protection,
            int bucketCount, SortedMap<String, ServerEntry> servers, SortedMap<Integer, ContainerEntry> containers,
            List<Integer> controlMembers, SortedMap<String, UserEntry> users, String activeRelease, int nextContainerId,
            DataPlane dataPlane) {
        this(revision, clusterId, name, createdAtMillis, protection, bucketCount, servers, containers, controlMembers, users,
                activeRelease, nextContainerId, dataPlane, null);
    }

    public ClusterConfig withUpgrade(UpgradeState next) {
        return new ClusterConfig(revision + 1, clusterId, name, createdAtMillis, protection, bucketCount, servers, containers,
                controlMembers, users, activeRelease, nextContainerId, dataPlane, next);
    }

    public static ClusterConfig empty() {
        return new ClusterConfig(0, null, null, 0, null, 0, null, null, null, null, null, 0);
    }

    /** The same configuration at revision 0 (a draft not yet applied anywhere). */
    public ClusterConfig withRevisionZero() {
        return withRevision(0);
    }

    public ClusterConfig withDataPlane(DataPlane next) {
        return new ClusterConfig(revision + 1, clusterId, name, createdAtMillis, protection, bucketCount, servers, containers,
                controlMembers, users, activeRelease, nextContainerId, next, upgrade);
    }

    @JsonIgnore
    public boolean isCreated() {
        return clusterId != null;
    }

    public ContainerEntry container(int id) {
        ContainerEntry entry = containers.get(id);
        if (entry == null) {
            throw StrataException.notFound("no container with id %d (ids %s)", id, containers.keySet());
        }
        return entry;
    }

    public Optional<ContainerEntry> findContainer(String hostname, String name) {
        return containers.values().stream().filter(c -> c.hostname().equals(hostname) && c.name().equals(name)).findFirst();
    }

    /** Finds a container by id, {@code host/name}, or a name unique in the cluster. */
    public ContainerEntry resolveContainer(String reference) {
        try {
            return container(Integer.parseInt(reference));
        } catch (NumberFormatException e) {
            // not an id
        }
        int slash = reference.indexOf('/');
        if (slash > 0) {
            return findContainer(reference.substring(0, slash), reference.substring(slash + 1)).orElseThrow(
                    () -> StrataException.notFound("no container %s", reference));
        }
        List<ContainerEntry> matches = containers.values().stream().filter(c -> c.name().equals(reference)).toList();
        if (matches.isEmpty()) {
            throw StrataException.notFound("no container named %s", reference);
        }
        if (matches.size() > 1) {
            throw StrataException.invalid("%d containers are named %s: say which, as host/%s or by id", matches.size(),
                    reference, reference);
        }
        return matches.getFirst();
    }

    @JsonIgnore
    public Collection<ContainerEntry> containerList() {
        return containers.values();
    }

    @JsonIgnore
    public List<ProcessEntry> processes() {
        return containers.values().stream().flatMap(c -> c.processes().stream()).toList();
    }

    @JsonIgnore
    public int failureDomainCount() {
        return (int) containers.values().stream().map(ContainerEntry::failureDomain).distinct().count();
    }

    /**
     * The wire protocol every container speaks: a capability that a release brings is switched on
     * only once this reaches that release's protocol.
     */
    @JsonIgnore
    public int activeProtocol() {
        return containers.values().stream().mapToInt(ContainerEntry::protocol).min().orElse(1);
    }

    @JsonIgnore
    public TreeSet<String> releases() {
        return new TreeSet<>(containers.values().stream().map(ContainerEntry::release).toList());
    }

    public ContainerEntry containerOfProcess(int processId) {
        return container(ProcessIds.containerOf(processId));
    }

    ClusterConfig next(SortedMap<String, ServerEntry> newServers, SortedMap<Integer, ContainerEntry> newContainers,
            List<Integer> newMembers, SortedMap<String, UserEntry> newUsers, int newNextContainerId) {
        return new ClusterConfig(revision + 1, clusterId, name, createdAtMillis, protection, bucketCount, newServers,
                newContainers, newMembers, newUsers, activeRelease, newNextContainerId, dataPlane, upgrade).withDerivedActiveRelease();
    }

    /** The release every container runs at least: what the cluster as a whole may rely on. */
    ClusterConfig withDerivedActiveRelease() {
        String lowest = containers.values().stream().map(ContainerEntry::release)
                .min(ReleaseOrder.COMPARATOR).orElse(activeRelease);
        return new ClusterConfig(revision, clusterId, name, createdAtMillis, protection, bucketCount, servers, containers,
                controlMembers, users, lowest, nextContainerId, dataPlane, upgrade);
    }

    ClusterConfig withRevision(long newRevision) {
        return new ClusterConfig(newRevision, clusterId, name, createdAtMillis, protection, bucketCount, servers, containers,
                controlMembers, users, activeRelease, nextContainerId, dataPlane, upgrade);
    }
}
