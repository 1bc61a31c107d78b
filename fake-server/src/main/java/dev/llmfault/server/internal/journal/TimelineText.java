package dev.llmfault.server.internal.journal;

import dev.llmfault.server.JournalEntry;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * The request timeline of failure messages and reports: one line per request with its offset from the first
 * (server arrival times), method, path, provider, status, fault, retry hint and masked key.
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
            e.retryAfter().ifPresent(d -> out.append(" (retry after ").append(ms(d)).append(')'));
            if (e.apiKeyMask() != null) {
                out.append("  key ").append(e.apiKeyMask());
            }
        }
        return out.toString();
    }

    /** {@code 212 ms}, or {@code 2.5 ms} below 10 ms. */
    public static String ms(Duration d) {
        double ms = d.toNanos() / 1_000_000.0;
        return ms < 10 && ms > -10 ? String.format(Locale.ROOT, "%.1f ms", ms) : Math.round(ms) + " ms";
    }

    /** The failure of a wait for requests: what was expected, and the timeline of what came. */
    public static AssertionError awaitFailed(int count, Duration timeout, List<JournalEntry> seen) {
        return new AssertionError(String.format("%nExpecting the fake LLM server to receive at least:%n  %d request(s)"
                + " within %s%nbut it received:%n  %d%n%nRequest timeline (server arrival times):%n%s", count, timeout,
                seen.size(), of(seen)));
    }
}
