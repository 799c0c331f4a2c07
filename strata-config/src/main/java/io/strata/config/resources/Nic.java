package io.strata.config.resources;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * A network interface a container uses. {@code ips}, {@code netmaskBits} and {@code gateway} are
 * optional; an empty list means "the addresses the interface already has".
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Nic(String name, String pciAddress, List<String> ips, Integer netmaskBits, String gateway, String label) {
    public Nic {
        ips = ips == null ? List.of() : List.copyOf(ips);
    }
}
