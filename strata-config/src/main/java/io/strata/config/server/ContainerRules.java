package io.strata.config.server;

import io.strata.config.ProcessIds;
import io.strata.config.Role;
import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The rules every container of a server obeys, checked before a container is set up or its
 * resources change. Each refusal is one line that names the values in conflict.
 */
public final class ContainerRules {
    /** Drive processes that may share one core when cores are short. */
    public static final int MAX_DRIVE_PROCESSES_PER_CORE = 4;
    private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9_-]{0,31}");
    private static final int LOWEST_BASE_PORT = 1024;
    private static final int HIGHEST_PORT = 65535;

    private ContainerRules() {
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw StrataException.invalid("container name '%s' is not valid: use 1-32 lower-case letters, digits, '-' or '_', starting with a letter", name);
        }
    }

    /**
     * Checks {@code candidate} on {@code server} beside {@code others}, the server's other
     * containers (the candidate's own earlier definition must not be among them).
     */
    public static void check(ResourceFile candidate, ServerIdentity server, Collection<ResourceFile> others) {
        checkFormat(candidate);
        checkName(candidate.name());
        checkProcesses(candidate);
        checkCores(candidate, server, others);
        checkPorts(candidate, others);
        checkFailureDomain(candidate, others);
        if (candidate.memoryBytes() < 0) {
            throw StrataException.invalid("memory of container %s is negative (%d bytes)", candidate.name(), candidate.memoryBytes());
        }
        if (server.memoryBytes() > 0 && candidate.memoryBytes() > server.memoryBytes()) {
            throw StrataException.invalid("container %s asks for %d bytes of memory; %s has %d",
                    candidate.name(), candidate.memoryBytes(), server.hostname(), server.memoryBytes());
        }
    }

    private static void checkFormat(ResourceFile file) {
        if (file.format() != ResourceFile.FORMAT) {
            throw StrataException.invalid("resource file format %d is not supported (this release reads format %d)",
                    file.format(), ResourceFile.FORMAT);
        }
    }

    private static void checkProcesses(ResourceFile file) {
        List<ProcessSlot> processes = file.processes();
        if (processes.isEmpty() || !processes.getFirst().isManagement() || processes.getFirst().slot() != 0) {
            throw StrataException.invalid("container %s has no management process in slot 0", file.name());
        }
        ProcessSlot management = processes.getFirst();
        if (management.coreId() != null || management.dedicatedCore() || management.roles().size() != 1) {
            throw StrataException.invalid("the management process of container %s must have no core and no other role", file.name());
        }
        int roleProcesses = processes.size() - 1;
        if (roleProcesses > ProcessIds.MAX_ROLE_PROCESSES) {
            throw StrataException.invalid("container %s has %d role processes; at most %d fit in a container",
                    file.name(), roleProcesses, ProcessIds.MAX_ROLE_PROCESSES);
        }
        if (roleProcesses == 0) {
            throw StrataException.invalid("container %s has no role process (drive, compute or frontend)", file.name());
        }
        for (int i = 0; i < processes.size(); i++) {
            ProcessSlot process = processes.get(i);
            if (process.slot() != i) {
                throw StrataException.invalid("container %s: process slots must run 0..%d without gaps, found slot %d at position %d",
                        file.name(), processes.size() - 1, process.slot(), i);
            }
            if (i > 0) {
                if (process.roles().size() != 1 || process.role() == Role.MANAGEMENT) {
                    throw StrataException.invalid("container %s: slot %d must have exactly one role of drive, compute or frontend",
                            file.name(), i);
                }
                if (process.coreId() == null) {
                    throw StrataException.invalid("container %s: the %s process in slot %d names no core",
                            file.name(), process.role().wireName(), i);
                }
            }
            int expectedPort = ProcessIds.port(file.basePort(), process.slot());
            if (process.port() != expectedPort) {
                throw StrataException.invalid("container %s: slot %d has port %d; it must be base port %d + slot %d = %d",
                        file.name(), i, process.port(), file.basePort(), i, expectedPort);
            }
        }
    }

    private static void checkCores(ResourceFile candidate, ServerIdentity server, Collection<ResourceFile> others) {
        Map<Integer, List<ProcessSlot>> byCore = new HashMap<>();
        for (ProcessSlot process : candidate.roleProcesses()) {
            int core = process.coreId();
            if (!server.hasCore(core)) {
                throw StrataException.invalid("core %d of container %s does not exist on %s (cores %s)",
                        core, candidate.name(), server.hostname(), server.describeCores());
            }
            byCore.computeIfAbsent(core, c -> new ArrayList<>()).add(process);
        }
        for (Map.Entry<Integer, List<ProcessSlot>> entry : byCore.entrySet()) {
            List<ProcessSlot> sharing = entry.getValue();
            if (sharing.size() == 1) {
                continue;
            }
            boolean allDrives = sharing.stream().allMatch(p -> p.role() == Role.DRIVE);
            if (!allDrives) {
                throw StrataException.invalid("core %d is given to slots %s of container %s; only drive processes may share a core",
                        entry.getKey(), slots(sharing), candidate.name());
            }
            if (sharing.size() > MAX_DRIVE_PROCESSES_PER_CORE) {
                throw StrataException.invalid("core %d is shared by %d drive processes of container %s; at most %d may share a core",
                        entry.getKey(), sharing.size(), candidate.name(), MAX_DRIVE_PROCESSES_PER_CORE);
            }
            if (sharing.stream().anyMatch(ProcessSlot::dedicatedCore)) {
                throw StrataException.invalid("core %d is shared by slots %s of container %s but marked dedicated",
                        entry.getKey(), slots(sharing), candidate.name());
            }
        }
        for (ResourceFile other : others) {
            for (ProcessSlot theirs : other.roleProcesses()) {
                if (theirs.coreId() != null && byCore.containsKey(theirs.coreId())) {
                    throw StrataException.invalid("core %d of container %s is already used by container %s",
                            theirs.coreId(), candidate.name(), other.name());
                }
            }
        }
    }

    private static void checkPorts(ResourceFile candidate, Collection<ResourceFile> others) {
        int base = candidate.basePort();
        int last = base + ProcessIds.PORTS_PER_CONTAINER - 1;
        if (base < LOWEST_BASE_PORT || last > HIGHEST_PORT) {
            throw StrataException.invalid("base port %d of container %s is out of range (ports %d-%d must lie within %d-%d)",
                    base, candidate.name(), base, last, LOWEST_BASE_PORT, HIGHEST_PORT);
        }
        if (ProcessIds.AGENT_PORT >= base && ProcessIds.AGENT_PORT <= last) {
            throw StrataException.invalid("ports %d-%d of container %s include the host agent's port %d",
                    base, last, candidate.name(), ProcessIds.AGENT_PORT);
        }
        for (ResourceFile other : others) {
            int otherBase = other.basePort();
            int otherLast = otherBase + ProcessIds.PORTS_PER_CONTAINER - 1;
            if (base <= otherLast && otherBase <= last) {
                throw StrataException.invalid("ports %d-%d of container %s overlap ports %d-%d of container %s",
                        base, last, candidate.name(), otherBase, otherLast, other.name());
            }
        }
    }

    private static void checkFailureDomain(ResourceFile candidate, Collection<ResourceFile> others) {
        if (candidate.failureDomain() == null || candidate.failureDomain().isBlank()) {
            throw StrataException.invalid("container %s names no failure domain", candidate.name());
        }
        for (ResourceFile other : others) {
            if (!other.failureDomain().equals(candidate.failureDomain())) {
                throw StrataException.invalid("failure domain %s of container %s differs from %s of container %s: all containers of a server share one",
                        candidate.failureDomain(), candidate.name(), other.failureDomain(), other.name());
            }
        }
    }

    private static String slots(List<ProcessSlot> processes) {
        Set<Integer> slots = new HashSet<>();
        processes.forEach(p -> slots.add(p.slot()));
        return Ranges.describe(slots);
    }
}
