package dev.llmfault.server.internal.journal;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.RequestJournal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * The newest {@code capacity} entries, with an index per key a parallel test asks by (API key, scenario id,
 * provider, fault, status), so that a keyed query or wait costs what that key's entries cost, not the whole
 * journal of a shared server.
 *
 * <p>A request takes its sequence number when it arrives and is written when its answer ends, into ring slot
 * {@code sequence % capacity}; a slot only moves forward to a newer sequence, so a slow stream finishing late
 * never overwrites a newer entry. The entry it replaces leaves every index at once (each index is a doubly
 * linked list in sequence order, and a node knows its neighbours), so the indexes always hold exactly the
 * ring's entries. Writes take one short lock: measured against the lock-free ring it replaced, it is not
 * visible next to the rest of a request's work, and it keeps the ring and the indexes in step.
 *
 * <pre>{@code
 * BoundedJournal journal = new BoundedJournal(10_000);
 * journal.find(JournalQuery.all().apiKey("sk-test-1"));   // walks sk-test-1's entries only (with its tokens' calls)
 * }</pre>
 */
public final class BoundedJournal implements RequestJournal {
    private final int capacity;
    private final AtomicLong lastSequence = new AtomicLong();
    private final Stats stats = new Stats();
    private final Object lock = new Object();
    /** Told of every recorded entry (metrics, the journal log); empty unless the standalone server turns them on. */
    private final List<Consumer<JournalEntry>> listeners = new CopyOnWriteArrayList<>();

    // Everything below is guarded by lock.
    private final JournalIndex.Node[] ring;
    private final JournalIndex index = new JournalIndex();
    private final Waiters waiters = new Waiters();
    /** Entries at or below this sequence were cleared (or arrived before a clear) and are dropped. */
    private long floor;
    private long recordedSinceClear;

    public BoundedJournal(int capacity) {
        if (capacity < 0) {
            throw new IllegalArgumentException("journalSize: invalid value " + capacity + ", expected an integer >= 0");
        }
        this.capacity = capacity;
        this.ring = new JournalIndex.Node[Math.max(capacity, 1)];
    }

    /** Adds a listener told of each entry as it is recorded, on the request's thread: it must be quick. */
    public void listen(Consumer<JournalEntry> listener) {
        listeners.add(listener);
    }

    /** The sequence number of a request that just arrived. */
    public long nextSequence() {
        return lastSequence.incrementAndGet();
    }

    public int capacity() {
        return capacity;
    }

    /** Records a finished request; drops it when it belongs to before the last clear. */
    public void record(JournalEntry entry) {
        long seq = entry.sequence();
        List<Waiters.Waiter> woken;
        synchronized (lock) {
            if (seq <= floor) {
                return;
            }
            if (capacity > 0) {
                int slot = (int) (seq % capacity);
                JournalIndex.Node current = ring[slot];
                if (current == null || current.entry.sequence() < seq) {
                    if (current != null) {
                        index.remove(current);
                    }
                    ring[slot] = index.add(entry);
                } // else a newer request already owns the slot: this one is older than the window
            }
            recordedSinceClear++;
            woken = waiters.recorded(entry);
        }
        stats.count(entry);
        if (!listeners.isEmpty()) {
            for (Consumer<JournalEntry> l : listeners) {
                l.accept(entry); // outside the lock, on the request's thread
            }
        }
        if (woken != null) {
            woken.forEach(Waiters.Waiter::wake); // outside the lock: a waiter's continuation may query the journal
        }
    }

    /**
     * Replaces an entry already recorded (same sequence) with what was learnt later, such as a client that
     * left during a delay; counts nothing again and wakes no one. Gone from the ring already: nothing to do.
     */
    public void amend(JournalEntry entry) {
        long seq = entry.sequence();
        synchronized (lock) {
            if (capacity == 0 || seq <= floor) {
                return;
            }
            int slot = (int) (seq % capacity);
            JournalIndex.Node current = ring[slot];
            if (current != null && current.entry.sequence() == seq) {
                index.remove(current);
                ring[slot] = index.add(entry);
            }
        }
    }

