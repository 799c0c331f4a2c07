package io.strata.agent;

import io.strata.config.Role;
import io.strata.config.agent.ResourcesEdit;
import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import io.strata.config.server.ServerIdentity;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.List;

/** Turns a {@link ResourcesEdit} into the next resources of one container (the checks come after). */
final class ResourcesEdits {
    private ResourcesEdits() {
    }

    static ResourceFile apply(ResourceFile base, ResourcesEdit edit, ServerIdentity server) {
        if (edit.replace() != null) {
            ResourceFile replaced = edit.replace().withName(base.name());
            return replaced.hostname() == null ? replaced.withHostname(server.hostname()) : replaced;
        }
        ResourceFile next = base;
        if (edit.coreIds() != null) {
            next = next.withProcesses(withCores(next, edit.coreIds()));
        }
        if (edit.memoryBytes() != null) {
            next = next.withMemoryBytes(edit.memoryBytes());
        }
        if (edit.basePort() != null) {
            next = next.withBasePort(edit.basePort());
        }
        if (edit.failureDomain() != null) {
            if (edit.failureDomain().isBlank()) {
                throw StrataException.invalid("a failure domain needs a name");
            }
            next = next.withFailureDomain(edit.failureDomain());
        }
        if (edit.nics() != null) {
            next = next.withNics(edit.nics());
        }
        return next;
    }

    private static List<ProcessSlot> withCores(ResourceFile base, List<Integer> coreIds) {
        List<ProcessSlot> roleProcesses = base.roleProcesses();
        List<Role> roles = base.roles();
        if (coreIds.isEmpty()) {
            throw StrataException.invalid("container %s needs at least one core", base.name());
        }
        List<Role> slotRoles = new ArrayList<>();
        if (roles.size() == 1) {
            coreIds.forEach(core -> slotRoles.add(roles.getFirst()));
        } else if (coreIds.size() == roleProcesses.size()) {
            roleProcesses.forEach(p -> slotRoles.add(p.role()));
        } else {
            throw StrataException.invalid("container %s holds %s: give exactly %d cores, one per process in slot order",
                    base.name(), roles, roleProcesses.size());
        }
        List<ProcessSlot> slots = new ArrayList<>();
        slots.add(ProcessSlot.management(base.basePort()));
        for (int i = 0; i < coreIds.size(); i++) {
            long sharing = coreIds.stream().filter(c -> c.equals(coreIds.get(slots.size() - 1))).count();
            slots.add(ProcessSlot.role(i + 1, slotRoles.get(i), coreIds.get(i), sharing == 1, base.basePort()));
        }
        return slots;
    }
}
