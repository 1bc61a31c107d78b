package dev.llmfault.server.internal.journal;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The journal's entries, chained in sequence order once in all and once per value of each {@link Key}: a
 * query walks the shortest chain its filters name and tests the rest. Not thread-safe: {@link BoundedJournal}
 * holds its lock around every call.
 *
 * <p>One node per entry carries the links of all its chains, so removing an evicted entry is O(1) per chain
 * and no chain ever holds an entry the ring no longer has.
 */
final class JournalIndex {
    /**
     * The keys a journal is indexed by; {@link #ALL} chains every entry. {@link #KEY_OWNER} chains the entries
     * whose OAuth token belongs to a key other than their own credential: a query by key walks that key's
     * {@link #API_KEY} and {@code KEY_OWNER} chains together, since it matches either.
     */
    enum Key {
        ALL, API_KEY, SCENARIO, PROVIDER, FAULT, STATUS, KEY_OWNER;

        static final Key[] VALUES = values();

        /** The entry's value for this key, or null when it has none (no credential, no fault, ...). */
        Object of(JournalEntry e) {
            return switch (this) {
                case ALL -> ALL;
                case API_KEY -> e.apiKeyFingerprint();
                case SCENARIO -> e.scenarioId();
                case PROVIDER -> e.provider();
                case FAULT -> e.fault();
                case STATUS -> e.status();
                case KEY_OWNER -> e.tokenOwnerFingerprint() == null
                        || e.tokenOwnerFingerprint().equals(e.apiKeyFingerprint()) ? null : e.tokenOwnerFingerprint();
            };
        }

        /** The query's filter for this key, or null when it has none ({@link #KEY_OWNER}: never, see {@link #API_KEY}). */
        Object of(JournalQuery q) {
            return switch (this) {
                case ALL -> ALL;
                case API_KEY -> q.apiKeyFingerprint();
                case SCENARIO -> q.scenarioId();
                case PROVIDER -> q.provider();
                case FAULT -> q.fault();
                case STATUS -> q.status();
                case KEY_OWNER -> null;
            };
        }
    }

    private static final int KEYS = Key.VALUES.length;

    /** One entry in every chain it belongs to: links[2k] is the previous node in chain k, links[2k+1] the next. */
    static final class Node {
        final JournalEntry entry;
        private final Node[] links = new Node[2 * KEYS];

        private Node(JournalEntry entry) {
            this.entry = entry;
        }
    }

    private static final class Chain {
        Node head;
        Node tail;
        int size;
    }

    @SuppressWarnings("unchecked")
    private final Map<Object, Chain>[] chains = new Map[KEYS];
    /** Nodes the last query looked at: what a keyed query costs, for the tests that hold it to its key's entries. */
    private int lastWalked;

    JournalIndex() {
        for (int k = 0; k < KEYS; k++) {
            chains[k] = new HashMap<>();
        }
    }

    /** Adds an entry to its chains, in sequence order (almost always at the tail: entries end in about the order they came). */
    Node add(JournalEntry e) {
        Node node = new Node(e);
        for (Key key : Key.VALUES) {
            Object value = key.of(e);
            if (value != null) {
                link(chains[key.ordinal()].computeIfAbsent(value, v -> new Chain()), node, key.ordinal());
            }
        }
        return node;
    }

    private static void link(Chain chain, Node node, int k) {
        long seq = node.entry.sequence();
        Node after = chain.tail;
        while (after != null && after.entry.sequence() > seq) {
            after = after.links[2 * k];
        }
        Node before = after == null ? chain.head : after.links[2 * k + 1];
        node.links[2 * k] = after;
        node.links[2 * k + 1] = before;
        if (after == null) {
            chain.head = node;
        } else {
            after.links[2 * k + 1] = node;
        }
        if (before == null) {
            chain.tail = node;
        } else {
            before.links[2 * k] = node;
        }
        chain.size++;
    }

