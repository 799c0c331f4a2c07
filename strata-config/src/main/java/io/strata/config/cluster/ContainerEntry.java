package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.strata.config.Role;
import java.util.List;

/**
 * A container as the cluster knows it. {@code active} is the operator's word (an inactive
 * container is kept but given no work); {@code health} is what the control plane hears.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ContainerEntry(
        int id,
        String name,
        String hostname,
        String address,
        String failureDomain,
        int basePort,
        String release,
        boolean active,
        Health health,
        long healthSinceMillis,
        String lastFailure,
        long memoryBytes,
        List<ProcessEntry> processes,
        long startedAtMillis,
        long pid,
        int protocol) {

    public ContainerEntry {
        processes = processes == null ? List.of() : List.copyOf(processes);
        protocol = Math.max(1, protocol);
    }

    /** An entry whose wire protocol is not known yet (it is learned from the container's heartbeats). */
    public ContainerEntry(int id, String name, String hostname, String address, String failureDomain, int basePort,
            String release, boolean active, Health health, long healthSinceMillis, String lastFailure, long memoryBytes,
            List<ProcessEntry> processes, long startedAtMillis, long pid) {
        this(id, name, hostname, address, failureDomain, basePort, release, active, health, healthSinceMillis, lastFailure,
                memoryBytes, processes, startedAtMillis, pid, 1);
    }

    @JsonIgnore
    public List<Role> roles() {
        return processes.stream().map(ProcessEntry::role).filter(r -> r != Role.MANAGEMENT).distinct().toList();
    }

    @JsonIgnore
    public String qualifiedName() {
        return hostname + "/" + name;
    }

    public boolean hasRole(Role role) {
        return roles().contains(role);
    }

    public ContainerEntry withActive(boolean newActive) {
        return new ContainerEntry(id, name, hostname, address, failureDomain, basePort, release, newActive, health,
                healthSinceMillis, lastFailure, memoryBytes, processes, startedAtMillis, pid, protocol);
    }

    public ContainerEntry withHealth(Health newHealth, long sinceMillis, String failure, List<ProcessEntry> newProcesses) {
        return new ContainerEntry(id, name, hostname, address, failureDomain, basePort, release, active, newHealth,
                sinceMillis, failure, memoryBytes, newProcesses, startedAtMillis, pid, protocol);
    }

    public ContainerEntry withRuntime(String newRelease, int newProtocol, long newStartedAtMillis, long newPid) {
        return new ContainerEntry(id, name, hostname, address, failureDomain, basePort, newRelease, active, health,
                healthSinceMillis, lastFailure, memoryBytes, processes, newStartedAtMillis, newPid, newProtocol);
    }

    public ContainerEntry withProcesses(List<ProcessEntry> newProcesses) {
        return new ContainerEntry(id, name, hostname, address, failureDomain, basePort, release, active, health,
                healthSinceMillis, lastFailure, memoryBytes, newProcesses, startedAtMillis, pid, protocol);
    }
}
