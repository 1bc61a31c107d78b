package dev.llmfault.server.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.RequestJournal;
import dev.llmfault.server.internal.journal.JournalCodec;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The journal of a remote server read through {@code GET /__admin/requests}. A scoped journal asks only for
 * its key's requests, and it (or an own view, {@code ?view=own}) clears by remembering the newest sequence number
 * it has seen (sequence numbers never restart), so clearing one test's view leaves the others' intact.
 */
final class RemoteJournal implements RequestJournal {
    private final AdminClient admin;
    private final KeyScope scope;
    /** Clear moves the floor instead of emptying the server's journal. */
    private final boolean ownView;
    /** Entries at or below this sequence were cleared from this view. */
    private final AtomicLong floor = new AtomicLong();

    RemoteJournal(AdminClient admin, KeyScope scope, boolean ownView) {
        this.admin = admin;
        this.scope = scope;
        this.ownView = ownView;
    }

    @Override
    public List<JournalEntry> entries() {
        return read(scope == null ? "" : "?apiKeyFingerprint=" + scope.fingerprint());
    }

    /** Asks the server for the query's entries only: the server answers a keyed query from its index. */
    @Override
    public List<JournalEntry> find(JournalQuery query) {
        StringBuilder params = new StringBuilder();
        String key = query.apiKeyFingerprint();
        if (scope != null) {
            if (key != null && !key.equals(scope.fingerprint())) {
                return List.of(); // another key's requests are not in this view
            }
            key = scope.fingerprint();
        }
        param(params, "apiKeyFingerprint", key);
        param(params, "provider", query.provider());
        param(params, "path", query.path());
        param(params, "status", query.status());
        param(params, "fault", query.fault());
        param(params, "model", query.model());
        param(params, "scenarioId", query.scenarioId());
        param(params, "replyId", query.replyId());
        param(params, "alias", query.alias());
        return read(params.toString());
    }

    private static void param(StringBuilder params, String name, Object value) {
        if (value != null) {
            params.append(params.length() == 0 ? '?' : '&').append(name).append('=')
                    .append(URLEncoder.encode(value.toString(), StandardCharsets.UTF_8));
        }
    }

    private List<JournalEntry> read(String query) {
        JsonNode requests = admin.get("/requests" + query).body().path("requests");
        long min = floor.get();
        List<JournalEntry> out = new ArrayList<>(requests.size());
        for (JsonNode node : requests) {
            JournalEntry entry = JournalCodec.read(node);
            if (entry.sequence() > min) {
                out.add(entry);
            }
        }
        return out;
    }

    /** A remote journal cannot signal: {@link RequestJournal#awaitRequests(JournalQuery, int, Duration)} polls it. */
    @Override
    public List<JournalEntry> awaitRequests(int count, Duration timeout) {
        return awaitRequests(JournalQuery.all(), count, timeout);
    }

    @Override
    public void clear() {
        if (!ownView) {
            admin.delete("/requests");
            return;
        }
        List<JournalEntry> newest = read(scope == null ? "?limit=1" : "?apiKeyFingerprint=" + scope.fingerprint() + "&limit=1");
        if (!newest.isEmpty()) {
            floor.accumulateAndGet(newest.get(0).sequence(), Math::max);
        }
    }
}
