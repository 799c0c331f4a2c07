package io.strata.config.resources;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.strata.config.Role;
import io.strata.runtime.Json;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;

/**
 * What one container is given: the resource file the generator writes ({@code drives0.json},
 * {@code compute0.json}, ...) and {@code strata local setup container --resources-path} reads.
 * The format is documented in {@code docs/resource-files.md}; {@code format} names its version.
 *
 * <p>{@code memoryBytes} is 0 for "the default" and computed only for compute containers.
 * {@code processes} is ordered by slot, slot 0 first.
 */
public record ResourceFile(
        int format,
        String name,
        String hostname,
        String failureDomain,
        int basePort,
        long memoryBytes,
        List<Nic> nics,
        List<String> drives,
        List<ProcessSlot> processes,
        List<String> notes) {

    /** The format this release writes and reads. */
    public static final int FORMAT = 1;

    public ResourceFile {
        nics = nics == null ? List.of() : List.copyOf(nics);
        drives = drives == null ? List.of() : List.copyOf(drives);
        processes = processes == null ? List.of()
                : processes.stream().sorted(Comparator.comparingInt(ProcessSlot::slot)).toList();
        notes = notes == null ? List.of() : List.copyOf(notes);
    }

    public static ResourceFile read(Path file) {
        return Json.readFile(file, ResourceFile.class);
    }

    public void write(Path file) {
        Json.writeFile(file, this);
    }

    /** The role processes, slot 1 onwards. */
    @JsonIgnore
    public List<ProcessSlot> roleProcesses() {
        return processes.stream().filter(p -> !p.isManagement()).toList();
    }

    @JsonIgnore
    public List<Role> roles() {
        return roleProcesses().stream().map(ProcessSlot::role).distinct().toList();
    }

    public ResourceFile withBasePort(int newBasePort) {
        List<ProcessSlot> moved = processes.stream()
                .map(p -> new ProcessSlot(p.slot(), p.roles(), p.coreId(), p.dedicatedCore(), newBasePort + p.slot()))
                .toList();
        return new ResourceFile(format, name, hostname, failureDomain, newBasePort, memoryBytes, nics, drives, moved, notes);
    }

    public ResourceFile withMemoryBytes(long newMemoryBytes) {
        return new ResourceFile(format, name, hostname, failureDomain, basePort, newMemoryBytes, nics, drives, processes, notes);
    }

    public ResourceFile withFailureDomain(String newFailureDomain) {
        return new ResourceFile(format, name, hostname, newFailureDomain, basePort, memoryBytes, nics, drives, processes, notes);
    }

    public ResourceFile withNics(List<Nic> newNics) {
        return new ResourceFile(format, name, hostname, failureDomain, basePort, memoryBytes, newNics, drives, processes, notes);
    }

    public ResourceFile withProcesses(List<ProcessSlot> newProcesses) {
        return new ResourceFile(format, name, hostname, failureDomain, basePort, memoryBytes, nics, drives, newProcesses, notes);
    }

    public ResourceFile withName(String newName) {
        return new ResourceFile(format, newName, hostname, failureDomain, basePort, memoryBytes, nics, drives, processes, notes);
    }

    public ResourceFile withHostname(String newHostname) {
        return new ResourceFile(format, name, newHostname, failureDomain, basePort, memoryBytes, nics, drives, processes, notes);
    }
}
