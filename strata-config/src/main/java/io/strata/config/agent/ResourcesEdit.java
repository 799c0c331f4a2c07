package io.strata.config.agent;

import io.strata.config.resources.Nic;
import io.strata.config.resources.ResourceFile;
import java.util.List;

/**
 * A change to a container's staged resources ({@code strata local resources ...}); null fields
 * stay as they are. {@code coreIds} gives the role processes their cores in slot order (for a
 * container of one role, a different count changes how many processes it has); {@code replace}
 * stages a whole file ({@code import}); {@code discard} drops what was staged.
 */
public record ResourcesEdit(String container, List<Integer> coreIds, Long memoryBytes, Integer basePort, String failureDomain,
        List<Nic> nics, ResourceFile replace, boolean discard) {
}
