package io.strata.resources;

import java.util.List;

/**
 * A physical core: the CPU that stands for it (its lowest-numbered hyperthread), the hyperthreads
 * it has, and where it sits. The generator hands out one CPU per physical core, never two siblings.
 */
public record PhysicalCore(int cpu, List<Integer> siblings, int socketId, int nodeId) {
    public PhysicalCore {
        siblings = List.copyOf(siblings);
    }
}
