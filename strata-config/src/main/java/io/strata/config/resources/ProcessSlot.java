package io.strata.config.resources;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.strata.config.Role;
import java.util.List;

/**
 * One process of a container. Slot 0 is the management process: {@code coreId} null (any core),
 * {@code dedicatedCore} false. A role process names the server core it runs on; drive processes
 * may share a core (up to 4) when cores are short, and then {@code dedicatedCore} is false.
 */
@JsonInclude(JsonInclude.Include.ALWAYS)
public record ProcessSlot(int slot, List<Role> roles, Integer coreId, boolean dedicatedCore, int port) {
    public ProcessSlot {
        roles = roles == null ? List.of() : List.copyOf(roles);
    }

    public static ProcessSlot management(int basePort) {
        return new ProcessSlot(0, List.of(Role.MANAGEMENT), null, false, basePort);
    }

    public static ProcessSlot role(int slot, Role role, int coreId, boolean dedicatedCore, int basePort) {
        return new ProcessSlot(slot, List.of(role), coreId, dedicatedCore, basePort + slot);
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public Role role() {
        return roles.isEmpty() ? null : roles.getFirst();
    }

    @com.fasterxml.jackson.annotation.JsonIgnore
    public boolean isManagement() {
        return roles.contains(Role.MANAGEMENT);
    }
}
