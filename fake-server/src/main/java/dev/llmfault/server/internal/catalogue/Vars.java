package dev.llmfault.server.internal.catalogue;

import java.util.EnumMap;
import java.util.Map;

/**
 * Values for the {@link Placeholder}s of a catalogue message or a user's body template. A placeholder
 * without a value, and any {@code {text}} that is no placeholder, stay as written.
 *
 * <pre>{@code
 * Vars v = Vars.of(Placeholder.FIELD, "messages");
 * v.fill("Missing required parameter: '{field}'.", false); // Missing required parameter: 'messages'.
 * }</pre>
 */
public final class Vars {
    private final Map<Placeholder, String> values = new EnumMap<>(Placeholder.class);

    public static Vars of(Placeholder name, Object value) {
        return new Vars().put(name, value);
    }

    public Vars put(Placeholder name, Object value) {
        if (value != null) {
            values.put(name, String.valueOf(value));
        }
        return this;
    }

    public Vars putIfAbsent(Placeholder name, Object value) {
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

    public String get(Placeholder name) {
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
                    Placeholder p = Placeholder.isName(name) ? Placeholder.byName(name) : null;
                    String value = p == null ? null : values.get(p);
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
