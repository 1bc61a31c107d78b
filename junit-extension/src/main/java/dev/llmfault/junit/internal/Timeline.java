package dev.llmfault.junit.internal;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.internal.timeline.TimelineModel;

import java.util.List;
import java.util.Set;

/**
 * The request timeline shown in failure messages and reports: one line per request with its offset from the
 * first (server arrival times), method, path, provider, status, fault, retry hint and masked key.
 *
 * <pre>
 *      +0 ms  #1  POST /v1/chat/completions [OPENAI] -> 429 RATE_LIMITED (retry after 200 ms)  key sk-ll***9f3a
 *    +212 ms  #2  POST /v1/chat/completions [OPENAI] -> 200  key sk-ll***9f3a
 * </pre>
 *
 * <p>Drawn from the same {@link TimelineModel} as the HTML report's pictures; a retry that arrived inside the wait
 * an earlier answer asked for ends with {@code EARLY by 88 ms}.
 */
public final class Timeline {
    private final List<JournalEntry> entries;

    private Timeline(List<JournalEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static Timeline of(List<JournalEntry> entries) {
        return new Timeline(entries);
    }

    @Override
    public String toString() {
        if (entries.isEmpty()) {
            return "  (no requests)";
        }
        StringBuilder out = new StringBuilder();
        for (TimelineModel.Row row : TimelineModel.of(entries, Set.of()).rows()) {
            JournalEntry e = row.entry();
            if (out.length() > 0) {
                out.append(System.lineSeparator());
            }
            out.append(String.format("  %+7d ms  #%d  %s %s%s", row.startNanos() / 1_000_000,
                    e.sequence(), e.method(), e.path(), e.query() == null ? "" : "?" + e.query()));
            if (e.provider() != null) {
                out.append(" [").append(e.provider()).append(']');
            }
            out.append(" -> ").append(row.answer());
            if (row.askedWait() != null) {
                out.append(" (retry after ").append(Attempts.ms(row.askedWait())).append(')');
            }
            if (row.earlyBy() != null) {
                out.append("  EARLY by ").append(Attempts.ms(row.earlyBy()));
            }
            if (e.apiKeyMask() != null) {
                out.append("  key ").append(e.apiKeyMask());
            }
        }
        return out.toString();
    }
}
