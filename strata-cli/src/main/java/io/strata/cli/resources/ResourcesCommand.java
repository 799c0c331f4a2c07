package io.strata.cli.resources;

import io.strata.resources.GeneratedResources;
import io.strata.resources.GeneratorOptions;
import io.strata.resources.Hardware;
import io.strata.resources.HardwareReader;
import io.strata.resources.HardwareRecorder;
import io.strata.resources.ResourceGenerator;
import io.strata.runtime.Json;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code strata resources}: plan a server's containers from its hardware. {@code generate} writes
 * one resource file per container, {@code record} copies this machine's hardware description so
 * that servers can be planned elsewhere. Refusals are {@link io.strata.runtime.StrataException}s,
 * thrown before any file is written; the {@code strata} main prints them.
 */
@Command(name = "resources",
        description = "Plan the containers of a server from its hardware (docs/resource-files.md).",
        subcommands = {ResourcesCommand.Generate.class, ResourcesCommand.Record.class})
public class ResourcesCommand implements Runnable {
    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    @Command(name = "generate", sortOptions = false,
            description = "Write one resource file per container (drives0.json, compute0.json..., frontend0.json, "
                    + "or default.json with --single-container) and print the files written.")
    static final class Generate implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--root", paramLabel = "DIR",
                description = "Read the hardware from a recorded copy (strata resources record) instead of this machine.")
        Path root;

        @Option(names = "--net", paramLabel = "NIC", split = ",",
                description = "NICs the containers use, each NAME[/IP[+IP...][/BITS[/GATEWAY]]] "
                        + "(repeatable or comma-separated). Default: every NIC on a PCI device.")
        List<String> net;

        @Option(names = "--drives", paramLabel = "DRIVE,...",
                description = "Drives by name or path (nvme0n1 or /dev/nvme0n1). Default: every NVMe namespace that is not mounted or in use.")
        String drives;

        @Option(names = "--drive-dedicated-cores", paramLabel = "N", description = "Cores for drive processes. Default: one per drive.")
        Integer driveCores;

        @Option(names = "--frontend-dedicated-cores", paramLabel = "N", description = "Cores for frontend processes. Default: 1.")
        Integer frontendCores;

        @Option(names = "--compute-dedicated-cores", paramLabel = "N", description = "Cores for compute processes. Default: the rest.")
        Integer computeCores;

        @Option(names = "--spare-cores", paramLabel = "N",
                description = "Physical cores left to the OS, lowest first. Default: 1 (CPU 0's core).")
        Integer spareCores;

        @Option(names = "--core-ids", paramLabel = "LIST", description = "The CPUs to allocate from, e.g. 2-9,12 (instead of all but the spare ones).")
        String coreIds;

        @Option(names = "--drive-core-ids", paramLabel = "LIST", description = "The exact CPUs of the drive processes.")
        String driveCoreIds;

        @Option(names = "--compute-core-ids", paramLabel = "LIST", description = "The exact CPUs of the compute processes.")
        String computeCoreIds;

        @Option(names = "--frontend-core-ids", paramLabel = "LIST", description = "The exact CPUs of the frontend processes.")
        String frontendCoreIds;

        @Option(names = "--max-cores-per-container", paramLabel = "N", description = "At most 19 (the default).")
        Integer maxCoresPerContainer;

        @Option(names = "--compute-memory", paramLabel = "SIZE",
                description = "Memory of all compute containers together, e.g. 256GiB. Default: what the OS and the other containers leave.")
        String computeMemory;

        @Option(names = "--base-port", paramLabel = "PORT",
                description = "Drives from PORT, frontend from PORT+200, compute from PORT+300. Default: 14000.")
        Integer basePort;

        @Option(names = "--failure-domain", paramLabel = "NAME", description = "Default: the hostname (each server its own domain).")
        String failureDomain;

        @Option(names = "--path", paramLabel = "DIR", defaultValue = ".", description = "Folder for the files. Default: the current folder.")
        Path path;

        @Option(names = "--single-container", description = "One container, default.json, holding all roles (at most 19 cores).")
        boolean singleContainer;

        @Override
        public Integer call() {
            Hardware hardware = HardwareReader.read(root == null ? Path.of("/") : root);
            GeneratorOptions options = GeneratorOptions.builder()
                    .net(net).drives(drives)
                    .driveCores(driveCores).frontendCores(frontendCores).computeCores(computeCores).spareCores(spareCores)
                    .coreIds(coreIds).driveCoreIds(driveCoreIds).computeCoreIds(computeCoreIds).frontendCoreIds(frontendCoreIds)
                    .maxCoresPerContainer(maxCoresPerContainer).computeMemory(computeMemory).basePort(basePort)
                    .failureDomain(failureDomain).singleContainer(singleContainer)
                    .build();
            GeneratedResources result = ResourceGenerator.generate(hardware, options);
            List<String> written = result.write(path).stream().map(Path::toString).toList();
            PrintWriter out = spec.commandLine().getOut();
            boolean json = spec.root().userObject() instanceof io.strata.cli.StrataCommand root && root.json();
            if (json) {
                out.println(new String(Json.toBytes(written), java.nio.charset.StandardCharsets.UTF_8));
            } else {
                written.forEach(out::println);
            }
            out.flush();
            return 0;
        }
    }

    @Command(name = "record",
            description = "Copy this machine's hardware description (the relevant files of /proc and /sys) into a folder, "
                    + "for strata resources generate --root.")
    static final class Record implements Callable<Integer> {
        @Spec
        CommandSpec spec;

        @Option(names = "--to", paramLabel = "DIR", required = true, description = "An empty or new folder.")
        Path to;

        @Override
        public Integer call() {
            List<Path> files = HardwareRecorder.record(to);
            PrintWriter out = spec.commandLine().getOut();
            out.printf("recorded %d files into %s%n", files.size(), to);
            out.flush();
            return 0;
        }
    }
}
