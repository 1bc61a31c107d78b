package dev.llmfault.junit.internal;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;

import java.time.Duration;
import java.util.List;

/** A fixed list of entries seen as a journal: what a filtered assertion checks. Read-only. */
public final class JournalSnapshot implements RequestJournal {
    private final List<JournalEntry> entries;

    public JournalSnapshot(List<JournalEntry> entries) {
        this.entries = List.copyOf(entries);
    }

    @Override
    public List<JournalEntry> entries() {
        return entries;
    }

    /** Nothing more will come: the entries if there are enough, else the failure at once. */
    @Override
    public List<JournalEntry> awaitRequests(int count, Duration timeout) {
        if (entries.size() < count) {
            throw new AssertionError("a filtered journal receives no new requests: expected at least " + count
                    + ", it holds " + entries.size() + System.lineSeparator() + RequestJournal.timeline(entries));
        }
        return entries;
    }

    @Override
    public void clear() {
        throw new UnsupportedOperationException("a filtered journal is a snapshot: clear the server's journal");
    }

    @Override
    public String toString() {
        return entries.size() + " request(s)";
    }
}
