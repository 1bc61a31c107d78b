package dev.llmfault.server.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;
import dev.llmfault.server.internal.journal.JournalCodec;
import dev.llmfault.server.internal.journal.TimelineText;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * The journal of a remote server read through {@code GET /__admin/requests}. A scoped journal asks only for
 * its key's requests, and clears by remembering the newest sequence number it has seen (sequence numbers
 * never restart), so clearing one test's view leaves the others' intact.
 */
final class RemoteJournal implements RequestJournal {
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(10);

    private final AdminClient admin;
    private final KeyScope scope;
    /** Entries at or below this sequence were cleared from this view. */
    private final AtomicLong floor = new AtomicLong();

    RemoteJournal(AdminClient admin, KeyScope scope) {
        this.admin = admin;
        this.scope = scope;
    }

    @Override
    public List<JournalEntry> entries() {
        return read(scope == null ? "" : "?apiKeyFingerprint=" + scope.fingerprint());
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

    @Override
    public List<JournalEntry> awaitRequests(int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JournalEntry> seen = entries();
            if (seen.size() >= count) {
                return seen;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw TimelineText.awaitFailed(count, timeout, seen);
            }
            LockSupport.parkNanos(POLL_NANOS); // a remote journal cannot signal: poll it
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw TimelineText.awaitFailed(count, timeout, seen);
            }
        }
    }

    @Override
    public void clear() {
        if (scope == null) {
            admin.delete("/requests");
            return;
        }
        List<JournalEntry> newest = read("?apiKeyFingerprint=" + scope.fingerprint() + "&limit=1");
        if (!newest.isEmpty()) {
            floor.accumulateAndGet(newest.get(0).sequence(), Math::max);
        }
    }
}
