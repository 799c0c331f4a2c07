package io.strata.cli.sandbox;

import io.strata.config.resources.ResourceFile;
import io.strata.resources.GeneratorOptions;
import io.strata.resources.Hardware;
import io.strata.resources.ResourceGenerator;
import java.util.List;

/**
 * The containers of one sandbox server, written by the resource generator for a simulated server
 * of {@code cores} cores (core 0 left to the OS): one drive core, {@code computeProcesses}
 * compute cores and one frontend core, as drives0/compute0/frontend0 or as one 'default'. The
 * server's drive is a file in its root folder.
 */
final class SandboxLayouts {
    private SandboxLayouts() {
    }

    /** {@code drive} is the file standing in for the server's one NVMe drive. */
    static List<ResourceFile> generate(String hostname, int cores, String layout, int computeProcesses, String drive) {
        Hardware hardware = Hardware.simulated(hostname, java.util.stream.IntStream.range(0, cores).boxed().toList(), 0,
                List.of(drive));
        GeneratorOptions options = GeneratorOptions.builder()
                .failureDomain(hostname)
                .driveCores(1)
                .computeCores(computeProcesses)
                .frontendCores(1)
                .singleContainer("single".equals(layout))
                .build();
        return ResourceGenerator.generate(hardware, options).files();
    }
}
