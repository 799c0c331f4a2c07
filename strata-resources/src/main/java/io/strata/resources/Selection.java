package io.strata.resources;

import io.strata.config.resources.Nic;
import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The NICs and drives the containers get: named ones checked against the server, or the defaults. */
final class Selection {
    private static final Pattern NUMBER = Pattern.compile("\\d+");

    private Selection() {
    }

    /**
     * The {@code --net} NICs, or every NIC on a PCI device. The multiple-containers layout refuses
     * Intel E810 NICs: it is not supported with them, the single-container layout is.
     */
    static List<Nic> nics(Hardware hardware, GeneratorOptions options) {
        List<Nic> nics = new ArrayList<>();
        if (options.net() == null) {
            hardware.nics().stream().filter(NetDevice::isPhysical)
                    .forEach(n -> nics.add(new Nic(n.name(), n.pciAddress(), List.of(), null, null, null)));
        } else {
            Set<String> seen = new HashSet<>();
            for (NetSpec spec : options.net()) {
                NetDevice device = hardware.nic(spec.name()).orElseThrow(() -> StrataException.invalid(
                        "unknown NIC %s: %s has %s", spec.name(), hardware.hostname(), describeNics(hardware)));
                if (!seen.add(spec.name())) {
                    throw StrataException.invalid("--net names NIC %s twice", spec.name());
                }
                nics.add(new Nic(device.name(), device.pciAddress(), spec.ips(), spec.netmaskBits(), spec.gateway(), null));
            }
        }
        if (!options.singleContainer()) {
            for (Nic nic : nics) {
                NetDevice device = hardware.nic(nic.name()).orElseThrow();
                if (device.isIntelE810()) {
                    throw StrataException.invalid("NIC %s (%s, PCI id %s) is an Intel E810: the multiple-containers layout is not supported with E810 NICs; use --single-container",
                            device.name(), device.pciAddress(), device.pciId());
                }
            }
        }
        return nics;
    }

    /** The {@code --drives} named (each must exist and be unused), or every free NVMe namespace. */
    static List<BlockDevice> drives(Hardware hardware, GeneratorOptions options) {
        List<BlockDevice> drives = new ArrayList<>();
        if (options.drives() == null) {
            hardware.blockDevices().stream().filter(BlockDevice::isFreeNvme).forEach(drives::add);
        } else {
            Set<String> seen = new HashSet<>();
            for (String name : options.drives()) {
                BlockDevice device = hardware.blockDevice(name).orElseThrow(() -> StrataException.invalid(
                        "unknown drive %s: free NVMe drives of %s are %s", name, hardware.hostname(), describeFreeDrives(hardware)));
                if (!seen.add(device.name())) {
                    throw StrataException.invalid("--drives names drive %s twice", device.name());
                }
                String use = device.inUseReason();
                if (use != null) {
                    throw StrataException.invalid("drive %s is in use: %s", device.path(), use);
                }
                drives.add(device);
            }
        }
        drives.sort(Comparator.comparing(BlockDevice::name, Selection::naturalOrder));
        return drives;
    }

    private static String describeNics(Hardware hardware) {
        return hardware.nics().isEmpty() ? "no NIC" : "NICs " + String.join(", ", hardware.nics().stream().map(NetDevice::name).toList());
    }

    private static String describeFreeDrives(Hardware hardware) {
        List<String> free = hardware.blockDevices().stream().filter(BlockDevice::isFreeNvme).map(BlockDevice::name).toList();
        return free.isEmpty() ? "none" : String.join(", ", free);
    }

    /** nvme2n1 before nvme10n1: digit runs compare as numbers. */
    static int naturalOrder(String a, String b) {
        Matcher ma = NUMBER.matcher(a);
        Matcher mb = NUMBER.matcher(b);
        int ia = 0;
        int ib = 0;
        while (ma.find(ia) && mb.find(ib)) {
            int prefix = a.substring(ia, ma.start()).compareTo(b.substring(ib, mb.start()));
            if (prefix != 0) {
                return prefix;
            }
            int number = new java.math.BigInteger(ma.group()).compareTo(new java.math.BigInteger(mb.group()));
            if (number != 0) {
                return number;
            }
            ia = ma.end();
            ib = mb.end();
        }
        int rest = a.substring(ia).compareTo(b.substring(ib));
        return rest != 0 ? rest : a.compareTo(b);
    }
}
