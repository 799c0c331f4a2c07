package io.strata.cli.output;

/** Uptimes as operators read them: {@code 0:09:41h}, {@code 3d 4:05:00h}. */
public final class Durations {
    private Durations() {
    }

    public static String since(long startMillis, long nowMillis) {
        if (startMillis <= 0) {
            return "-";
        }
        long seconds = Math.max(0, (nowMillis - startMillis) / 1000);
        long days = seconds / 86_400;
        long hours = seconds % 86_400 / 3600;
        long minutes = seconds % 3600 / 60;
        long rest = seconds % 60;
        String clock = String.format("%d:%02d:%02dh", hours, minutes, rest);
        return days > 0 ? days + "d " + clock : clock;
    }

    public static String ago(long atMillis, long nowMillis) {
        if (atMillis <= 0) {
            return "";
        }
        long seconds = Math.max(0, (nowMillis - atMillis) / 1000);
        if (seconds < 120) {
            return seconds + " s ago";
        }
        if (seconds < 7200) {
            return seconds / 60 + " min ago";
        }
        if (seconds < 172_800) {
            return seconds / 3600 + " h ago";
        }
        return seconds / 86_400 + " d ago";
    }
}
