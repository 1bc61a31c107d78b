package dev.llmfault.server.timeline;

import org.apiguardian.api.API;

/** Escaping for text put into HTML and SVG, one place for every page the kit draws. */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class Markup {
    private Markup() {
    }

    /** Escapes {@code & < > " '} so the text is safe in element content and in quoted attributes. */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(text.length() + 16);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#39;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }

    /** {@code 212 ms}, or {@code 3.4 ms} below 10 ms. */
    public static String millis(double ms) {
        return Math.abs(ms) < 10 ? String.format(java.util.Locale.ROOT, "%.1f ms", ms) : Math.round(ms) + " ms";
    }
}
