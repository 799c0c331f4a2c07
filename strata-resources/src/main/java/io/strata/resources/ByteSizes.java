package io.strata.resources;

import io.strata.runtime.StrataException;
import java.math.BigDecimal;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Sizes as people write them: {@code 64GiB}, {@code 64G} and {@code 64g} are 64 x 2^30 bytes;
 * {@code 64GB} is 64 x 10^9 (the decimal units are only the two-letter ones); a bare number is bytes.
 */
public final class ByteSizes {
    public static final long KIB = 1024L;
    public static final long MIB = 1024L * KIB;
    public static final long GIB = 1024L * MIB;
    public static final long TIB = 1024L * GIB;
    public static final long PIB = 1024L * TIB;

    private static final Pattern SIZE = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*([a-z]*)");
    private static final Map<String, Long> UNITS = Map.ofEntries(
            Map.entry("", 1L), Map.entry("b", 1L),
            Map.entry("k", KIB), Map.entry("kib", KIB), Map.entry("kb", 1000L),
            Map.entry("m", MIB), Map.entry("mib", MIB), Map.entry("mb", 1000_000L),
            Map.entry("g", GIB), Map.entry("gib", GIB), Map.entry("gb", 1000_000_000L),
            Map.entry("t", TIB), Map.entry("tib", TIB), Map.entry("tb", 1000_000_000_000L),
            Map.entry("p", PIB), Map.entry("pib", PIB), Map.entry("pb", 1000_000_000_000_000L));

    private ByteSizes() {
    }

    public static long parse(String text) {
        Matcher matcher = SIZE.matcher(text == null ? "" : text.strip().toLowerCase(Locale.ROOT));
        if (!matcher.matches() || !UNITS.containsKey(matcher.group(2))) {
            throw StrataException.invalid("'%s' is not a size (write it as 64GiB, 512MiB, 1.5TiB or a number of bytes)", text);
        }
        BigDecimal bytes = new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(UNITS.get(matcher.group(2))));
        try {
            return bytes.setScale(0, java.math.RoundingMode.DOWN).longValueExact();
        } catch (ArithmeticException e) {
            throw StrataException.invalid("size '%s' is too large", text);
        }
    }

    /** {@code 108.2 GiB}: one decimal, binary units, for messages. */
    public static String describe(long bytes) {
        if (bytes < KIB) {
            return bytes + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB"};
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < units.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, units[unit]);
    }
}
