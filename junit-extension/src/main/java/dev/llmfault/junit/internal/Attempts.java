package dev.llmfault.junit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.timeline.Markup;
import dev.llmfault.server.timeline.TimelineModel;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Groups journal entries into logical requests: the attempts of one request are the entries with the same
 * method, path and body (JSON compared by value), whatever their headers and credentials, so a retry with a
 * refreshed token still counts as an attempt of the same request. Token requests (paths ending in
 * {@code /token}) are not attempts of anything. Gaps are measured with the server's arrival times only.
 */
public final class Attempts {
    private Attempts() {
    }

    public static boolean isTokenRequest(JournalEntry e) {
        return TimelineModel.isTokenFetch(e);
    }

    /** The attempts of each logical request, in order of the first attempt; token requests left out. */
    public static List<List<JournalEntry>> byLogicalRequest(List<JournalEntry> entries) {
        Map<String, List<JournalEntry>> groups = new LinkedHashMap<>();
        for (JournalEntry e : entries) {
            if (!isTokenRequest(e)) {
                groups.computeIfAbsent(identity(e), k -> new ArrayList<>()).add(e);
            }
        }
        return new ArrayList<>(groups.values());
    }

    /** The entries that are not token requests. */
    public static List<JournalEntry> providerRequests(List<JournalEntry> entries) {
        return entries.stream().filter(e -> !isTokenRequest(e)).toList();
    }

    private static String identity(JournalEntry e) {
        String body = e.json().map(JsonNode::toString).orElse(e.body());
        return e.method() + " " + e.path() + "\n" + body;
    }

    /** Time between the arrivals of two requests at the server. */
    public static Duration gap(JournalEntry earlier, JournalEntry later) {
        return Duration.ofNanos(later.monotonicNanos() - earlier.monotonicNanos());
    }

    /** {@code 212 ms}, or {@code 3.4 ms} below 10 ms. */
    public static String ms(Duration d) {
        return Markup.millis(d.toNanos() / 1_000_000.0);
    }

    /** {@code #3 POST /v1/chat/completions}. */
    public static String label(JournalEntry e) {
        return "#" + e.sequence() + " " + e.method() + " " + e.path();
    }
}
