package dev.llmfault.server.internal.catalogue;

import java.util.HashMap;
import java.util.Map;

/**
 * Values for the {@code {placeholders}} of a catalogue message or a user's body template. Unknown
 * placeholders stay as written, so a typo shows in the answer instead of failing the request.
 *
 * <p>Known names: key, keyMask, model, field, method, path, version, detail, scope, ip, region, limit, used,
 * requested, retryIn, retrySeconds, requestId, status, fault, size, maxSize, contentType.
 */
public final class Vars {
    private final Map<String, String> values = new HashMap<>();

    public static Vars of(String... pairs) {
        Vars v = new Vars();
        for (int i = 0; i + 1 < pairs.length; i += 2) {
            v.put(pairs[i], pairs[i + 1]);
        }
        return v;
    }

    public Vars put(String name, Object value) {
        if (value != null) {
            values.put(name, String.valueOf(value));
        }
        return this;
    }

    public Vars putIfAbsent(String name, Object value) {
        if (value != null) {
            values.putIfAbsent(name, String.valueOf(value));
        }
        return this;
    }

    /** Copies every value of {@code other} over these. */
    public Vars putAllFrom(Vars other) {
        values.putAll(other.values);
        return this;
    }

    public String get(String name) {
        return values.get(name);
    }

    /** Replaces {@code {name}} by its value; with {@code jsonEscape} the value is escaped for a JSON string. */
    public String fill(String template, boolean jsonEscape) {
        if (template == null || template.indexOf('{') < 0) {
            return template;
        }
        StringBuilder out = new StringBuilder(template.length() + 32);
        int i = 0;
        while (i < template.length()) {
            char c = template.charAt(i);
            if (c == '{') {
                int end = template.indexOf('}', i + 1);
                if (end > i + 1) {
                    String name = template.substring(i + 1, end);
                    String value = isName(name) ? values.get(name) : null;
                    if (value != null) {
                        out.append(jsonEscape ? escape(value) : value);
                        i = end + 1;
                        continue;
                    }
                }
            }
            out.append(c);
            i++;
        }
        return out.toString();
    }

    /** Letters only. A loop, not String.matches: that compiles a regex per placeholder of every error answer. */
    private static boolean isName(String name) {
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z')) {
                return false;
            }
        }
        return true;
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.toString();
    }
}
