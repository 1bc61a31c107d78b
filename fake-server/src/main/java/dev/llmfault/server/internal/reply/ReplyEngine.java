package dev.llmfault.server.internal.reply;

import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Replies;
import dev.llmfault.server.Reply;
import dev.llmfault.server.ReplyRule;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * The active reply rules, kept in the order they are tried: priority first (1 highest), then the newest first,
 * as WireMock orders its stubs. Copy-on-write: requests read a snapshot without locking, admin changes are
 * rare. The conversation is read from the body only when a rule looks into it, and then once.
 *
 * <pre>{@code
 * ReplyEngine.Choice c = engine.choose(request);   // null: the default reply
 * }</pre>
 */
public final class ReplyEngine implements Replies {
    private final CopyOnWriteArrayList<ActiveRule> active = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();

    /**
     * What a rule looks at in a model call.
     *
     * @param headers        lower-case names
     * @param keyFingerprint SHA-256 of the credential, or null
     * @param conversation   reads the conversation from the body (called at most once)
     * @param tokenOwner     the fingerprint of the client secret the credential (an OAuth token) was issued to, or null
     */
    public record Request(Provider provider, String path, Map<String, String> headers, String keyFingerprint,
                          String model, Supplier<Conversation> conversation, String tokenOwner) {
        /** A request whose credential is no token of the OAuth endpoint. */
        public Request(Provider provider, String path, Map<String, String> headers, String keyFingerprint,
                       String model, Supplier<Conversation> conversation) {
            this(provider, path, headers, keyFingerprint, model, conversation, null);
        }
    }

    /** The rule that answers, the reply it gives and the turn it was chosen for. */
    public record Choice(ReplyRule rule, Reply reply, int turn) {
    }

    /** The rule that answers this call, counted, or null when none matches (the default reply). */
    public Choice choose(Request request) {
        if (active.isEmpty()) {
            return null;
        }
        Conversation conversation = null;
        for (ActiveRule r : active) {
            ReplyRule rule = r.rule;
            if (!matchesRequest(rule, request)) {
                continue;
            }
            int turn = 1;
            if (rule.match().needsConversation() || rule.isSequence()) {
                if (conversation == null) {
                    conversation = request.conversation().get();
                }
                if (!matchesConversation(rule.match(), conversation)) {
                    continue;
                }
                turn = conversation.turn();
            }
            Reply reply = rule.replyFor(turn);
            if (reply != null) {
                r.answered.incrementAndGet();
                return new Choice(rule, reply, turn);
            }
        }
        return null;
    }

    private static boolean matchesRequest(ReplyRule rule, Request f) {
        ReplyRule.Match m = rule.match();
        if (rule.provider() != null && rule.provider() != f.provider()) return false;
        if (m.path() != null && !m.path().equals(f.path())) return false;
        if (m.model() != null && !m.model().equals(f.model())) return false;
        if (m.apiKeyFingerprint() != null && !m.apiKeyFingerprint().equals(f.keyFingerprint())
                && !m.apiKeyFingerprint().equals(f.tokenOwner())) return false; // the key's own tokens count for it
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            if (!h.getValue().equals(f.headers().get(h.getKey()))) return false;
        }
        return true;
    }

    private static boolean matchesConversation(ReplyRule.Match m, Conversation c) {
        if (m.turn() != null && m.turn() != c.turn()) return false;
        if (m.hasToolResult() != null && m.hasToolResult() != c.hasToolResult()) return false;
        if (m.lastUserMessage() != null && !c.lastUserMessage().contains(m.lastUserMessage())) return false;
        return m.lastUserMessageRegex() == null || m.lastUserMessageRegex().matcher(c.lastUserMessage()).find();
    }

    @Override
    public synchronized ReplyRule add(ReplyRule rule) {
        ReplyRule withId = rule;
        if (rule.id() == null) {
            String id;
            do {
                id = "r-" + ids.incrementAndGet();
            } while (find(id).isPresent()); // a user may have taken "r-3" by hand
            withId = rule.toBuilder().id(id).build();
        } else if (find(rule.id()).isPresent()) {
            throw new IllegalArgumentException("id: invalid value '" + rule.id()
                    + "', expected an id that no active reply rule uses");
        }
        int at = 0;
        while (at < active.size() && active.get(at).rule.priority() < withId.priority()) {
            at++; // before the first rule of the same or a lower priority: the newest of a priority comes first
        }
        active.add(at, new ActiveRule(withId));
        return withId;
    }

    /** Adds all or none: when one is invalid or its id taken, nothing changes. */
    public synchronized List<ReplyRule> addAll(List<ReplyRule> rules) {
        List<ActiveRule> before = List.copyOf(active);
        long idsBefore = ids.get();
        try {
            return rules.stream().map(this::add).toList();
        } catch (RuntimeException e) {
            active.clear();
            active.addAll(before);
            ids.set(idsBefore);
            throw e;
        }
    }

    /** Back to these rules (the configured ones, with their ids), counters at 0. */
    public synchronized void resetTo(List<ReplyRule> rules) {
        active.clear();
        addAll(rules);
    }

    @Override
    public List<ReplyRule> list() {
        return active.stream().map(r -> r.rule).toList();
    }

    @Override
    public Optional<ReplyRule> find(String id) {
        return state(id).map(r -> r.rule);
    }

    @Override
    public long answeredCount(String id) {
        return state(id).map(r -> r.answered.get()).orElse(0L);
    }

    @Override
    public synchronized boolean remove(String id) {
        return active.removeIf(r -> r.rule.id().equals(id));
    }

    @Override
    public synchronized void clear() {
        active.clear();
    }

    private Optional<ActiveRule> state(String id) {
        return active.stream().filter(r -> r.rule.id().equals(id)).findFirst();
    }

    /** A rule and how many requests it answered. */
    private static final class ActiveRule {
        final ReplyRule rule;
        final AtomicLong answered = new AtomicLong();

        ActiveRule(ReplyRule rule) {
            this.rule = rule;
        }
    }
}
