package io.strata.config.server;

import com.fasterxml.jackson.annotation.JsonIgnore;
import io.strata.runtime.StrataException;
import java.util.List;
import java.util.SortedSet;
import java.util.TreeSet;

/**
 * Who a server is, as its host agent knows it: the name and address it is reached at, its failure
 * domain, the cores it offers and how those cores map onto the CPUs of the machine underneath.
 *
 * <p>On a real server the cores are the machine's CPUs and the mapping is the identity. A sandbox
 * server presents a core set of its own (say 0..7) whose core k runs on CPU {@code k mod nproc},
 * so every rule about cores is checked for real on a small machine; or, to measure speed there,
 * its processes are not pinned at all ({@link CoreMapping#SHARED}).
 */
public record ServerIdentity(
        String hostname,
        String address,
        String failureDomain,
        List<Integer> cores,
        CoreMapping coreMapping,
        long memoryBytes,
        int agentPort) {

    public enum CoreMapping {
        /** Core k is CPU k. */
        IDENTITY,
        /** Core k runs on CPU k modulo the CPUs this machine has (the sandbox). */
        MODULO,
        /**
         * The cores are simulated as with {@link #MODULO}, but no process is pinned: the kernel
         * runs each on whichever CPU is free. For measuring speed in a sandbox whose servers have
         * many times the machine's CPUs: pinned modulo, the same role of every server lands on the
         * same CPU (six servers' drive processes all on CPU 1 of two), which serializes their work
         * while the other CPU idles.
         */
        SHARED;

        /** Whether the cores are the sandbox's own rather than this machine's CPUs. */
        public boolean simulated() {
            return this != IDENTITY;
        }

        /** The name {@code --core-mapping} gives it: identity, modulo or shared. */
        public String optionName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** The mapping {@code --core-mapping} names, if it names one. */
        public static java.util.Optional<CoreMapping> named(String optionName) {
            return java.util.Arrays.stream(values()).filter(m -> m.optionName().equals(optionName)).findFirst();
        }
    }

    /** {@link #cpuOf}'s answer for a process that is not pinned. */
    public static final int UNPINNED = -1;

    public ServerIdentity {
        cores = cores == null ? List.of() : List.copyOf(new TreeSet<>(cores));
    }

    @JsonIgnore
    public SortedSet<Integer> coreSet() {
        return new TreeSet<>(cores);
    }

    public boolean hasCore(int core) {
        return cores.contains(core);
    }

    /** The machine CPU that a core of this server runs on, or {@link #UNPINNED}. */
    public int cpuOf(int core, int machineCpus) {
        if (!hasCore(core)) {
            throw StrataException.invalid("core %d does not exist on %s (cores %s)", core, hostname, describeCores());
        }
        return switch (coreMapping) {
            case IDENTITY -> core;
            case MODULO -> core % machineCpus;
            case SHARED -> UNPINNED;
        };
    }

    /** A short description such as {@code 0-7} or {@code 0-3,8-11}. */
    public String describeCores() {
        return Ranges.describe(cores);
    }
}
