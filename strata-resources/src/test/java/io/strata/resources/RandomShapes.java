package io.strata.resources;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.random.RandomGenerator;

/** Seeded generators of server shapes and generator options for the property tests. */
final class RandomShapes {
    private static final String[][] NIC_IDS = {
        {"15b3", "101d"}, {"15b3", "1017"}, {"8086", "1572"}, {"14e4", "1750"}, {"8086", "159b"}, {"8086", "1592"}};

    private RandomShapes() {
    }

    static Shape shape(RandomGenerator random) {
        int sockets = pick(random, 1, 1, 1, 2, 2, 4);
        int coresPerSocket = random.nextInt(1, random.nextBoolean() ? 9 : 41);
        int threads = random.nextInt(4) == 0 ? 1 : 2;
        Shape shape = new Shape().hostname("gen" + random.nextInt(1000))
                .cpus(sockets, coresPerSocket, threads)
                .nodesPerSocket(random.nextInt(1, Math.min(4, coresPerSocket) + 1))
                .memoryKb(random.nextLong(2L << 20, 2L << 30));
        if (random.nextBoolean()) {
            shape.adjacentSiblings();
        }
        int nics = random.nextInt(0, 4);
        for (int i = 0; i < nics; i++) {
            String[] ids = random.nextInt(8) == 0 ? NIC_IDS[4 + random.nextInt(2)] : NIC_IDS[random.nextInt(4)];
            shape.nic("ens" + i, String.format(Locale.ROOT, "0000:%02x:00.0", 0x10 + i), ids[0], ids[1]);
        }
        int drives = random.nextInt(4) == 0 ? 0 : random.nextInt(1, 31);
        for (int i = 0; i < drives; i++) {
            shape.disk(drive(random, "nvme" + i + "n1"));
        }
        return shape;
    }

    /** A drive that is usually free, sometimes mounted, partitioned, held or swap. */
    private static Shape.DiskSpec drive(RandomGenerator random, String name) {
        long size = random.nextLong(1L << 30, 16L << 40) / 512 * 512;
        return switch (random.nextInt(12)) {
            case 0 -> new Shape.DiskSpec(name, size, "/data", false, List.of(), List.of());
            case 1 -> new Shape.DiskSpec(name, size, null, false, List.of("md0"), List.of());
            case 2 -> new Shape.DiskSpec(name, size, null, false, List.of(), List.of(
                    new Shape.PartSpec(name + "p1", size / 1024 * 512, random.nextBoolean() ? "/boot" : null, List.of())));
            case 3 -> new Shape.DiskSpec(name, size, null, true, List.of(), List.of());
            default -> new Shape.DiskSpec(name, size, null, false, List.of(), List.of());
        };
    }

    /** Options mostly left to their defaults, sometimes set; many fit the server, some do not. */
    static GeneratorOptions options(RandomGenerator random, Hardware hardware) {
        GeneratorOptions.Builder b = GeneratorOptions.builder();
        int cores = hardware.physicalCores().size();
        if (random.nextInt(5) == 0) {
            b.singleContainer(true);
        }
        if (random.nextInt(4) == 0) {
            b.spareCores(random.nextInt(0, 3));
        }
        if (random.nextInt(4) == 0) {
            b.maxCoresPerContainer(random.nextInt(1, 20));
        }
        if (random.nextInt(5) == 0) {
            b.frontendCores(random.nextInt(0, 3));
        }
        if (random.nextInt(5) == 0) {
            b.computeCores(random.nextInt(0, Math.max(1, cores)));
        }
        if (random.nextInt(6) == 0) {
            b.driveCores(random.nextInt(0, 8));
        }
        if (random.nextInt(8) == 0) {
            b.basePort(random.nextInt(1024, 64000));
        }
        if (random.nextInt(8) == 0 && hardware.memoryBytes() > 0) {
            b.computeMemoryBytes(random.nextLong(1, hardware.memoryBytes()));
        }
        if (random.nextInt(6) == 0) {
            b.drives(freeDrivesSample(random, hardware));
        }
        if (random.nextInt(8) == 0) {
            b.net(hardware.nics().stream().filter(NetDevice::isPhysical).filter(n -> !n.isIntelE810()).map(NetDevice::name).toList());
        }
        if (random.nextInt(8) == 0) {
            explicitCores(random, hardware, b);
        }
        return b.build();
    }

    private static List<String> freeDrivesSample(RandomGenerator random, Hardware hardware) {
        List<String> free = new ArrayList<>();
        for (BlockDevice device : hardware.blockDevices()) {
            if (device.isFreeNvme() && random.nextBoolean()) {
                free.add(random.nextBoolean() ? device.name() : device.path());
            }
        }
        return free;
    }

    /** Names CPUs for a role or a pool, usually one per physical core, sometimes a sibling too. */
    private static void explicitCores(RandomGenerator random, Hardware hardware, GeneratorOptions.Builder b) {
        List<Integer> cpus = new ArrayList<>();
        for (PhysicalCore core : hardware.physicalCores()) {
            if (random.nextInt(3) > 0) {
                cpus.add(core.siblings().get(random.nextInt(core.siblings().size())));
            }
        }
        if (random.nextInt(10) == 0 && !hardware.cpus().isEmpty()) {
            cpus.add(hardware.cpus().get(random.nextInt(hardware.cpus().size())).id());
        }
        String list = String.join(",", cpus.stream().distinct().map(String::valueOf).toList());
        if (list.isEmpty()) {
            return;
        }
        switch (random.nextInt(3)) {
            case 0 -> b.coreIds(list);
            case 1 -> b.computeCoreIds(list);
            default -> b.frontendCoreIds(String.valueOf(cpus.getFirst()));
        }
    }

    @SafeVarargs
    private static <T> T pick(RandomGenerator random, T... values) {
        return values[random.nextInt(values.length)];
    }
}
