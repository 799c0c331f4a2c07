package io.strata.resources;

import io.strata.config.ProcessIds;
import io.strata.config.Role;
import io.strata.config.server.Ranges;
import io.strata.runtime.StrataException;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What {@code strata resources generate} is asked for. A null means "the default", which the
 * generator works out from the hardware (see {@code docs/resource-files.md}):
 *
 * <ul>
 *   <li>{@code net}: every NIC on a PCI device; {@code drives}: every NVMe namespace nothing uses;</li>
 *   <li>{@code driveCores}: one per drive; {@code frontendCores}: 1; {@code computeCores}: the rest;</li>
 *   <li>{@code spareCores}: 1 (the physical core of CPU 0 stays with the OS);</li>
 *   <li>{@code coreIds}: the CPUs to allocate from instead of all but the spare ones;
 *       {@code driveCoreIds} etc.: the exact CPUs of one role;</li>
 *   <li>{@code computeMemoryBytes}: what the formula leaves; {@code failureDomain}: the hostname;</li>
 *   <li>{@code singleContainerCores}: in the single-container layout, the cores of {@code default}
 *       (at most 19; by default as many as the server has, up to 19).</li>
 * </ul>
 */
public record GeneratorOptions(
        List<NetSpec> net,
        List<String> drives,
        Integer driveCores,
        Integer frontendCores,
        Integer computeCores,
        Integer spareCores,
        List<Integer> coreIds,
        List<Integer> driveCoreIds,
        List<Integer> computeCoreIds,
        List<Integer> frontendCoreIds,
        int maxCoresPerContainer,
        Long computeMemoryBytes,
        int basePort,
        String failureDomain,
        boolean singleContainer,
        Integer singleContainerCores) {

    public static final int DEFAULT_SPARE_CORES = 1;
    public static final int DEFAULT_FRONTEND_CORES = 1;
    private static final int LOWEST_BASE_PORT = 1024;
    private static final int HIGHEST_BASE_PORT = 65535 - ProcessIds.PORTS_PER_CONTAINER + 1;
    private static final Pattern FAILURE_DOMAIN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public GeneratorOptions {
        net = net == null ? null : List.copyOf(net);
        drives = drives == null ? null : List.copyOf(drives);
        coreIds = copyIds(coreIds, "--core-ids");
        driveCoreIds = copyIds(driveCoreIds, "--drive-core-ids");
        computeCoreIds = copyIds(computeCoreIds, "--compute-core-ids");
        frontendCoreIds = copyIds(frontendCoreIds, "--frontend-core-ids");
        checkCount(driveCores, "--drive-dedicated-cores", driveCoreIds, "--drive-core-ids");
        checkCount(frontendCores, "--frontend-dedicated-cores", frontendCoreIds, "--frontend-core-ids");
        checkCount(computeCores, "--compute-dedicated-cores", computeCoreIds, "--compute-core-ids");
        checkCount(spareCores, "--spare-cores", null, null);
        if (spareCores != null && coreIds != null) {
            throw StrataException.invalid("--spare-cores %d and --core-ids %s exclude each other: the CPUs not named in --core-ids stay with the OS",
                    spareCores, Ranges.describe(coreIds));
        }
        if (maxCoresPerContainer < 1 || maxCoresPerContainer > ProcessIds.MAX_ROLE_PROCESSES) {
            throw StrataException.invalid("--max-cores-per-container %d is outside 1-%d (a container holds at most %d role processes)",
                    maxCoresPerContainer, ProcessIds.MAX_ROLE_PROCESSES, ProcessIds.MAX_ROLE_PROCESSES);
        }
        if (computeMemoryBytes != null && computeMemoryBytes <= 0) {
            throw StrataException.invalid("--compute-memory %d bytes is not positive", computeMemoryBytes);
        }
        if (basePort < LOWEST_BASE_PORT || basePort > HIGHEST_BASE_PORT) {
            throw StrataException.invalid("--base-port %d is outside %d-%d", basePort, LOWEST_BASE_PORT, HIGHEST_BASE_PORT);
        }
        if (failureDomain != null && !FAILURE_DOMAIN.matcher(failureDomain).matches()) {
            throw StrataException.invalid("--failure-domain '%s' is not valid: use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit",
                    failureDomain);
        }
        checkSingleContainerCores(singleContainer, singleContainerCores);
    }

    public static GeneratorOptions defaults() {
        return builder().build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The count asked for a role, from its count or its core ids; null for the default. */
    public Integer coresOf(Role role) {
        return switch (role) {
            case DRIVE -> driveCores != null ? driveCores : sizeOrNull(driveCoreIds);
            case COMPUTE -> computeCores != null ? computeCores : sizeOrNull(computeCoreIds);
            case FRONTEND -> frontendCores != null ? frontendCores : sizeOrNull(frontendCoreIds);
            case MANAGEMENT -> throw new IllegalArgumentException("the management process has no dedicated cores");
        };
    }

    /** The exact CPUs asked for a role, or null. */
    public List<Integer> coreIdsOf(Role role) {
        return switch (role) {
            case DRIVE -> driveCoreIds;
            case COMPUTE -> computeCoreIds;
            case FRONTEND -> frontendCoreIds;
            case MANAGEMENT -> null;
        };
    }

    public int spareCoresOrDefault() {
        return spareCores == null ? DEFAULT_SPARE_CORES : spareCores;
    }

    public Builder toBuilder() {
        Builder b = new Builder();
        b.net = net;
        b.drives = drives;
        b.driveCores = driveCores;
        b.frontendCores = frontendCores;
        b.computeCores = computeCores;
        b.spareCores = spareCores;
        b.coreIds = coreIds;
        b.driveCoreIds = driveCoreIds;
        b.computeCoreIds = computeCoreIds;
        b.frontendCoreIds = frontendCoreIds;
        b.maxCoresPerContainer = maxCoresPerContainer;
        b.computeMemoryBytes = computeMemoryBytes;
        b.basePort = basePort;
        b.failureDomain = failureDomain;
        b.singleContainer = singleContainer;
        b.singleContainerCores = singleContainerCores;
        return b;
    }

    private static Integer sizeOrNull(List<Integer> ids) {
        return ids == null ? null : ids.size();
    }

    private static List<Integer> copyIds(List<Integer> ids, String option) {
        if (ids == null) {
            return null;
        }
        Set<Integer> seen = new HashSet<>();
        for (Integer id : ids) {
            if (id == null || id < 0) {
                throw StrataException.invalid("%s names core %s, which is not a core id", option, id);
            }
            if (!seen.add(id)) {
                throw StrataException.invalid("%s names core %d twice", option, id);
            }
        }
        return List.copyOf(ids);
    }

    private static void checkCount(Integer count, String option, List<Integer> ids, String idsOption) {
        if (count != null && count < 0) {
            throw StrataException.invalid("%s %d is negative", option, count);
        }
        if (count != null && ids != null && ids.size() != count) {
            throw StrataException.invalid("%s names %d cores (%s) but %s is %d", idsOption, ids.size(), Ranges.describe(ids), option, count);
        }
    }

    private static void checkSingleContainerCores(boolean singleContainer, Integer cores) {
        if (cores == null) {
            return;
        }
        if (!singleContainer) {
            throw new IllegalArgumentException("a core count for the single container needs the single-container layout");
        }
        if (cores < 1 || cores > ProcessIds.MAX_ROLE_PROCESSES) {
            throw StrataException.invalid("the single container takes 1-%d cores, not %d", ProcessIds.MAX_ROLE_PROCESSES, cores);
        }
    }

    /** Options as the CLI gives them: strings where a person typed a list or a size. */
    public static final class Builder {
        private List<NetSpec> net;
        private List<String> drives;
        private Integer driveCores;
        private Integer frontendCores;
        private Integer computeCores;
        private Integer spareCores;
        private List<Integer> coreIds;
        private List<Integer> driveCoreIds;
        private List<Integer> computeCoreIds;
        private List<Integer> frontendCoreIds;
        private int maxCoresPerContainer = ProcessIds.MAX_ROLE_PROCESSES;
        private Long computeMemoryBytes;
        private int basePort = ProcessIds.DRIVES_BASE_PORT;
        private String failureDomain;
        private boolean singleContainer;
        private Integer singleContainerCores;

        private Builder() {
        }

        /** {@code --net} values, each one spec or a comma-separated list; null or empty for the default. */
        public Builder net(List<String> values) {
            this.net = values == null || values.isEmpty() ? null : NetSpec.parseList(values);
            return this;
        }

        public Builder netSpecs(List<NetSpec> specs) {
            this.net = specs;
            return this;
        }

        /** {@code --drives nvme0n1,/dev/nvme1n1}; null for the default, "" or "none" for no drive. */
        public Builder drives(String list) {
            if (list == null) {
                this.drives = null;
            } else if (list.isBlank() || list.strip().equals("none")) {
                this.drives = List.of();
            } else {
                this.drives = java.util.Arrays.stream(list.split(",")).map(String::strip).filter(s -> !s.isEmpty()).toList();
            }
            return this;
        }

        public Builder drives(List<String> list) {
            this.drives = list;
            return this;
        }

        public Builder driveCores(Integer cores) {
            this.driveCores = cores;
            return this;
        }

        public Builder frontendCores(Integer cores) {
            this.frontendCores = cores;
            return this;
        }

        public Builder computeCores(Integer cores) {
            this.computeCores = cores;
            return this;
        }

        public Builder spareCores(Integer cores) {
            this.spareCores = cores;
            return this;
        }

        /** {@code 1-7,9}: the CPUs to allocate from. */
        public Builder coreIds(String list) {
            this.coreIds = list == null ? null : Ranges.parse(list);
            return this;
        }

        public Builder driveCoreIds(String list) {
            this.driveCoreIds = list == null ? null : Ranges.parse(list);
            return this;
        }

        public Builder computeCoreIds(String list) {
            this.computeCoreIds = list == null ? null : Ranges.parse(list);
            return this;
        }

        public Builder frontendCoreIds(String list) {
            this.frontendCoreIds = list == null ? null : Ranges.parse(list);
            return this;
        }

        public Builder maxCoresPerContainer(Integer max) {
            this.maxCoresPerContainer = max == null ? ProcessIds.MAX_ROLE_PROCESSES : max;
            return this;
        }

        /** {@code 64GiB}; null for the formula. */
        public Builder computeMemory(String size) {
            this.computeMemoryBytes = size == null ? null : ByteSizes.parse(size);
            return this;
        }

        public Builder computeMemoryBytes(Long bytes) {
            this.computeMemoryBytes = bytes;
            return this;
        }

        public Builder basePort(Integer port) {
            this.basePort = port == null ? ProcessIds.DRIVES_BASE_PORT : port;
            return this;
        }

        public Builder failureDomain(String name) {
            this.failureDomain = name == null || name.isBlank() ? null : name.strip();
            return this;
        }

        public Builder singleContainer(boolean single) {
            this.singleContainer = single;
            return this;
        }

        /** The single-container layout with {@code cores} cores for {@code default} (null: as many as fit). */
        public Builder singleContainer(Integer cores) {
            this.singleContainer = true;
            this.singleContainerCores = cores;
            return this;
        }

        public GeneratorOptions build() {
            return new GeneratorOptions(net, drives, driveCores, frontendCores, computeCores, spareCores, coreIds,
                    driveCoreIds, computeCoreIds, frontendCoreIds, maxCoresPerContainer, computeMemoryBytes, basePort,
                    failureDomain, singleContainer, singleContainerCores);
        }
    }
}
