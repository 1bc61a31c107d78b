package dev.llmfault.junit.internal;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;

import java.util.List;

/**
 * The request timeline shown in failure messages and reports: one line per request with its offset from the
 * first (server arrival times), method, path, provider, status, fault, retry hint and masked key.
 *
 * <pre>
 *      +0 ms  #1  POST /v1/chat/completions [OPENAI] -> 429 RATE_LIMITED (retry after 200 ms)  key sk-ll***9f3a
 *    +212 ms  #2  POST /v1/chat/completions [OPENAI] -> 200  key sk-ll***9f3a
 * </pre>
 *
 * <p>Drawn by the server ({@link RequestJournal#timeline(List)}) from the same model as the HTML report's
 * pictures; a retry that arrived inside the wait an earlier answer asked for ends with {@code EARLY by 88 ms}.
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
        return RequestJournal.timeline(entries);
    }
}
