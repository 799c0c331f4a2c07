package io.strata.resources;

import io.strata.config.Role;
import io.strata.runtime.StrataException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Memory of the containers. A drive or frontend container runs with the default footprint, so its
 * file says 0; compute containers share what is left:
 *
 * <pre>
 *   reserve   = max(4 GiB, RAM / 10)                                 kept for the OS
 *   others    = sum over drive and frontend containers of (1 GiB + 1 GiB x processes)
 *   compute   = --compute-memory, or RAM - reserve - others          for all compute containers
 *   container = compute x its compute processes / all compute processes, rounded down to MiB
 * </pre>
 *
 * Each compute container needs at least 1 GiB plus 1 GiB per process. In the single layout the
 * container {@code default} gets {@code 1 GiB x (drive + frontend processes) + compute}, with the
 * same {@code compute} (its 1 GiB base counted there). On a server of unknown memory (simulated)
 * the files say 0 unless {@code --compute-memory} is given.
 *
 * <p>Public so that a container whose file says 0 sizes itself with the same footprint.
 */
public final class MemoryPlan {
    public static final long OS_RESERVE_MIN_BYTES = 4 * ByteSizes.GIB;
    public static final int OS_RESERVE_DIVISOR = 10;
    /** A container's management process and JVM. */
    public static final long CONTAINER_BASE_BYTES = ByteSizes.GIB;
    /** A drive or frontend process, and the least a compute process gets. */
    public static final long PROCESS_BYTES = ByteSizes.GIB;

    private MemoryPlan() {
    }

    public static long osReserve(long ramBytes) {
        return Math.max(OS_RESERVE_MIN_BYTES, ramBytes / OS_RESERVE_DIVISOR);
    }

    /** The default footprint of a container with {@code processes} role processes (a file saying memoryBytes 0). */
    public static long defaultFootprint(int processes) {
        return CONTAINER_BASE_BYTES + PROCESS_BYTES * processes;
    }

    /** memoryBytes per container name, for the multiple-containers layout. */
    static Map<String, Long> multi(long ramBytes, List<ContainerShape> shapes, Long computeAsked) {
        long others = 0;
        long minimum = 0;
        int computeProcesses = 0;
        for (ContainerShape shape : shapes) {
            if (shape.role() == Role.COMPUTE) {
                minimum += defaultFootprint(shape.processes());
                computeProcesses += shape.processes();
            } else {
                others += defaultFootprint(shape.processes());
            }
        }
        long compute = computeMemory(ramBytes, others, minimum, computeProcesses, computeAsked);
        Map<String, Long> result = new LinkedHashMap<>();
        for (ContainerShape shape : shapes) {
            long bytes = shape.role() == Role.COMPUTE && compute > 0
                    ? roundDownToMib(share(compute, shape.processes(), computeProcesses)) : 0;
            result.put(shape.name(), bytes);
        }
        return result;
    }

    /** memoryBytes of {@code default} in the single layout. */
    static long single(long ramBytes, ContainerShape shape, Long computeAsked) {
        int others = shape.processes(Role.DRIVE) + shape.processes(Role.FRONTEND);
        long minimum = defaultFootprint(shape.processes(Role.COMPUTE));
        long compute = computeMemory(ramBytes, PROCESS_BYTES * others, minimum, shape.processes(Role.COMPUTE), computeAsked);
        return compute == 0 ? 0 : roundDownToMib(PROCESS_BYTES * others + compute);
    }

    private static long computeMemory(long ramBytes, long others, long minimum, int computeProcesses, Long asked) {
        if (ramBytes == 0) {
            return asked == null ? 0 : checkAtLeast(asked, minimum, computeProcesses);
        }
        long reserve = osReserve(ramBytes);
        long left = ramBytes - reserve - others;
        if (asked != null) {
            if (asked > left) {
                throw StrataException.invalid("--compute-memory %s is more than the %s left: %s of RAM, %s kept for the OS, %s for drive and frontend processes",
                        ByteSizes.describe(asked), ByteSizes.describe(Math.max(0, left)), ByteSizes.describe(ramBytes),
                        ByteSizes.describe(reserve), ByteSizes.describe(others));
            }
            return checkAtLeast(asked, minimum, computeProcesses);
        }
        if (left < minimum) {
            throw StrataException.invalid("not enough memory: %s of RAM, %s kept for the OS and %s for drive and frontend processes leave %s; the containers need at least %s",
                    ByteSizes.describe(ramBytes), ByteSizes.describe(reserve), ByteSizes.describe(others),
                    ByteSizes.describe(Math.max(0, left)), ByteSizes.describe(minimum));
        }
        return computeProcesses == 0 && minimum == 0 ? 0 : left;
    }

    private static long checkAtLeast(long asked, long minimum, int computeProcesses) {
        if (asked < minimum) {
            throw StrataException.invalid("--compute-memory %s is less than the %s that %d compute processes need (1 GiB per container and 1 GiB per process)",
                    ByteSizes.describe(asked), ByteSizes.describe(minimum), computeProcesses);
        }
        return asked;
    }

    private static long share(long total, int processes, int allProcesses) {
        return java.math.BigInteger.valueOf(total).multiply(java.math.BigInteger.valueOf(processes))
                .divide(java.math.BigInteger.valueOf(allProcesses)).longValueExact();
    }

    private static long roundDownToMib(long bytes) {
        return bytes / ByteSizes.MIB * ByteSizes.MIB;
    }
}
