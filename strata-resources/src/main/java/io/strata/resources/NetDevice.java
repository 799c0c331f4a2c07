package io.strata.resources;

import java.util.Locale;
import java.util.Set;

/**
 * A network interface of the server. {@code pciAddress}, {@code pciVendor} and {@code pciDevice}
 * are null for virtual interfaces (loopback, bridges, tunnels); ids are four lower-case hex digits.
 */
public record NetDevice(String name, String macAddress, String operState, String pciAddress, String pciVendor, String pciDevice) {
    private static final String INTEL = "8086";
    /** Intel E810 (ice driver) device ids on which the multiple-containers layout is not supported. */
    private static final Set<String> E810_DEVICES = Set.of("1591", "1592", "1593", "159b");

    public NetDevice {
        pciVendor = pciVendor == null ? null : pciVendor.toLowerCase(Locale.ROOT);
        pciDevice = pciDevice == null ? null : pciDevice.toLowerCase(Locale.ROOT);
    }

    /** True for a NIC on a PCI device (physical or a virtual function), false for a software interface. */
    public boolean isPhysical() {
        return pciAddress != null;
    }

    public boolean isIntelE810() {
        return INTEL.equals(pciVendor) && pciDevice != null && E810_DEVICES.contains(pciDevice);
    }

    /** {@code 8086:159b}, or {@code none} for a virtual interface. */
    public String pciId() {
        return pciVendor == null ? "none" : pciVendor + ":" + pciDevice;
    }
}
