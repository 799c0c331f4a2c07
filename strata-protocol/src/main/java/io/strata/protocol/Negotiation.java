package io.strata.protocol;

/** Picks the protocol two peers speak: the highest both know. */
public final class Negotiation {
    private Negotiation() {
    }

    public static int choose(int ourMin, int ourMax, int theirMin, int theirMax) {
        int chosen = Math.min(ourMax, theirMax);
        if (chosen < ourMin || chosen < theirMin) {
            throw new ProtocolException("no common protocol: peer speaks " + range(theirMin, theirMax)
                    + ", this release speaks " + range(ourMin, ourMax));
        }
        return chosen;
    }

    private static String range(int min, int max) {
        return min == max ? Integer.toString(min) : min + "-" + max;
    }
}
