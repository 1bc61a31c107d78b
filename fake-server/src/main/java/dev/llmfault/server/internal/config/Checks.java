package dev.llmfault.server.internal.config;

import dev.llmfault.server.internal.journal.Secrets;

/**
 * The checks that scenarios and reply rules share, each failing with the one message shape of user input:
 * {@code field: invalid value 'x', expected what is allowed}. Builders call them from {@code build()}, so
 * the builder, the admin API, the config file and the annotations all meet the same check.
 *
 * <pre>{@code
 * if (after < 0) throw Checks.invalid("after", after, "an integer >= 0");
 * Checks.header("match.headers", name, value);
 * }</pre>
 */
public final class Checks {
    private static final String ID = "[A-Za-z0-9._-]{1,64}";

    private Checks() {
    }

    public static IllegalArgumentException invalid(String field, Object value, String allowed) {
        return new IllegalArgumentException(field + ": invalid value " + quote(value) + ", expected " + allowed);
    }

    /** A header name and a value that cannot split the response or the request. */
    public static void header(String field, String name, String value) {
        if (name == null || !name.matches("[!#$%&'*+.^_`|~0-9A-Za-z-]+")) {
            throw invalid(field, name, "a header name (letters, digits and !#$%&'*+.^_`|~-)");
        }
        if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
            throw invalid(field + "." + name, value, "a header value without line breaks");
        }
    }

    /** An id a user chose; null lets the server choose. */
    public static void id(String id) {
        if (id != null && !id.matches(ID)) {
            throw invalid("id", id, "1 to 64 of A-Z a-z 0-9 . _ -");
        }
    }

    public static void path(String field, String path) {
        if (path != null && !path.startsWith("/")) {
            throw invalid(field, path, "a path starting with '/'");
        }
    }

    /** A SHA-256 fingerprint; shown masked, as the likeliest mistake is to pass the key itself. */
    public static void fingerprint(String field, String fingerprint) {
        if (fingerprint != null && !fingerprint.matches("[0-9a-f]{64}")) {
            throw invalid(field, Secrets.mask(fingerprint), "64 lower-case hex digits (SHA-256)");
        }
    }

    private static String quote(Object value) {
        return value instanceof String ? "'" + value + "'" : String.valueOf(value);
    }
}
