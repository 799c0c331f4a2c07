package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.strata.config.Role;

/** A process as the cluster knows it: {@code id = containerId * 20 + slot}. */
@JsonIgnoreProperties(ignoreUnknown = true)
public record ProcessEntry(int id, int slot, Role role, Integer coreId, int port, Health health) {
    public ProcessEntry withHealth(Health newHealth) {
        return new ProcessEntry(id, slot, role, coreId, port, newHealth);
    }
}
