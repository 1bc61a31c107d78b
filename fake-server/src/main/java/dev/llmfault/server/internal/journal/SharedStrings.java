package dev.llmfault.server.internal.journal;

import java.util.Locale;

/**
 * Lets journal entries share the strings that repeat from one request to the next (header names, common
 * header values, paths, client addresses, models, key masks and fingerprints) instead of each entry
 * holding its own copies. A full default journal then retains far less, and a young collection, which
 * copies every entry still in the journal, has far less to copy.
 *
 * <p>A small direct-mapped table: a string goes in the slot of its hash, replacing whatever was there,
 * so the table is bounded and keeps up with what is common now. Reads and writes race on purpose: a
 * lost write only costs a missed share, and strings are immutable, so a racing reader sees either
 * string whole. Never give it a raw credential: only masked values and names.
 *
 * <pre>{@code
 * String name = SharedStrings.lowerCaseName("Content-Type");   // "content-type", one instance
 * String value = SharedStrings.share(maskedHeaderValue);
 * }</pre>
 */
public final class SharedStrings {
    private static final int SLOTS = 1024; // a power of two
    private static final int MAX_LENGTH = 96; // longer strings are rarely repeated (bodies, ids)
    private static final String[] VALUES = new String[SLOTS];
    private static final Name[] NAMES = new Name[SLOTS];

    private record Name(String raw, String lowerCase) {
    }

    private SharedStrings() {
    }

    /** An equal string already held by an earlier entry, or this one (which is then remembered). */
    public static String share(String s) {
        if (s == null || s.length() > MAX_LENGTH) {
            return s;
        }
        int slot = s.hashCode() & (SLOTS - 1);
        String held = VALUES[slot];
        if (s.equals(held)) {
            return held;
        }
        VALUES[slot] = s;
        return s;
    }

    /** The header name in lower case, shared, without a new string per request for the names seen before. */
    public static String lowerCaseName(String raw) {
        int slot = raw.hashCode() & (SLOTS - 1);
        Name held = NAMES[slot];
        if (held != null && held.raw().equals(raw)) {
            return held.lowerCase();
        }
        String lower = share(raw.toLowerCase(Locale.ROOT));
        if (raw.length() <= MAX_LENGTH) {
            NAMES[slot] = new Name(raw, lower);
        }
        return lower;
    }
}
