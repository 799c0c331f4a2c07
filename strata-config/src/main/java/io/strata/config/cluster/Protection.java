package io.strata.config.cluster;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import io.strata.runtime.StrataException;

/**
 * How file data is protected, fixed when the cluster is created: stripes of {@code dataDrives}
 * data chunks and {@code parityDrives} parity chunks, each chunk in another failure domain, and
 * {@code hotSpare} failure domains' worth of capacity held back for rebuilds.
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record Protection(int dataDrives, int parityDrives, int hotSpare) {
    public static final int MIN_DATA = 3;
    public static final int MAX_DATA = 16;

    public int stripeWidth() {
        return dataDrives + parityDrives;
    }

    /** Checks the protection against the number of failure domains the cluster has. */
    public void check(int failureDomains) {
        if (parityDrives != 2 && parityDrives != 4) {
            throw StrataException.invalid("parity drives must be 2 or 4, not %d", parityDrives);
        }
        if (dataDrives < MIN_DATA || dataDrives > MAX_DATA) {
            throw StrataException.invalid("data drives must be %d to %d, not %d", MIN_DATA, MAX_DATA, dataDrives);
        }
        if (hotSpare < 0) {
            throw StrataException.invalid("hot spare must not be negative (%d)", hotSpare);
        }
        if (stripeWidth() + hotSpare > failureDomains) {
            throw StrataException.invalid("stripe %d+%d with %d hot spare needs %d failure domains; the cluster has %d",
                    dataDrives, parityDrives, hotSpare, stripeWidth() + hotSpare, failureDomains);
        }
    }

    @Override
    public String toString() {
        return dataDrives + "+" + parityDrives;
    }
}
