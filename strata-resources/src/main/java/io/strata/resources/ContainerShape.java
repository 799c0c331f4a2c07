package io.strata.resources;

import io.strata.config.server.ContainerRules;
import io.strata.config.ProcessIds;
import io.strata.config.Role;
import java.util.ArrayList;
import java.util.List;

/**
 * One container to be: its name and, per role it holds, how many cores and processes. The
 * multiple-containers layout has one role per container; the single layout's {@code default}
 * holds all three.
 */
record ContainerShape(String name, int index, List<Share> shares) {
    private static final int SHARE = ContainerRules.MAX_DRIVE_PROCESSES_PER_CORE;
    private static final List<Role> ROLE_ORDER = List.of(Role.DRIVE, Role.COMPUTE, Role.FRONTEND);

    /** A role's part of a container. */
    record Share(Role role, int cores, int processes) {
    }

    ContainerShape {
        shares = List.copyOf(shares);
    }

    int cores() {
        return shares.stream().mapToInt(Share::cores).sum();
    }

    int processes() {
        return shares.stream().mapToInt(Share::processes).sum();
    }

    int processes(Role role) {
        return shares.stream().filter(s -> s.role() == role).mapToInt(Share::processes).sum();
    }

    /** The role of a one-role container, null for the single layout's container. */
    Role role() {
        return shares.size() == 1 ? shares.getFirst().role() : null;
    }

    static String fileNameStem(Role role) {
        return role == Role.DRIVE ? "drives" : role.wireName();
    }

    static List<ContainerShape> single(RoleCounts counts) {
        List<Share> shares = new ArrayList<>();
        for (Role role : ROLE_ORDER) {
            if (counts.cores(role) > 0) {
                shares.add(new Share(role, counts.cores(role), counts.processes(role)));
            }
        }
        return List.of(new ContainerShape("default", 0, shares));
    }

    /**
     * Drives, then compute, then frontend containers. A role with more cores than a container
     * may hold is split over {@code ceil(cores / max)} containers, sizes differing by at most one,
     * larger first (40 compute cores in 19: 14, 13, 13).
     */
    static List<ContainerShape> multi(RoleCounts counts, int maxCoresPerContainer) {
        List<ContainerShape> shapes = new ArrayList<>();
        shapes.addAll(driveContainers(counts.driveCores(), counts.driveProcesses(), maxCoresPerContainer));
        for (Role role : List.of(Role.COMPUTE, Role.FRONTEND)) {
            int cores = counts.cores(role);
            if (cores == 0) {
                continue;
            }
            List<Integer> sizes = evenSplit(cores, Math.ceilDiv(cores, maxCoresPerContainer));
            for (int i = 0; i < sizes.size(); i++) {
                shapes.add(new ContainerShape(fileNameStem(role) + i, i, List.of(new Share(role, sizes.get(i), sizes.get(i)))));
            }
        }
        return shapes;
    }

    /**
     * Drive cores split evenly; drive processes (one per drive) split in proportion to the cores,
     * so every core keeps 1-4 processes. More containers are used when that would put more than
     * 19 processes in one; at one core per container it always fits.
     */
    private static List<ContainerShape> driveContainers(int cores, int processes, int maxCores) {
        if (cores == 0) {
            return List.of();
        }
        int minimum = Math.max(Math.ceilDiv(cores, maxCores), Math.ceilDiv(processes, ProcessIds.MAX_ROLE_PROCESSES));
        for (int containers = minimum; containers <= cores; containers++) {
            List<Integer> coreSplit = evenSplit(cores, containers);
            List<Integer> processSplit = proportionalSplit(processes, coreSplit);
            if (fits(coreSplit, processSplit)) {
                List<ContainerShape> shapes = new ArrayList<>();
                for (int i = 0; i < containers; i++) {
                    shapes.add(new ContainerShape("drives" + i, i, List.of(new Share(Role.DRIVE, coreSplit.get(i), processSplit.get(i)))));
                }
                return shapes;
            }
        }
        throw new IllegalStateException("no split of " + processes + " drive processes over " + cores + " cores fits");
    }

    private static boolean fits(List<Integer> cores, List<Integer> processes) {
        for (int i = 0; i < cores.size(); i++) {
            int c = cores.get(i);
            int p = processes.get(i);
            if (p < c || p > c * SHARE || p > ProcessIds.MAX_ROLE_PROCESSES) {
                return false;
            }
        }
        return true;
    }

    /** {@code total} in {@code parts} parts differing by at most one, larger first. */
    static List<Integer> evenSplit(int total, int parts) {
        List<Integer> sizes = new ArrayList<>();
        for (int i = 0; i < parts; i++) {
            sizes.add(total / parts + (i < total % parts ? 1 : 0));
        }
        return sizes;
    }

    /** {@code total} split in proportion to {@code weights}, largest remainders rounded up (earlier first on ties). */
    static List<Integer> proportionalSplit(int total, List<Integer> weights) {
        long sum = weights.stream().mapToLong(Integer::longValue).sum();
        List<Integer> result = new ArrayList<>();
        List<long[]> remainders = new ArrayList<>();
        int given = 0;
        for (int i = 0; i < weights.size(); i++) {
            long exact = (long) total * weights.get(i);
            result.add((int) (exact / sum));
            given += (int) (exact / sum);
            remainders.add(new long[] {exact % sum, i});
        }
        remainders.sort((a, b) -> a[0] != b[0] ? Long.compare(b[0], a[0]) : Long.compare(a[1], b[1]));
        for (int k = 0; k < total - given; k++) {
            int i = (int) remainders.get(k)[1];
            result.set(i, result.get(i) + 1);
        }
        return result;
    }
}
