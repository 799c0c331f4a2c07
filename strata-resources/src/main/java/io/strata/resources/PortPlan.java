package io.strata.resources;

import io.strata.config.ProcessIds;
import io.strata.config.Role;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Base ports. Each container owns 100 ports from its base. Relative to {@code --base-port} B
 * (default 14000): drives from B, frontend from B+200, compute from B+300, each further container
 * of a role +100 (compute1 at B+400). Where two such ranges meet (drives2 would take frontend0's
 * B+200), containers keep their usual range in order of index, then drives, compute, frontend;
 * a container that lost it, or whose range would hold the host agent's port 13900, takes the next
 * free range above its usual one, in steps of 100, and its file says so.
 */
final class PortPlan {
    /** A container's base port, with a note when it is not the usual one. */
    record Assigned(int basePort, String note) {
    }

    private static final int HIGHEST_PORT = 65535;
    private static final int SIZE = ProcessIds.PORTS_PER_CONTAINER;
    private static final List<Role> ROLE_ORDER = List.of(Role.DRIVE, Role.COMPUTE, Role.FRONTEND);

    private PortPlan() {
    }

    static int usualBase(int basePort, Role role, int index) {
        int offset = switch (role) {
            case DRIVE -> ProcessIds.DRIVES_BASE_PORT;
            case FRONTEND -> ProcessIds.FRONTEND_BASE_PORT;
            case COMPUTE -> ProcessIds.COMPUTE_BASE_PORT;
            case MANAGEMENT -> throw new IllegalArgumentException("management has no containers of its own");
        } - ProcessIds.DRIVES_BASE_PORT;
        return basePort + offset + index * SIZE;
    }

    /** Base ports for the one-role containers of the multiple-containers layout. */
    static Map<String, Assigned> assign(List<ContainerShape> shapes, int basePort) {
        List<ContainerShape> order = new ArrayList<>(shapes);
        order.sort(Comparator.comparingInt(ContainerShape::index).thenComparingInt(s -> ROLE_ORDER.indexOf(s.role())));
        Map<String, int[]> taken = new LinkedHashMap<>();
        Map<String, Assigned> result = new HashMap<>();
        List<ContainerShape> displaced = new ArrayList<>();
        for (ContainerShape shape : order) {
            int usual = usualBase(basePort, shape.role(), shape.index());
            if (holder(usual, taken) == null && usual + SIZE - 1 <= HIGHEST_PORT) {
                taken.put(shape.name(), new int[] {usual});
                result.put(shape.name(), new Assigned(usual, null));
            } else {
                displaced.add(shape);
            }
        }
        for (ContainerShape shape : displaced) {
            int usual = usualBase(basePort, shape.role(), shape.index());
            String why = holder(usual, taken);
            int base = usual;
            while (holder(base, taken) != null && base + SIZE - 1 <= HIGHEST_PORT) {
                base += SIZE;
            }
            if (base + SIZE - 1 > HIGHEST_PORT) {
                throw StrataException.invalid("no free port range for container %s: ranges from %d up to port %d are taken (lower --base-port %d)",
                        shape.name(), usual, HIGHEST_PORT, basePort);
            }
            taken.put(shape.name(), new int[] {base});
            String reason = why == null ? "it would end above port " + HIGHEST_PORT : why;
            result.put(shape.name(), new Assigned(base, String.format("ports %d-%d: the usual range %d-%d is taken (%s)",
                    base, base + SIZE - 1, usual, usual + SIZE - 1, reason)));
        }
        return result;
    }

    /** Single layout: {@code default} at the base port, unless that range holds the agent's port. */
    static Assigned single(int basePort) {
        String why = holder(basePort, Map.of());
        if (why == null) {
            return new Assigned(basePort, null);
        }
        throw StrataException.invalid("--base-port %d: ports %d-%d would include %s", basePort, basePort, basePort + SIZE - 1, why);
    }

    /** Who holds a port of the range starting at {@code base}, or null if it is free. */
    private static String holder(int base, Map<String, int[]> taken) {
        int last = base + SIZE - 1;
        if (ProcessIds.AGENT_PORT >= base && ProcessIds.AGENT_PORT <= last) {
            return "the host agent's port " + ProcessIds.AGENT_PORT;
        }
        for (Map.Entry<String, int[]> entry : taken.entrySet()) {
            int other = entry.getValue()[0];
            if (base <= other + SIZE - 1 && other <= last) {
                return "container " + entry.getKey() + " has " + other + "-" + (other + SIZE - 1);
            }
        }
        return null;
    }
}
