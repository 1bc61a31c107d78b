package dev.llmfault.server.internal.journal;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The waits on a journal, each filed under the most selective key of its query, so that an entry wakes only
 * the waits of its own keys: a hundred parallel tests waiting on one shared server each look at their own
 * requests, not at everyone's. A wait for a key also counts the requests sent with the OAuth tokens that key
 * owns ({@link JournalEntry#tokenOwnerFingerprint()}). Not thread-safe: {@link BoundedJournal} holds its lock around every call.
 */
final class Waiters {
    /** Filing order, most selective first. */
    private static final JournalIndex.Key[] PREFERENCE = {JournalIndex.Key.API_KEY, JournalIndex.Key.SCENARIO,
            JournalIndex.Key.STATUS, JournalIndex.Key.FAULT, JournalIndex.Key.PROVIDER, JournalIndex.Key.ALL};

    static final class Waiter {
        private final JournalQuery query;
        private final int count;
        private final JournalIndex.Key key;
        private final Object value;
        private long seen;
        final CompletableFuture<Void> done = new CompletableFuture<>();

        private Waiter(JournalQuery query, int count, JournalIndex.Key key, Object value, long seen) {
            this.query = query;
            this.count = count;
            this.key = key;
            this.value = value;
            this.seen = seen;
        }

        void wake() {
            done.complete(null);
        }
    }

    private final Map<JournalIndex.Key, Map<Object, List<Waiter>>> byKey = new EnumMap<>(JournalIndex.Key.class);
    private final Map<CompletableFuture<Void>, Waiter> byFuture = new IdentityHashMap<>();

    /** A wait for {@code count} matches, of which {@code seen} are already there. */
    CompletableFuture<Void> add(JournalQuery query, int count, long seen) {
        JournalIndex.Key key = JournalIndex.Key.ALL;
        Object value = JournalIndex.Key.ALL;
        for (JournalIndex.Key k : PREFERENCE) {
            Object v = k.of(query);
            if (v != null) {
                key = k;
                value = v;
                break;
            }
        }
        Waiter w = new Waiter(query, count, key, value, seen);
        if (seen >= count) {
            w.wake();
            return w.done;
        }
        byKey.computeIfAbsent(key, k -> new HashMap<>()).computeIfAbsent(value, v -> new ArrayList<>(2)).add(w);
        byFuture.put(w.done, w);
        return w.done;
    }

    void remove(CompletableFuture<Void> future) {
        Waiter w = byFuture.remove(future);
        if (w == null) {
            return;
        }
        Map<Object, List<Waiter>> values = byKey.get(w.key);
        List<Waiter> list = values.get(w.value);
        list.remove(w);
        if (list.isEmpty()) {
            values.remove(w.value);
        }
    }

    /** Counts an entry towards the waits filed under its keys; returns those now satisfied (to wake outside the lock), or null. */
    List<Waiter> recorded(JournalEntry e) {
        if (byFuture.isEmpty()) {
            return null;
        }
        List<Waiter> ready = null;
        for (Map.Entry<JournalIndex.Key, Map<Object, List<Waiter>>> filed : byKey.entrySet()) {
            Object value = filed.getKey().of(e);
            ready = count(e, value == null ? null : filed.getValue().get(value), ready);
            if (filed.getKey() == JournalIndex.Key.API_KEY) {
                // a wait for a key also counts the requests sent with a token that key owns
                Object owner = JournalIndex.Key.KEY_OWNER.of(e);
                ready = count(e, owner == null ? null : filed.getValue().get(owner), ready);
            }
        }
        if (ready != null) {
            ready.forEach(w -> remove(w.done));
        }
        return ready;
    }

    private static List<Waiter> count(JournalEntry e, List<Waiter> list, List<Waiter> ready) {
        if (list == null) {
            return ready;
        }
        for (Waiter w : list) {
            if ((w.key == JournalIndex.Key.ALL && w.query.matchesAll()) || w.query.test(e)) {
                if (++w.seen >= w.count) {
                    if (ready == null) {
                        ready = new ArrayList<>();
                    }
                    ready.add(w);
                }
            }
        }
        return ready;
    }

    /** After a clear every wait starts counting again from nothing. */
    void cleared() {
        byFuture.values().forEach(w -> w.seen = 0);
    }
}
