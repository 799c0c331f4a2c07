package io.strata.resources;

import io.strata.config.Role;
import io.strata.config.server.Ranges;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Which CPUs each container gets. Roles that named their CPUs take them in the order named,
 * container after container. The pool is placed by NUMA node: containers, largest first, each
 * go to the node with the most free cores that can hold all of them (so containers spread over
 * the nodes); a container no node can hold takes the nodes with the most free cores first, so it
 * spans as few as it can. Within a node, containers take its lowest free CPUs in file order.
 */
final class CorePlacement {
    /** The CPUs of one container, per role, ascending; and what is worth telling about them. */
    record Placed(Map<Role, List<Integer>> cores, List<String> notes) {
    }

    private CorePlacement() {
    }

    static Map<String, Placed> place(Hardware hardware, List<ContainerShape> shapes, CorePool pool) {
        Map<String, Map<Role, List<Integer>>> cores = new LinkedHashMap<>();
        shapes.forEach(s -> cores.put(s.name(), new EnumMap<>(Role.class)));
        placeExplicit(shapes, pool, cores);
        Map<String, List<String>> notes = new HashMap<>();
        Map<String, List<Integer>> fromPool = placePool(hardware, shapes, pool, notes);
        for (ContainerShape shape : shapes) {
            Deque<Integer> mine = new ArrayDeque<>(fromPool.getOrDefault(shape.name(), List.of()));
            for (ContainerShape.Share share : shape.shares()) {
                if (!pool.explicit().containsKey(share.role())) {
                    List<Integer> taken = new ArrayList<>();
                    for (int i = 0; i < share.cores(); i++) {
                        taken.add(mine.removeFirst());
                    }
                    cores.get(shape.name()).put(share.role(), taken);
                }
            }
        }
        Map<String, Placed> placed = new LinkedHashMap<>();
        cores.forEach((name, byRole) -> placed.put(name, new Placed(byRole, notes.getOrDefault(name, List.of()))));
        return placed;
    }

    private static void placeExplicit(List<ContainerShape> shapes, CorePool pool, Map<String, Map<Role, List<Integer>>> cores) {
        for (Map.Entry<Role, List<Integer>> entry : pool.explicit().entrySet()) {
            Deque<Integer> ids = new ArrayDeque<>(entry.getValue());
            for (ContainerShape shape : shapes) {
                for (ContainerShape.Share share : shape.shares()) {
                    if (share.role() == entry.getKey()) {
                        List<Integer> taken = new ArrayList<>();
                        for (int i = 0; i < share.cores(); i++) {
                            taken.add(ids.removeFirst());
                        }
                        taken.sort(null);
                        cores.get(shape.name()).put(share.role(), taken);
                    }
                }
            }
        }
    }

    private static Map<String, List<Integer>> placePool(Hardware hardware, List<ContainerShape> shapes, CorePool pool,
            Map<String, List<String>> notes) {
        TreeMap<Integer, Deque<Integer>> freeByNode = new TreeMap<>();
        for (int cpu : pool.pool()) {
            int node = hardware.cpu(cpu).map(Cpu::nodeId).orElse(0);
            freeByNode.computeIfAbsent(node, n -> new ArrayDeque<>()).add(cpu);
        }
        Map<Integer, Integer> freeCount = new HashMap<>();
        freeByNode.forEach((node, cpus) -> freeCount.put(node, cpus.size()));
        Map<String, Integer> demand = new LinkedHashMap<>();
        for (ContainerShape shape : shapes) {
            int n = shape.shares().stream().filter(s -> !pool.explicit().containsKey(s.role())).mapToInt(ContainerShape.Share::cores).sum();
            if (n > 0) {
                demand.put(shape.name(), n);
            }
        }
        Map<String, Map<Integer, Integer>> perNode = assignNodes(demand, freeCount, notes);
        Map<String, List<Integer>> result = new LinkedHashMap<>();
        for (Map.Entry<Integer, Deque<Integer>> node : freeByNode.entrySet()) {
            for (String name : demand.keySet()) {
                int count = perNode.get(name).getOrDefault(node.getKey(), 0);
                for (int i = 0; i < count; i++) {
                    result.computeIfAbsent(name, k -> new ArrayList<>()).add(node.getValue().removeFirst());
                }
            }
        }
        result.values().forEach(list -> list.sort(null));
        return result;
    }

    /** Worst-fit decreasing over the nodes; a container that fits nowhere spans the fewest nodes greedily. */
    private static Map<String, Map<Integer, Integer>> assignNodes(Map<String, Integer> demand, Map<Integer, Integer> free,
            Map<String, List<String>> notes) {
        List<String> order = new ArrayList<>(demand.keySet());
        order.sort(Comparator.comparing((String name) -> -demand.get(name))); // stable: file order on ties
        Comparator<Integer> mostFree = Comparator.comparing((Integer node) -> -free.get(node)).thenComparing(node -> node);
        Map<String, Map<Integer, Integer>> result = new HashMap<>();
        for (String name : order) {
            int needed = demand.get(name);
            Map<Integer, Integer> taken = new TreeMap<>();
            List<Integer> nodes = free.keySet().stream().sorted(mostFree).toList();
            List<Integer> fitting = nodes.stream().filter(node -> free.get(node) >= needed).toList();
            if (!fitting.isEmpty()) {
                taken.put(fitting.getFirst(), needed);
            } else {
                int left = needed;
                for (int node : nodes) {
                    int take = Math.min(left, free.get(node));
                    if (take > 0) {
                        taken.put(node, take);
                        left -= take;
                    }
                }
                if (left > 0) {
                    throw new IllegalStateException("container " + name + " needs " + needed + " pool cores, " + left + " more than free");
                }
                if (free.size() > 1) {
                    notes.computeIfAbsent(name, k -> new ArrayList<>()).add(String.format(
                            "cores span NUMA nodes %s: no node had %d free cores left", Ranges.describe(taken.keySet()), needed));
                }
            }
            taken.forEach((node, count) -> free.merge(node, -count, Integer::sum));
            result.put(name, taken);
        }
        return result;
    }
}