    @Override
    public List<JournalEntry> entries() {
        return find(JournalQuery.all());
    }

    /** The matching entries in arrival order, walking the smallest index the query names. */
    @Override
    public List<JournalEntry> find(JournalQuery query) {
        synchronized (lock) {
            return index.find(query);
        }
    }

    @Override
    public int size() {
        synchronized (lock) {
            return index.size();
        }
    }

    /** How many requests were recorded since the last clear, including those the ring dropped. */
    public long recordedCount() {
        synchronized (lock) {
            return recordedSinceClear;
        }
    }

    /** Waits until {@code count} requests were recorded since the last clear (dropped ones included). */
    @Override
    public List<JournalEntry> awaitRequests(int count, Duration timeout) {
        await(JournalQuery.all(), count, timeout);
        return entries();
    }

    /** Waits, woken only by entries of the query's most selective key, until {@code count} retained entries match. */
    @Override
    public List<JournalEntry> awaitRequests(JournalQuery query, int count, Duration timeout) {
        await(query, count, timeout);
        return find(query);
    }

    /**
     * A wait that holds no thread: the future completes when {@code count} entries match the query (for
     * {@link JournalQuery#all()}, when {@code count} were recorded since the last clear). For the admin API's
     * long poll; {@link #cancel} forgets a wait whose caller went away.
     */
    public CompletableFuture<Void> whenRecorded(JournalQuery query, int count) {
        synchronized (lock) {
            long seen = query.matchesAll() ? recordedSinceClear : index.find(query).size();
            return waiters.add(query, count, seen);
        }
    }

    /** Forgets a wait made by {@link #whenRecorded}. */
    public void cancel(CompletableFuture<Void> wait) {
        synchronized (lock) {
            waiters.remove(wait);
        }
    }

    private void await(JournalQuery query, int count, Duration timeout) {
        CompletableFuture<Void> wait = whenRecorded(query, count);
        try {
            wait.get(timeout.toNanos(), java.util.concurrent.TimeUnit.NANOSECONDS);
        } catch (TimeoutException e) {
            cancel(wait);
            throw TimelineText.awaitFailed(count, query.matchesAll() ? "" : describe(query), timeout,
                    query.matchesAll() ? entries() : find(query));
        } catch (InterruptedException e) {
            cancel(wait);
            Thread.currentThread().interrupt();
            AssertionError failure = TimelineText.awaitFailed(count, query.matchesAll() ? "" : describe(query), timeout,
                    query.matchesAll() ? entries() : find(query));
            failure.initCause(e);
            throw failure;
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        }
    }

    private static String describe(JournalQuery q) {
        List<String> parts = new ArrayList<>();
        if (q.apiKeyFingerprint() != null) parts.add("apiKeyFingerprint=" + q.apiKeyFingerprint().substring(0, Math.min(12, q.apiKeyFingerprint().length())) + "...");
        if (q.scenarioId() != null) parts.add("scenarioId=" + q.scenarioId());
        if (q.replyId() != null) parts.add("replyId=" + q.replyId());
        if (q.provider() != null) parts.add("provider=" + q.provider());
        if (q.fault() != null) parts.add("fault=" + q.fault());
        if (q.status() != null) parts.add("status=" + q.status());
        if (q.path() != null) parts.add("path=" + q.path());
        if (q.model() != null) parts.add("model=" + q.model());
        return String.join(", ", parts);
    }

    @Override
    public void clear() {
        synchronized (lock) {
            floor = lastSequence.get();
            java.util.Arrays.fill(ring, null);
            index.clear();
            recordedSinceClear = 0;
            waiters.cleared();
        }
        stats.clear();
    }

    /** How many entries the last query looked at (its cost), and per key how many values are indexed: for tests. */
    int lastQueryWalked() {
        synchronized (lock) {
            return index.lastWalked();
        }
    }

    int indexedValues(JournalIndex.Key key) {
        synchronized (lock) {
            return index.keys(key);
        }
    }

    /** Counts per provider, status and fault since the last clear. */
    public Stats stats() {
        return stats;
    }
}
