package io.strata.config.cluster;

import java.util.Comparator;

/** Orders release names such as {@code 0.1.0} < {@code 0.2.0} < {@code 0.10.0}, numerically by part. */
public final class ReleaseOrder {
    public static final Comparator<String> COMPARATOR = ReleaseOrder::compare;

    private ReleaseOrder() {
    }

    public static int compare(String a, String b) {
        String[] left = a.split("[.-]");
        String[] right = b.split("[.-]");
        for (int i = 0; i < Math.max(left.length, right.length); i++) {
            String l = i < left.length ? left[i] : "0";
            String r = i < right.length ? right[i] : "0";
            int order;
            if (l.chars().allMatch(Character::isDigit) && r.chars().allMatch(Character::isDigit)) {
                order = Long.compare(Long.parseLong(l), Long.parseLong(r));
            } else {
                order = l.compareTo(r);
            }
            if (order != 0) {
                return order;
            }
        }
        return 0;
    }
}
