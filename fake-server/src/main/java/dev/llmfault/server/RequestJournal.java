package dev.llmfault.server;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Every provider request a fake server received, oldest first, bounded (the oldest are dropped once the
 * configured size is reached). Safe to read while requests arrive. Credentials are masked in every entry.
 *
 * <pre>{@code
 * RequestJournal journal = server.journal();
 * journal.awaitRequests(3, Duration.ofSeconds(5));
 * assertThat(journal.find(JournalQuery.all().status(429))).hasSize(2);
 * }</pre>
 */
public interface RequestJournal {

    /** All retained entries in arrival order. */
    List<JournalEntry> entries();

    /** The retained entries that the query matches, in arrival order. */
    default List<JournalEntry> find(JournalQuery query) {
        return entries().stream().filter(query).toList();
    }

    /** How many entries are retained. */
    default int size() {
        return entries().size();
    }

    /** The newest entry, if any. */
    default Optional<JournalEntry> last() {
        List<JournalEntry> all = entries();
        return all.isEmpty() ? Optional.empty() : Optional.of(all.get(all.size() - 1));
    }

    /**
     * Waits until at least {@code count} requests have been recorded and returns the entries.
     *
     * @throws IllegalStateException naming how many were seen when the timeout passes first
     */
    List<JournalEntry> awaitRequests(int count, Duration timeout);

    /** Forgets every entry. */
    void clear();
}
