package dev.llmfault.server.internal.dialect;

import java.util.ArrayList;
import java.util.List;

/**
 * The deterministic answer of the fake model: the configured text, split into word chunks for streams.
 */
public record Reply(String text, List<String> chunks, int completionTokens) {

    /** The last reply made: a server answers with its one configured text, so chunking it per request is waste. */
    private static volatile Reply last = new Reply("", List.of(""), 0);

    public static Reply of(String text) {
        Reply r = last;
        if (r.text().equals(text)) {
            return r;
        }
        r = new Reply(text, chunk(text), TokenCounter.tokens(text));
        last = r;
        return r;
    }

    /** Splits after each run of white space, so the chunks concatenate back to the text exactly. */
    static List<String> chunk(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                out.add(text.substring(start, i));
                start = i;
            } else {
                i++;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return List.copyOf(out);
    }
}
