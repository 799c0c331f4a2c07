package io.strata.resources;

import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * One {@code --net} value: {@code NAME[/IP[+IP...][/BITS[/GATEWAY]]]}, for example {@code ens1f0},
 * {@code ens1f0/10.0.0.11/24} or {@code ens1f0/10.0.0.11+10.0.0.12/24/10.0.0.1}. The addresses are
 * those the interface has; every container using the NIC lists them.
 */
public record NetSpec(String name, List<String> ips, Integer netmaskBits, String gateway) {
    private static final Pattern NIC_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.:@-]{0,14}");
    private static final Pattern IPV4 = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})\\.(\\d{1,3})");
    private static final Pattern IPV6 = Pattern.compile("[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*");

    public NetSpec {
        ips = ips == null ? List.of() : List.copyOf(ips);
    }

    public static NetSpec parse(String text) {
        String value = text == null ? "" : text.strip();
        String[] parts = value.split("/", -1);
        if (parts.length > 4 || !NIC_NAME.matcher(parts[0]).matches()) {
            throw StrataException.invalid("--net '%s' is not NAME[/IP[+IP...][/BITS[/GATEWAY]]]", text);
        }
        List<String> ips = new ArrayList<>();
        if (parts.length > 1) {
            for (String ip : parts[1].split("\\+", -1)) {
                ips.add(checkIp(ip, text));
            }
        }
        Integer bits = parts.length > 2 ? bits(parts[2], ips, text) : null;
        String gateway = parts.length > 3 ? checkIp(parts[3], text) : null;
        return new NetSpec(parts[0], ips, bits, gateway);
    }

    /** Parses a comma-separated list of specs (the CLI also accepts the option repeated). */
    public static List<NetSpec> parseList(List<String> values) {
        List<NetSpec> specs = new ArrayList<>();
        for (String value : values) {
            for (String item : value.split(",")) {
                if (!item.isBlank()) {
                    specs.add(parse(item));
                }
            }
        }
        return specs;
    }

    private static Integer bits(String text, List<String> ips, String whole) {
        int max = ips.stream().anyMatch(ip -> ip.contains(":")) ? 128 : 32;
        try {
            int bits = Integer.parseInt(text);
            if (bits < 0 || bits > max) {
                throw StrataException.invalid("--net '%s': netmask bits %d are outside 0-%d", whole, bits, max);
            }
            return bits;
        } catch (NumberFormatException e) {
            throw StrataException.invalid("--net '%s': netmask bits '%s' is not a number", whole, text);
        }
    }

    private static String checkIp(String ip, String whole) {
        var v4 = IPV4.matcher(ip);
        if (v4.matches()) {
            for (int i = 1; i <= 4; i++) {
                if (Integer.parseInt(v4.group(i)) > 255) {
                    throw StrataException.invalid("--net '%s': '%s' is not an IPv4 address", whole, ip);
                }
            }
            return ip;
        }
        if (IPV6.matcher(ip).matches() && ip.length() <= 45) {
            return ip;
        }
        throw StrataException.invalid("--net '%s': '%s' is not an IP address", whole, ip);
    }
}
