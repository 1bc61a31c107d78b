package dev.llmfault.server;

import dev.llmfault.server.internal.config.Checks;
import dev.llmfault.server.internal.journal.Secrets;
import org.apiguardian.api.API;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A scripted answer of the fake model: which model calls it answers (provider, model, key, path, a header, the
 * last user message, the conversation's turn, whether it carries tool results) and what it answers, one
 * {@link Reply} or a sequence of them. The same shape is accepted by the admin API
 * ({@code POST /__admin/replies}), the config file ({@code replies:}) and {@code @LlmReply}.
 *
 * <pre>{@code
 * server.replies().add(ReplyRule.builder()
 *         .matchLastUserMessage("weather")
 *         .sequence(Reply.toolCall("get_weather", Map.of("city", "Paris")),   // turn 1: call the tool
 *                   Reply.text("It is 18°C in Paris."))                      // turn 2, with the result: answer
 *         .build());
 * }</pre>
 *
 * <p><b>Which rule answers</b> (as in WireMock): the rule of the highest priority (1 is the highest; the
 * default is {@value #DEFAULT_PRIORITY}) among those that match, and among rules of the same priority the one
 * added last, so a test's rule overrides the class's or the config file's. A request no rule matches gets the
 * server's default reply ({@code replyText}, or a document valid against the schema when structured output
 * is asked for). Injected faults come first: a scenario that fires answers instead of any rule.
 *
 * <p><b>Sequences</b> answer by the conversation's turn ({@link Conversation#turn()}: one more than the
 * assistant messages the request carries), not by arrival: turn 1 gets the first reply, turn 2 the second, and
 * a retried request the same reply again. A turn past the last reply is not matched by the rule: it goes to the
 * next matching rule, or the default reply, so an agent loop always ends.
 *
 * <p>An API key to match on is kept only as a fingerprint and a mask: the rule never holds the key.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ReplyRule {
    /** The priority of a rule that sets none: WireMock's default, so 1 to 4 rank above it and 6 and more below. */
    public static final int DEFAULT_PRIORITY = 5;

    private final String id;
    private final Provider provider;
    private final int priority;
    private final List<Reply> replies;
    /** A sequence answers turns 1..n only, even when it holds one reply; a single reply answers every turn. */
    private final boolean sequence;
    private final Match match;

    private ReplyRule(Builder b) {
        this.id = b.id;
        this.provider = b.provider;
        this.priority = b.priority == null ? DEFAULT_PRIORITY : b.priority;
        this.replies = b.replies;
        this.sequence = b.sequence;
        this.match = new Match(b.matchPath, b.matchModel, b.matchKeyFingerprint, b.matchKeyMask,
                Collections.unmodifiableMap(new LinkedHashMap<>(b.matchHeaders)), b.lastUserMessage,
                b.lastUserMessageRegex == null ? null : Pattern.compile(b.lastUserMessageRegex), b.turn, b.hasToolResult);
    }

    /** Starts a rule; give it a {@link Builder#reply(Reply)} or a {@link Builder#sequence(Reply...)}. */
    public static Builder builder() {
        return new Builder();
    }

    /** A rule that answers every model call with this reply (unless a rule of higher priority or newer matches). */
    public static ReplyRule of(Reply reply) {
        return builder().reply(reply).build();
    }

    /** A builder holding this rule's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.id = id;
        b.provider = provider;
        b.priority = priority;
        b.replies = replies;
        b.sequence = sequence;
        b.matchPath = match.path;
        b.matchModel = match.model;
        b.matchKeyFingerprint = match.apiKeyFingerprint;
        b.matchKeyMask = match.apiKeyMask;
        b.matchHeaders.putAll(match.headers);
        b.lastUserMessage = match.lastUserMessage;
        b.lastUserMessageRegex = match.lastUserMessageRegex == null ? null : match.lastUserMessageRegex.pattern();
        b.turn = match.turn;
        b.hasToolResult = match.hasToolResult;
        return b;
    }

    /** The id the server gave the rule ({@code r-1}, ...), or the one set by the builder; null before it is added. */
    public String id() { return id; }
    /** The provider it applies to, or null for every provider. */
    public Provider provider() { return provider; }
    /** 1 is the highest; see the class comment. */
    public int priority() { return priority; }
    /** The replies: one, or the sequence answering turns 1, 2, 3 ... */
    public List<Reply> replies() { return replies; }
    /** Whether the replies answer turns 1, 2, 3 ... (a sequence of one reply answers turn 1 only). */
    public boolean isSequence() { return sequence; }
    public Match match() { return match; }

    /**
     * The reply for a conversation's turn: the one reply of a single rule, the turn's of a sequence, or null when
     * a sequence has no reply for that turn.
     */
    public Reply replyFor(int turn) {
        if (!isSequence()) {
            return replies.get(0);
        }
        return turn >= 1 && turn <= replies.size() ? replies.get(turn - 1) : null;
    }

    @Override
    public String toString() {
        return "ReplyRule{id=" + id + (provider == null ? "" : ", provider=" + provider)
                + (priority == DEFAULT_PRIORITY ? "" : ", priority=" + priority) + ", match=" + match
                + (isSequence() ? ", sequence=" : ", reply=") + (isSequence() ? replies : replies.get(0)) + "}";
    }

    /**
     * Which model calls a rule answers; every field is optional and they all must hold. The API key is kept as a
     * fingerprint (SHA-256) and a mask only. Texts compare case-sensitively.
     */
    public static final class Match {
        private final String path;
        private final String model;
        private final String apiKeyFingerprint;
        private final String apiKeyMask;
        private final Map<String, String> headers;
        private final String lastUserMessage;
        private final Pattern lastUserMessageRegex;
        private final Integer turn;
        private final Boolean hasToolResult;

        Match(String path, String model, String apiKeyFingerprint, String apiKeyMask, Map<String, String> headers,
              String lastUserMessage, Pattern lastUserMessageRegex, Integer turn, Boolean hasToolResult) {
            this.path = path;
            this.model = model;
            this.apiKeyFingerprint = apiKeyFingerprint;
            this.apiKeyMask = apiKeyMask;
            this.headers = headers;
            this.lastUserMessage = lastUserMessage;
            this.lastUserMessageRegex = lastUserMessageRegex;
            this.turn = turn;
            this.hasToolResult = hasToolResult;
        }

        public String path() { return path; }
        public String model() { return model; }
        /** The SHA-256 fingerprint of the API key to match, or null. */
        public String apiKeyFingerprint() { return apiKeyFingerprint; }
        /** The masked API key to match (for display), or null. */
        public String apiKeyMask() { return apiKeyMask; }
        /** Header names (lower case) and the exact values they must carry. */
        public Map<String, String> headers() { return headers; }
        /** A text the last user message must contain, or null. */
        public String lastUserMessage() { return lastUserMessage; }
        /** A regular expression found somewhere in the last user message ({@code ^...$} to match all of it), or null. */
        public Pattern lastUserMessageRegex() { return lastUserMessageRegex; }
        /** The conversation turn (from 1) to answer, or null for any. */
        public Integer turn() { return turn; }
        /** Whether the conversation must (true) or must not (false) end with tool results, or null for either. */
        public Boolean hasToolResult() { return hasToolResult; }

        /** Whether the match looks into the conversation (then the server reads it from the body). */
        public boolean needsConversation() {
            return lastUserMessage != null || lastUserMessageRegex != null || turn != null || hasToolResult != null;
        }

        @Override
        public String toString() {
            StringBuilder s = new StringBuilder("{");
            if (path != null) s.append("path=").append(path).append(' ');
            if (model != null) s.append("model=").append(model).append(' ');
            if (apiKeyMask != null) s.append("apiKey=").append(apiKeyMask).append(' ');
            if (!headers.isEmpty()) s.append("headers=").append(headers).append(' ');
            if (lastUserMessage != null) s.append("lastUserMessage=\"").append(lastUserMessage).append("\" ");
            if (lastUserMessageRegex != null) s.append("lastUserMessageRegex=/").append(lastUserMessageRegex).append("/ ");
            if (turn != null) s.append("turn=").append(turn).append(' ');
            if (hasToolResult != null) s.append("hasToolResult=").append(hasToolResult).append(' ');
            return s.toString().trim() + "}";
        }
    }

    /** Builds a {@link ReplyRule}; {@link #build()} checks every value and names the one that is wrong. */
    public static final class Builder {
        private String id;
        private Provider provider;
        private Integer priority;
        private List<Reply> replies = List.of();
        private boolean sequence;
        private String matchPath;
        private String matchModel;
        private String matchKeyFingerprint;
        private String matchKeyMask;
        private final Map<String, String> matchHeaders = new LinkedHashMap<>();
        private String lastUserMessage;
        private String lastUserMessageRegex;
        private Integer turn;
        private Boolean hasToolResult;

        private Builder() {
        }

        public Builder id(String id) { this.id = id; return this; }
        /** Only calls of this provider's API. */
        public Builder provider(Provider provider) { this.provider = provider; return this; }
        /** 1 is the highest, {@value ReplyRule#DEFAULT_PRIORITY} the default; see {@link ReplyRule}. */
        public Builder priority(int priority) { this.priority = priority; return this; }

        /** The one reply of the rule (replaces a sequence). */
        public Builder reply(Reply reply) {
            this.replies = reply == null ? null : List.of(reply);
            this.sequence = false;
            return this;
        }

        /** The replies of turns 1, 2, 3 ... of a conversation; a later turn is not matched (see {@link ReplyRule}). */
        public Builder sequence(Reply... replies) {
            return sequence(List.of(replies));
        }

        /** The replies of turns 1, 2, 3 ... of a conversation. */
        public Builder sequence(List<Reply> replies) {
            this.replies = List.copyOf(replies);
            this.sequence = true;
            return this;
        }

        /** Only requests to this exact path (for example {@code /v1/chat/completions}). */
        public Builder matchPath(String path) { this.matchPath = path; return this; }
        /** Only requests for this model. */
        public Builder matchModel(String model) { this.matchModel = model; return this; }

        /**
         * Only requests sent with this API key or token, or with a token of the server's {@code POST /oauth/token}
         * issued to this key as client secret ({@link JournalEntry#keyScope()}). Only its fingerprint and mask are kept.
         */
        public Builder matchApiKey(String apiKey) {
            this.matchKeyFingerprint = apiKey == null ? null : Secrets.fingerprint(apiKey);
            this.matchKeyMask = apiKey == null ? null : Secrets.mask(apiKey);
            return this;
        }

        /** Only requests whose credential has this SHA-256 fingerprint (hex); the mask is for display. */
        public Builder matchApiKeyFingerprint(String fingerprint, String mask) {
            this.matchKeyFingerprint = fingerprint;
            this.matchKeyMask = mask;
            return this;
        }

        /** Only requests whose header {@code name} has exactly this value. */
        public Builder matchHeader(String name, String value) {
            this.matchHeaders.put(name == null ? null : name.toLowerCase(Locale.ROOT), value);
            return this;
        }

        /** Only conversations whose last user message contains this text (case-sensitive). */
        public Builder matchLastUserMessage(String substring) { this.lastUserMessage = substring; return this; }

        /** Only conversations whose last user message contains a match of this Java regular expression. */
        public Builder matchLastUserMessageRegex(String regex) { this.lastUserMessageRegex = regex; return this; }

        /** Only this turn of a conversation (1 for the first call, 2 after one assistant answer, ...). */
        public Builder matchTurn(int turn) { this.turn = turn; return this; }

        /** Only conversations that end (true) or do not end (false) with tool results. */
        public Builder matchHasToolResult(boolean hasToolResult) { this.hasToolResult = hasToolResult; return this; }

        /** Checks every value; an {@link IllegalArgumentException} names the field, the value and what is allowed. */
        public ReplyRule build() {
            if (replies == null || replies.isEmpty()) {
                throw new IllegalArgumentException("reply: a rule needs what to answer: text, toolCalls or json (or a"
                        + " sequence of them)");
            }
            for (int i = 0; i < replies.size(); i++) {
                if (replies.get(i) == null) throw Checks.invalid("sequence[" + i + "]", null, "a reply");
            }
            if (priority != null && priority < 1) throw Checks.invalid("priority", priority, "an integer >= 1 (1 is the highest)");
            if (turn != null && turn < 1) throw Checks.invalid("match.turn", turn, "an integer >= 1 (the first call is turn 1)");
            if (turn != null && sequence) {
                throw Checks.invalid("match.turn", turn, "no turn on a sequence: a sequence answers turns 1 to "
                        + replies.size() + " by itself; use single rules with match.turn instead");
            }
            if (lastUserMessage != null && lastUserMessage.isEmpty()) {
                throw Checks.invalid("match.lastUserMessage", lastUserMessage, "a non-empty text (or leave it out)");
            }
            if (lastUserMessageRegex != null) {
                try {
                    Pattern.compile(lastUserMessageRegex);
                } catch (PatternSyntaxException e) {
                    throw Checks.invalid("match.lastUserMessageRegex", lastUserMessageRegex, "a Java regular expression ("
                            + e.getDescription() + " near index " + e.getIndex() + ")");
                }
            }
            for (Map.Entry<String, String> h : matchHeaders.entrySet()) Checks.header("match.headers", h.getKey(), h.getValue());
            Checks.path("match.path", matchPath);
            Checks.fingerprint("match.apiKeyFingerprint", matchKeyFingerprint);
            Checks.id(id);
            return new ReplyRule(this);
        }
    }
}