    /** Takes an evicted entry out of every chain; a chain left empty is dropped, so old keys do not pile up. */
    void remove(Node node) {
        for (Key key : Key.VALUES) {
            Object value = key.of(node.entry);
            if (value == null) {
                continue;
            }
            int k = key.ordinal();
            Chain chain = chains[k].get(value);
            Node prev = node.links[2 * k];
            Node next = node.links[2 * k + 1];
            if (prev == null) {
                chain.head = next;
            } else {
                prev.links[2 * k + 1] = next;
            }
            if (next == null) {
                chain.tail = prev;
            } else {
                next.links[2 * k] = prev;
            }
            node.links[2 * k] = null;
            node.links[2 * k + 1] = null;
            if (--chain.size == 0) {
                chains[k].remove(value);
            }
        }
    }

    /** The matching entries in sequence order, from the shortest chain among the query's keys. */
    List<JournalEntry> find(JournalQuery query) {
        Chain shortest = null;
        int via = Key.ALL.ordinal();
        for (Key key : Key.VALUES) {
            Object value = key.of(query);
            if (value == null || key == Key.API_KEY) {
                continue; // a key is walked below, with the entries its tokens count for
            }
            Chain chain = chains[key.ordinal()].get(value);
            if (chain == null) {
                lastWalked = 0;
                return List.of(); // no entry has this key
            }
            if (shortest == null || chain.size < shortest.size) {
                shortest = chain;
                via = key.ordinal();
            }
        }
        Object key = Key.API_KEY.of(query);
        if (key != null) {
            Chain own = chains[Key.API_KEY.ordinal()].get(key);
            Chain owned = chains[Key.KEY_OWNER.ordinal()].get(key);
            int size = (own == null ? 0 : own.size) + (owned == null ? 0 : owned.size);
            if (size == 0) {
                lastWalked = 0;
                return List.of();
            }
            if (shortest == null || size < shortest.size) {
                return walkKey(query, own, owned, size);
            }
        }
        lastWalked = shortest.size;
        List<JournalEntry> out = new ArrayList<>(Math.min(shortest.size, 1024));
        boolean all = query.matchesAll();
        for (Node n = shortest.head; n != null; n = n.links[2 * via + 1]) {
            if (all || query.test(n.entry)) {
                out.add(n.entry);
            }
        }
        return out;
    }

    /** A key's entries: those sent with it and those whose token it owns, two chains merged in sequence order. */
    private List<JournalEntry> walkKey(JournalQuery query, Chain own, Chain owned, int size) {
        lastWalked = size;
        int ownNext = 2 * Key.API_KEY.ordinal() + 1;
        int ownedNext = 2 * Key.KEY_OWNER.ordinal() + 1;
        List<JournalEntry> out = new ArrayList<>(Math.min(size, 1024));
        Node a = own == null ? null : own.head;
        Node b = owned == null ? null : owned.head;
        while (a != null || b != null) {
            Node n;
            if (b == null || (a != null && a.entry.sequence() < b.entry.sequence())) {
                n = a;
                a = a.links[ownNext];
            } else {
                n = b;
                b = b.links[ownedNext];
            }
            if (query.test(n.entry)) {
                out.add(n.entry);
            }
        }
        return out;
    }

    /** How many entries the journal holds. */
    int size() {
        Chain all = chains[Key.ALL.ordinal()].get(Key.ALL);
        return all == null ? 0 : all.size;
    }

    /** How many entries one key's chain holds (0 when none): for tests of the index. */
    int size(Key key, Object value) {
        Chain chain = chains[key.ordinal()].get(value);
        return chain == null ? 0 : chain.size;
    }

    /** How many distinct values of a key are indexed: for tests that eviction drops empty chains. */
    int keys(Key key) {
        return chains[key.ordinal()].size();
    }

    int lastWalked() {
        return lastWalked;
    }

    void clear() {
        for (Map<Object, Chain> m : chains) {
            m.clear();
        }
    }
}
