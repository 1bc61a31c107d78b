package dev.llmfault.junit.internal.error;

import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The requests a failed recovery assertion blames, read back from its message for the report. The journal
 * assertions list their findings one per line ({@link JournalMessage#lines}) as {@code   - #3 came 12 ms after #2}
 * before the request timeline; the first request each finding names is the offending one. Other messages name none.
 *
 * <pre>{@code
 * Offenders.in(error.getMessage());   // [3]
 * }</pre>
 */
public final class Offenders {
    private static final Pattern FINDING = Pattern.compile("^\\s*- #(\\d+)\\b", Pattern.MULTILINE);

    private Offenders() {
    }

    public static Set<Long> in(String message) {
        Set<Long> out = new LinkedHashSet<>();
        if (message == null) {
            return out;
        }
        int end = message.indexOf(JournalMessage.TIMELINE_HEADING);
        Matcher m = FINDING.matcher(end < 0 ? message : message.substring(0, end));
        while (m.find()) {
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }
}
