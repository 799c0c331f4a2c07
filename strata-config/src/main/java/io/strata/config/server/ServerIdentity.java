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
 * so every rule about cores is checked for real on a small machine.
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
        MODULO
    }

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

    /** The machine CPU that a core of this server runs on. */
    public int cpuOf(int core, int machineCpus) {
        if (!hasCore(core)) {
            throw StrataException.invalid("core %d does not exist on %s (cores %s)", core, hostname, describeCores());
        }
        return coreMapping == CoreMapping.MODULO ? core % machineCpus : core;
    }

    /** A short description such as {@code 0-7} or {@code 0-3,8-11}. */
    public String describeCores() {
        return Ranges.describe(cores);
    }
}
