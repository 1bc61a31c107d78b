package dev.llmfault.server.internal.journal;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * {@link Instant#toString()} for journal entries, written digit by digit instead of through a
 * {@code DateTimeFormatter} (a keyed query renders a hundred entries, each from another second, and the
 * formatter was a tenth of it). The text is exactly {@code Instant.toString()}'s: four-digit years, seconds
 * always, the fraction in groups of three digits, as many as needed.
 *
 * <pre>{@code
 * Timestamps.iso(Instant.parse("2026-12-02T16:17:32.678927515Z"));   // "2026-12-02T16:17:32.678927515Z"
 * }</pre>
 */
final class Timestamps {
    /** 0000-01-01T00:00:00Z and 9999-12-31T23:59:59Z: the four-digit years written here; others go to toString. */
    private static final long MIN = -62_167_219_200L;
    private static final long MAX = 253_402_300_799L;

    /**
     * The text of the last second written: a keyed query's entries come in arrival order, many from the same second.
     * An immutable pair, so a racing reader sees a whole one.
     */
    private static Second last;

    private record Second(long epochSecond, byte[] text) {
    }

    private Timestamps() {
    }

    /** The longest text of an instant ("+1000000000-12-31T23:59:59.999999999Z" is 37). */
    static final int MAX_LENGTH = 40;

    static String iso(Instant t) {
        byte[] out = new byte[MAX_LENGTH];
        return new String(out, 0, write(t, out, 0), java.nio.charset.StandardCharsets.ISO_8859_1);
    }

    /** Writes {@link #iso(Instant)}'s text at {@code at} (room for {@link #MAX_LENGTH} bytes) and returns where it ends. */
    static int write(Instant t, byte[] out, int at) {
        long second = t.getEpochSecond();
        if (second < MIN || second > MAX) {
            String text = t.toString();
            for (int i = 0; i < text.length(); i++) {
                out[at + i] = (byte) text.charAt(i);
            }
            return at + text.length();
        }
        Second prefix = last;
        if (prefix == null || prefix.epochSecond() != second) {
            prefix = new Second(second, prefix(second));
            last = prefix; // racy on purpose: a lost write only costs formatting a second again
        }
        System.arraycopy(prefix.text(), 0, out, at, 19);
        int nano = t.getNano();
        int digits = nano == 0 ? 0 : nano % 1_000_000 == 0 ? 3 : nano % 1000 == 0 ? 6 : 9;
        at += 19;
        if (digits > 0) {
            out[at++] = '.';
            put(out, at, digits == 3 ? nano / 1_000_000 : digits == 6 ? nano / 1000 : nano, digits);
            at += digits;
        }
        out[at++] = 'Z';
        return at;
    }

    /** "2026-12-02T16:17:32": the 19 bytes of a second with a four-digit year. */
    private static byte[] prefix(long second) {
        LocalDateTime d = LocalDateTime.ofEpochSecond(second, 0, ZoneOffset.UTC);
        byte[] out = new byte[19];
        put(out, 0, d.getYear(), 4);
        out[4] = '-';
        put(out, 5, d.getMonthValue(), 2);
        out[7] = '-';
        put(out, 8, d.getDayOfMonth(), 2);
        out[10] = 'T';
        put(out, 11, d.getHour(), 2);
        out[13] = ':';
        put(out, 14, d.getMinute(), 2);
        out[16] = ':';
        put(out, 17, d.getSecond(), 2);
        return out;
    }

    /** {@code value} as exactly {@code width} decimal digits, zero-padded. */
    private static void put(byte[] out, int at, int value, int width) {
        for (int i = at + width - 1; i >= at; i--) {
            out[i] = (byte) ('0' + value % 10);
            value /= 10;
        }
    }
}
