package dev.llmfault.junit.internal;

import dev.llmfault.server.JournalEntry;

import java.util.List;

/**
 * The request timeline shown in failure messages and reports: one line per request with its offset from the
 * first (server arrival times), method, path, provider, status, fault, retry hint and masked key.
 *
 * <pre>
 *      +0 ms  #1  POST /v1/chat/completions [OPENAI] -> 429 RATE_LIMITED (retry after 200 ms)  key sk-ll***9f3a
 *    +212 ms  #2  POST /v1/chat/completions [OPENAI] -> 200  key sk-ll***9f3a
 * </pre>
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
        long start = entries.get(0).monotonicNanos();
        StringBuilder out = new StringBuilder();
        for (JournalEntry e : entries) {
            if (out.length() > 0) {
                out.append(System.lineSeparator());
            }
            out.append(String.format("  %+7d ms  #%d  %s %s%s", (e.monotonicNanos() - start) / 1_000_000,
                    e.sequence(), e.method(), e.path(), e.query() == null ? "" : "?" + e.query()));
            if (e.provider() != null) {
                out.append(" [").append(e.provider()).append(']');
            }
            out.append(" -> ").append(e.status() == 0 ? "no answer" : String.valueOf(e.status()));
            if (e.fault() != null) {
                out.append(' ').append(e.fault());
            }
            e.retryAfter().ifPresent(d -> out.append(" (retry after ").append(Attempts.ms(d)).append(')'));
            if (e.apiKeyMask() != null) {
                out.append("  key ").append(e.apiKeyMask());
            }
        }
        return out.toString();
    }
}
