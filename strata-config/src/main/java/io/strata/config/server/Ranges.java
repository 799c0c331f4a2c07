package io.strata.config.server;

import io.strata.runtime.StrataException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.TreeSet;

/** Lists of integers as people write them: {@code 0-3,8,10-11}. */
public final class Ranges {
    private Ranges() {
    }

    public static String describe(Collection<Integer> values) {
        if (values.isEmpty()) {
            return "none";
        }
        StringBuilder out = new StringBuilder();
        List<Integer> sorted = new ArrayList<>(new TreeSet<>(values));
        int start = sorted.getFirst();
        int previous = start;
        for (int i = 1; i <= sorted.size(); i++) {
            Integer current = i < sorted.size() ? sorted.get(i) : null;
            if (current != null && current == previous + 1) {
                previous = current;
                continue;
            }
            if (!out.isEmpty()) {
                out.append(',');
            }
            out.append(start == previous ? Integer.toString(start) : start + "-" + previous);
            if (current != null) {
                start = current;
                previous = current;
            }
        }
        return out.toString();
    }

    /** Parses {@code 0-3,8,10-11}; the error names the part that is wrong. */
    public static List<Integer> parse(String text) {
        List<Integer> values = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return values;
        }
        for (String part : text.split(",")) {
            String item = part.strip();
            try {
                int dash = item.indexOf('-', 1);
                if (dash > 0) {
                    int from = Integer.parseInt(item.substring(0, dash).strip());
                    int to = Integer.parseInt(item.substring(dash + 1).strip());
                    if (from < 0 || to < from || to - from > 65536) {
                        throw StrataException.invalid("'%s' is not a valid range in '%s'", item, text);
                    }
                    for (int v = from; v <= to; v++) {
                        values.add(v);
                    }
                } else {
                    int value = Integer.parseInt(item);
                    if (value < 0) {
                        throw StrataException.invalid("'%s' is negative in '%s'", item, text);
                    }
                    values.add(value);
                }
            } catch (NumberFormatException e) {
                throw StrataException.invalid("'%s' is not a number or range in '%s'", item, text);
            }
        }
        return values;
    }
}
