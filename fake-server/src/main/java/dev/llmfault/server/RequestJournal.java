package dev.llmfault.server;

import dev.llmfault.server.internal.journal.TimelineText;
import org.apiguardian.api.API;

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
@API(status = API.Status.STABLE, since = "0.1")
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
     * Waits until at least {@code count} requests have been recorded and returns the entries: the one way to
     * wait for a client that runs in the background. An embedded journal wakes up on the request itself, a
     * remote one polls the admin API.
     *
     * @throws AssertionError showing the expected count and the timeline of what came, when the timeout passes
     *                        first, or when the waiting thread is interrupted
     */
    List<JournalEntry> awaitRequests(int count, Duration timeout);

    /**
     * Waits until at least {@code count} retained entries match the query and returns them, in arrival order.
     * On the server's own journal a keyed wait (API key, scenario id, provider, fault, status) is woken by
     * that key's entries only, so many parallel tests can wait on one shared server at little cost.
     *
     * <pre>{@code
     * journal.awaitRequests(JournalQuery.all().apiKey(myKey), 2, Duration.ofSeconds(5));
     * }</pre>
     *
     * @throws AssertionError showing the expected count and the timeline of the matching requests that came, when
     *                        the timeout passes first, or when the waiting thread is interrupted
     */
    default List<JournalEntry> awaitRequests(JournalQuery query, int count, Duration timeout) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            List<JournalEntry> found = find(query);
            if (found.size() >= count) {
                return found;
            }
            if (System.nanoTime() - deadline >= 0) {
                throw TimelineText.awaitFailed(count, query.matchesAll() ? "" : "the query", timeout, found);
            }
            java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // a journal that cannot signal: poll it
            if (Thread.interrupted()) {
                Thread.currentThread().interrupt();
                throw TimelineText.awaitFailed(count, query.matchesAll() ? "" : "the query", timeout, found);
            }
        }
    }

    /**
     * The request timeline of these entries, as failure messages show it: one line per request with its offset
     * from the first (server arrival times), method, path, provider, status, fault, retry hint and masked key.
     * <pre>{@code System.out.println(RequestJournal.timeline(server.journal().entries()));}</pre>
     */
    static String timeline(List<JournalEntry> entries) {
        return TimelineText.of(entries);
    }

    /** Forgets every entry. */
    void clear();
}
