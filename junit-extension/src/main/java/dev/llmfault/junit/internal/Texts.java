package dev.llmfault.junit.internal;

/** Short quotes of client text for failure messages: a prompt or a tool result can be long. */
final class Texts {
    private static final int MAX = 60;

    private Texts() {
    }

    /** The text, cut to 60 characters with an ellipsis, line breaks shown as {@code \n}. */
    static String cut(String text) {
        String flat = text.replace("\r", "").replace("\n", "\\n");
        return flat.length() <= MAX ? flat : flat.substring(0, MAX - 1) + "…";
    }

    /** The text quoted and cut. */
    static String quote(String text) {
        return "\"" + cut(text) + "\"";
    }
}
