package io.strata.resources;

import io.strata.config.Role;
import io.strata.config.server.Ranges;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The CPUs the generator may hand out. Each physical core counts once: its lowest hyperthread
 * stands for it and its siblings are never handed out. CPUs a role names exactly
 * ({@code --drive-core-ids} ...) are that role's; the others come from the pool: the CPUs of
 * {@code --core-ids}, or else every physical core but the spare ones, which are the
 * lowest-numbered physical cores not named by a role (CPU 0's core with the default of one).
 *
 * @param explicit the CPUs each role named, in the order named
 * @param pool the CPUs left for roles that named none, ascending
 * @param spare the CPUs that stay with the OS
 * @param capacity how the server's cores were counted, for messages
 */
record CorePool(Map<Role, List<Integer>> explicit, List<Integer> pool, List<Integer> spare, String capacity) {

    static CorePool of(Hardware hardware, GeneratorOptions options) {
        Claims claims = new Claims(hardware);
        Map<Role, List<Integer>> explicit = new EnumMap<>(Role.class);
        for (Role role : List.of(Role.DRIVE, Role.COMPUTE, Role.FRONTEND)) {
            List<Integer> ids = options.coreIdsOf(role);
            if (ids != null) {
                ids.forEach(id -> claims.claim(id, optionOf(role)));
                explicit.put(role, ids);
            }
        }
        int physical = hardware.physicalCores().size();
        String cpus = hardware.cpus().size() == physical ? physical + " CPUs (no hyperthreads)"
                : hardware.cpus().size() + " CPUs (hyperthread siblings are not handed out)";
        if (options.coreIds() != null) {
            List<Integer> pool = new ArrayList<>();
            for (int id : options.coreIds()) {
                if (!claims.isClaimedCpu(id)) {
                    claims.claim(id, "--core-ids");
                    pool.add(id);
                }
            }
            pool.sort(null);
            String capacity = String.format("--core-ids names %d cores (%s); %s has %d physical cores on %s",
                    options.coreIds().size(), Ranges.describe(options.coreIds()), hardware.hostname(), physical, cpus);
            return new CorePool(explicit, List.copyOf(pool), List.of(), capacity);
        }
        List<Integer> free = new ArrayList<>();
        for (PhysicalCore core : hardware.physicalCores()) {
            if (!claims.isClaimedCore(core.cpu())) {
                free.add(core.cpu());
            }
        }
        int spareCount = options.spareCoresOrDefault();
        if (spareCount > free.size()) {
            throw StrataException.invalid("--spare-cores %d is more than the %d physical cores %s has left; it has %d physical cores on %s",
                    spareCount, free.size(), hardware.hostname(), physical, cpus);
        }
        List<Integer> spare = List.copyOf(free.subList(0, spareCount));
        List<Integer> pool = List.copyOf(free.subList(spareCount, free.size()));
        String capacity = String.format("%s has %d physical cores on %s; %s",
                hardware.hostname(), physical, cpus, spare.isEmpty() ? "none stays with the OS"
                        : spareCount + " stays with the OS (CPU " + Ranges.describe(spare) + ")");
        return new CorePool(explicit, pool, spare, capacity);
    }

    static String optionOf(Role role) {
        return "--" + role.wireName() + "-core-ids";
    }

    /** Checks named CPUs one by one: each exists and shares its physical core with none named before. */
    private static final class Claims {
        private final Hardware hardware;
        /** Physical core (its representative CPU) to the CPU that took it and the option that named it. */
        private final Map<Integer, int[]> byCore = new HashMap<>();
        private final Map<Integer, String> optionByCpu = new LinkedHashMap<>();

        Claims(Hardware hardware) {
            this.hardware = hardware;
        }

        void claim(int id, String option) {
            Cpu cpu = hardware.cpu(id).orElseThrow(() -> StrataException.invalid(
                    "core %d named by %s does not exist on %s (CPUs %s)", id, option, hardware.hostname(), hardware.describeCpus()));
            String earlier = optionByCpu.get(id);
            if (earlier != null) {
                throw StrataException.invalid("core %d is named by both %s and %s", id, earlier, option);
            }
            int core = hardware.representative(cpu);
            int[] taken = byCore.get(core);
            if (taken != null) {
                throw StrataException.invalid("core %d named by %s is a hyperthread sibling of core %d, which %s already uses",
                        id, option, taken[0], optionByCpu.get(taken[0]));
            }
            byCore.put(core, new int[] {id});
            optionByCpu.put(id, option);
        }

        boolean isClaimedCpu(int id) {
            return optionByCpu.containsKey(id);
        }

        boolean isClaimedCore(int representative) {
            return byCore.containsKey(representative);
        }
    }
}
