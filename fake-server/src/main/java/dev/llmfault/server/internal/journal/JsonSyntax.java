package dev.llmfault.server.internal.journal;

/**
 * A quick proof that a journal body is exactly one JSON value (RFC 8259), so that an admin answer can copy it as it
 * is. Jackson's streaming check cost ~0.75 us for a 180-byte chat body, most of a keyed answer's per-entry work; this
 * pass costs a fraction of that. It only ever proves: anything it is not sure of (a syntax error, nesting deeper than
 * {@value #MAX_DEPTH}, a number longer than {@value #MAX_NUMBER}, a text longer than {@value #MAX_LENGTH} chars,
 * which could meet Jackson's read limits) answers false, and the caller asks Jackson, which decides as before.
 *
 * <pre>{@code
 * JsonSyntax.surelyValid("{\"model\":\"gpt-4o\",\"n\":1}");   // true
 * JsonSyntax.surelyValid("{\"model\":");                     // false: ask Jackson (which says no)
 * }</pre>
 */
final class JsonSyntax {
    static final int MAX_LENGTH = 16_384;
    static final int MAX_DEPTH = 64;
    static final int MAX_NUMBER = 64;
    private static final String[] LITERALS = {"true", "false", "null"};

    private JsonSyntax() {
    }

    /** True only when the whole text (white space around it allowed) is one valid JSON value. */
    static boolean surelyValid(String s) {
        int n = s.length();
        if (n > MAX_LENGTH) {
            return false;
        }
        long objects = 0; // bit d: the container at depth d+1 is an object (else an array)
        int depth = 0;
        int i = space(s, 0, n);
        while (true) {
            // a value starts at i
            if (i >= n) {
                return false;
            }
            char c = s.charAt(i);
            if (c == '{' || c == '[') {
                if (depth == MAX_DEPTH) {
                    return false;
                }
                boolean object = c == '{';
                i = space(s, i + 1, n);
                if (i < n && s.charAt(i) == (object ? '}' : ']')) {
                    i++; // empty: a whole value
                } else {
                    objects = object ? objects | (1L << depth) : objects & ~(1L << depth);
                    depth++;
                    if (object && (i = member(s, i, n)) < 0) {
                        return false;
                    }
                    continue; // the first value of the container
                }
            } else if (c == '"') {
                i = string(s, i, n);
            } else if (c == '-' || (c >= '0' && c <= '9')) {
                i = number(s, i, n);
            } else {
                i = literal(s, i);
            }
            // after a value
            while (true) {
                if (i < 0) {
                    return false;
                }
                i = space(s, i, n);
                if (depth == 0) {
                    return i == n;
                }
                if (i >= n) {
                    return false;
                }
                char next = s.charAt(i);
                boolean inObject = (objects & (1L << (depth - 1))) != 0;
                if (next == ',') {
                    i = space(s, i + 1, n);
                    if (inObject && (i = member(s, i, n)) < 0) {
                        return false;
                    }
                    break; // the next value
                }
                if (next != (inObject ? '}' : ']')) {
                    return false;
                }
                depth--;
                i++;
            }
        }
    }

    /** A member's name and colon at i; returns where its value starts, or -1. */
    private static int member(String s, int i, int n) {
        if (i >= n || s.charAt(i) != '"') {
            return -1;
        }
        i = string(s, i, n);
        if (i < 0) {
            return -1;
        }
        i = space(s, i, n);
        if (i >= n || s.charAt(i) != ':') {
            return -1;
        }
        return space(s, i + 1, n);
    }

    /** The string starting with the quote at i; returns the index after its closing quote, or -1. */
    private static int string(String s, int i, int n) {
        for (int j = i + 1; j < n; j++) {
            char c = s.charAt(j);
            if (c == '"') {
                return j + 1;
            }
            if (c < 0x20) {
                return -1;
            }
            if (c == '\\') {
                if (++j >= n) {
                    return -1;
                }
                switch (s.charAt(j)) {
                    case '"', '\\', '/', 'b', 'f', 'n', 'r', 't' -> {
                    }
                    case 'u' -> {
                        if (j + 4 >= n) {
                            return -1;
                        }
                        for (int k = 1; k <= 4; k++) {
                            if (Character.digit(s.charAt(j + k), 16) < 0) {
                                return -1;
                            }
                        }
                        j += 4;
                    }
                    default -> {
                        return -1;
                    }
                }
            }
        }
        return -1;
    }

    /** -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? at i; returns the index after it, or -1. */
    private static int number(String s, int i, int n) {
        int start = i;
        if (s.charAt(i) == '-') {
            i++;
        }
        if (i < n && s.charAt(i) == '0') {
            i++;
        } else {
            int d = digits(s, i, n);
            if (d == i) {
                return -1;
            }
            i = d;
        }
        if (i < n && s.charAt(i) == '.') {
            int d = digits(s, i + 1, n);
            if (d == i + 1) {
                return -1;
            }
            i = d;
        }
        if (i < n && (s.charAt(i) == 'e' || s.charAt(i) == 'E')) {
            i++;
            if (i < n && (s.charAt(i) == '+' || s.charAt(i) == '-')) {
                i++;
            }
            int d = digits(s, i, n);
            if (d == i) {
                return -1;
            }
            i = d;
        }
        return i - start > MAX_NUMBER ? -1 : i;
    }

    private static int digits(String s, int i, int n) {
        while (i < n && s.charAt(i) >= '0' && s.charAt(i) <= '9') {
            i++;
        }
        return i;
    }

    private static int literal(String s, int i) {
        for (String word : LITERALS) {
            if (s.startsWith(word, i)) {
                return i + word.length();
            }
        }
        return -1;
    }

    private static int space(String s, int i, int n) {
        while (i < n) {
            char c = s.charAt(i);
            if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
                return i;
            }
            i++;
        }
        return i;
    }
}
