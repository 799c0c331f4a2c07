package io.strata.cli.sandbox;

import io.strata.config.ProcessIds;
import io.strata.config.Role;
import io.strata.config.resources.ProcessSlot;
import io.strata.config.resources.ResourceFile;
import java.util.ArrayList;
import java.util.List;

/**
 * The containers of one sandbox server. A simulated server has 8 cores (core 0 left to the OS);
 * the sandbox gives one core to a drive process, {@code computeProcesses} to compute and one to
 * a frontend, either as three containers (drives0, compute0, frontend0) or as one ({@code default}).
 */
final class SandboxLayouts {
    private SandboxLayouts() {
    }

    static List<ResourceFile> multi(String hostname, int computeProcesses) {
        List<ResourceFile> files = new ArrayList<>();
        int core = 1;
        files.add(container("drives0", hostname, ProcessIds.DRIVES_BASE_PORT, List.of(Role.DRIVE), core));
        core += 1;
        files.add(container("compute0", hostname, ProcessIds.COMPUTE_BASE_PORT, repeat(Role.COMPUTE, computeProcesses), core));
        core += computeProcesses;
        files.add(container("frontend0", hostname, ProcessIds.FRONTEND_BASE_PORT, List.of(Role.FRONTEND), core));
        return files;
    }

    static List<ResourceFile> single(String hostname, int computeProcesses) {
        List<Role> roles = new ArrayList<>();
        roles.add(Role.DRIVE);
        roles.addAll(repeat(Role.COMPUTE, computeProcesses));
        roles.add(Role.FRONTEND);
        return List.of(container("default", hostname, ProcessIds.DEFAULT_BASE_PORT, roles, 1));
    }

    private static List<Role> repeat(Role role, int count) {
        List<Role> roles = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            roles.add(role);
        }
        return roles;
    }

    private static ResourceFile container(String name, String hostname, int basePort, List<Role> roles, int firstCore) {
        List<ProcessSlot> slots = new ArrayList<>();
        slots.add(ProcessSlot.management(basePort));
        for (int i = 0; i < roles.size(); i++) {
            slots.add(ProcessSlot.role(i + 1, roles.get(i), firstCore + i, true, basePort));
        }
        return new ResourceFile(ResourceFile.FORMAT, name, hostname, hostname, basePort, 0, List.of(), List.of(), slots,
                List.of("sandbox server: simulated cores, core k runs on CPU k mod the machine's CPUs"));
    }
}
