package dev.llmfault.server.internal.dialect;

/** Formats milliseconds the way Go prints a duration, as OpenAI's reset headers do: 20ms, 1.5s, 6m0s, 1h0m0s. */
final class GoDuration {
    private GoDuration() {
    }

    static String format(long ms) {
        if (ms <= 0) {
            return "0s";
        }
        if (ms < 1000) {
            return ms + "ms";
        }
        long hours = ms / 3_600_000;
        long minutes = (ms / 60_000) % 60;
        long millis = ms % 60_000;
        String seconds = millis % 1000 == 0 ? String.valueOf(millis / 1000)
                : stripZeros(String.format(java.util.Locale.ROOT, "%.3f", millis / 1000.0));
        if (hours > 0) {
            return hours + "h" + minutes + "m" + seconds + "s";
        }
        if (minutes > 0) {
            return minutes + "m" + seconds + "s";
        }
        return seconds + "s";
    }

    private static String stripZeros(String s) {
        int end = s.length();
        while (s.charAt(end - 1) == '0') {
            end--;
        }
        return s.substring(0, end);
    }
}
