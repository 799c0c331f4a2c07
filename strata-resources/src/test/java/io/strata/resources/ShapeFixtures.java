package io.strata.resources;

import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The server shapes kept under {@code src/test/resources/shapes/<name>/}, each a root folder as
 * {@code strata resources record} writes it. {@code vm-2core} is a real recording of a 2-CPU VM
 * (this project's build machine); the others are written from the specs below, because nobody
 * here has those servers: {@code -Dstrata.shapes.rewrite=true} rewrites them
 * ({@link RecordedShapesTest}), and that test otherwise checks the folders still read as the specs say.
 */
final class ShapeFixtures {
    static final long GB = 1000L * 1000 * 1000;
    static final String VM_2CORE = "vm-2core";
    static final String SERVER_16C = "server-16c-ht-4nvme";
    static final String DUAL_2X32 = "dual-2x32c-ht-12nvme-2nic";
    static final String AMD_96T = "amd-48c-96t-nps4";
    static final String DENSE_8C = "dense-8c-12nvme";
    static final String E810 = "e810-8c-ht";

    /** The written (not recorded) shapes by name. */
    static final Map<String, Supplier<Shape>> WRITTEN = Map.of(
            SERVER_16C, ShapeFixtures::server16,
            DUAL_2X32, ShapeFixtures::dual2x32,
            AMD_96T, ShapeFixtures::amd96,
            DENSE_8C, ShapeFixtures::dense8,
            E810, ShapeFixtures::e810);

    private ShapeFixtures() {
    }

    /** One socket, 16 cores with hyperthreads (CPU n and n+16 share a core), 4 free NVMe, boot on SATA. */
    static Shape server16() {
        return new Shape().hostname("stor16").model("Intel(R) Xeon(R) Silver 4314 CPU @ 2.40GHz")
                .cpus(1, 16, 2).memoryKb(131_596_472L)
                .nic("ens2f0np0", "0000:3b:00.0", "15b3", "101d")
                .disk(sataBoot())
                .nvme(4, 3_840_755_982_336L);
    }

    /** Two sockets of 32 cores with hyperthreads, a NUMA node each, a NIC on each socket, 12 free NVMe and a boot NVMe. */
    static Shape dual2x32() {
        Shape.DiskSpec boot = new Shape.DiskSpec("nvme0n1", 960 * GB, null, false, List.of(), List.of(
                new Shape.PartSpec("nvme0n1p1", 512L << 20, "/boot/efi", List.of()),
                new Shape.PartSpec("nvme0n1p2", 1L << 30, "/boot", List.of()),
                new Shape.PartSpec("nvme0n1p3", 900 * GB, null, List.of("dm-0", "dm-1"))));
        return new Shape().hostname("stor64").model("Intel(R) Xeon(R) Gold 6338 CPU @ 2.00GHz")
                .cpus(2, 32, 2).memoryKb(528_012_344L)
                .nic("ens1np0", "0000:31:00.0", "15b3", "101b")
                .nic("ens6np0", "0000:b1:00.0", "15b3", "101b")
                .disk(boot)
                .nvme(12, 7_681_501_126_656L);
    }

    /** AMD EPYC, 48 cores and 96 CPUs in 4 NUMA nodes (NPS4), 6 NVMe: compute needs 3 containers. */
    static Shape amd96() {
        return new Shape().hostname("comp96").model("AMD EPYC 7643 48-Core Processor")
                .cpus(1, 48, 2).nodesPerSocket(4).memoryKb(395_971_640L)
                .nic("ens21f0np0", "0000:41:00.0", "14e4", "1750")
                .disk(sataBoot())
                .nvme(6, 3_840_755_982_336L);
    }

    /** 8 cores, no hyperthreads, 12 NVMe: drive processes must share cores. */
    static Shape dense8() {
        return new Shape().hostname("dense8").model("Intel(R) Xeon(R) E-2378 CPU @ 2.60GHz")
                .cpus(1, 8, 1).memoryKb(65_652_028L)
                .nic("eno1", "0000:01:00.0", "8086", "1572")
                .disk(sataBoot())
                .nvme(12, 1_920_383_410_176L);
    }

    /** 8 cores with hyperthreads and an Intel E810 NIC (8086:159b). */
    static Shape e810() {
        return new Shape().hostname("e810box").model("Intel(R) Xeon(R) Silver 4309Y CPU @ 2.80GHz")
                .cpus(1, 8, 2).memoryKb(98_661_704L)
                .nic("ens785f0", "0000:4b:00.0", "8086", "159b")
                .disk(sataBoot())
                .nvme(2, 3_840_755_982_336L);
    }

    private static Shape.DiskSpec sataBoot() {
        return new Shape.DiskSpec("sda", 480 * GB, null, false, List.of(), List.of(
                new Shape.PartSpec("sda1", 512L << 20, "/boot/efi", List.of()),
                new Shape.PartSpec("sda2", 470 * GB, "/", List.of())));
    }
}
