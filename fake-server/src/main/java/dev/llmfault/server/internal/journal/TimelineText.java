package dev.llmfault.server.internal.journal;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.timeline.Markup;
import dev.llmfault.server.timeline.TimelineModel;

import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The request timeline of failure messages and reports: one line per request with its offset from the first
 * (server arrival times), method, path, provider, status, fault, retry hint, an early retry and masked key.
 *
 * <pre>
 *      +0 ms  #1  POST /v1/chat/completions [OPENAI] -> 429 RATE_LIMITED (retry after 200 ms)  key sk-ll***9f3a
 *    +212 ms  #2  POST /v1/chat/completions [OPENAI] -> 200  key sk-ll***9f3a
 * </pre>
 */
public final class TimelineText {
    private TimelineText() {
    }

    public static String of(List<JournalEntry> entries) {
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
                out.append(" (retry after ").append(ms(row.askedWait())).append(')');
            }
            if (row.earlyBy() != null) {
                out.append("  EARLY by ").append(ms(row.earlyBy()));
            }
            if (e.apiKeyMask() != null) {
                out.append("  key ").append(e.apiKeyMask());
            }
        }
        return out.toString();
    }

    /** {@code 212 ms}, or {@code 2.5 ms} below 10 ms. */
    public static String ms(Duration d) {
        return Markup.millis(d.toNanos() / 1_000_000.0);
    }

    /** The failure of a wait for requests: what was expected, and the timeline of what came. */
    public static AssertionError awaitFailed(int count, Duration timeout, List<JournalEntry> seen) {
        return awaitFailed(count, "", timeout, seen);
    }

    /**
     * The failure of a wait for requests matching a query ({@code matching} describes it, or is empty): what was
     * expected, and the timeline of the matching requests that came.
     */
    public static AssertionError awaitFailed(int count, String matching, Duration timeout, List<JournalEntry> seen) {
        return new AssertionError(String.format("%nExpecting the fake LLM server to receive at least:%n  %d request(s)%s"
                + " within %s%nbut it received:%n  %d%n%nRequest timeline (server arrival times):%n%s", count,
                matching.isEmpty() ? "" : " matching " + matching, timeout, seen.size(), of(seen)));
    }
}
