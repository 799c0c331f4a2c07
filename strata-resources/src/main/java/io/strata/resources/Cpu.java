package io.strata.resources;

import java.util.List;

/**
 * One logical CPU as Linux numbers it. {@code siblings} are the logical CPUs of the same physical
 * core (hyperthreads), this one included, sorted; a CPU without hyperthreads is its own only sibling.
 */
public record Cpu(int id, int coreId, int socketId, int nodeId, List<Integer> siblings) {
    public Cpu {
        if (id < 0) {
            throw new IllegalArgumentException("cpu id " + id + " is negative");
        }
        siblings = siblings == null || siblings.isEmpty() ? List.of(id) : siblings.stream().sorted().distinct().toList();
        if (!siblings.contains(id)) {
            throw new IllegalArgumentException("cpu " + id + " is not among its own siblings " + siblings);
        }
    }

    /** The CPU that stands for this physical core: the lowest-numbered sibling. */
    public int physicalCore() {
        return siblings.getFirst();
    }
}
