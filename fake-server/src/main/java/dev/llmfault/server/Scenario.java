package dev.llmfault.server;

import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.config.Checks;
import dev.llmfault.server.internal.journal.Secrets;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One fault-injection rule: which fault, on which requests, how often. Immutable; build one with
 * {@link #builder(Fault)}. The same shape is accepted by the admin API ({@code POST /__admin/scenarios})
 * and the config file.
 *
 * <pre>{@code
 * server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED)
 *         .provider(Provider.OPENAI)
 *         .times(2)               // the first two matching requests get a 429, then they pass
 *         .retryAfterMs(200)
 *         .matchModel("gpt-4o")
 *         .build());
 * }</pre>
 *
 * <p>Triggers combine: a request that matches counts as the n-th match (from 0); the scenario fires when
 * {@code n >= after}, {@code (n - after) % every == 0}, the time since creation lies in
 * {@code [fromMs, untilMs)}, the seeded coin for n lands under {@code probability}, and fewer than
 * {@code times} faults were injected. The seeded coin depends only on the seed and n, so the same seed
 * gives the same decisions run after run.
 *
 * <p>An API key to match on is kept only as a fingerprint and a mask: the scenario never holds the key.
 */
@API(status = API.Status.STABLE, since = "0.1")
public final class Scenario {
    private final String id;
    private final Fault fault;
    private final Provider provider;
    private final Integer times;
    private final int after;
    private final Integer every;
    private final double probability;
    private final Long seed;
    private final Long fromMs;
    private final Long untilMs;
    private final Long retryAfterMs;
    private final Boolean shouldRetry;
    private final Long delayMs;
    private final Integer afterChunks;
    private final Integer status;
    private final Map<String, String> headers;
    private final String body;
    private final Match match;

    private Scenario(Builder b) {
        this.id = b.id;
        this.fault = b.fault;
        this.provider = b.provider;
        this.times = b.times;
        this.after = b.after;
        this.every = b.every;
        this.probability = b.probability;
        this.seed = b.seed;
        this.fromMs = b.fromMs;
        this.untilMs = b.untilMs;
        this.retryAfterMs = b.retryAfterMs;
        this.shouldRetry = b.shouldRetry;
        this.delayMs = b.delayMs;
        this.afterChunks = b.afterChunks;
        this.status = b.status;
        this.headers = Collections.unmodifiableMap(new LinkedHashMap<>(b.headers));
        this.body = b.body;
        this.match = new Match(b.matchPath, b.matchModel, b.matchKeyFingerprint, b.matchKeyMask,
                Collections.unmodifiableMap(new LinkedHashMap<>(b.matchHeaders)));
    }

    /** Starts a scenario for the given fault; every other field is optional. */
    public static Builder builder(Fault fault) {
        return new Builder(fault);
    }

    /** A builder holding this scenario's values, to derive a changed copy. */
    public Builder toBuilder() {
        Builder b = new Builder(fault);
        b.id = id;
        b.provider = provider;
        b.times = times;
        b.after = after;
        b.every = every;
        b.probability = probability;
        b.seed = seed;
        b.fromMs = fromMs;
        b.untilMs = untilMs;
        b.retryAfterMs = retryAfterMs;
        b.shouldRetry = shouldRetry;
        b.delayMs = delayMs;
        b.afterChunks = afterChunks;
        b.status = status;
        b.headers.putAll(headers);
        b.body = body;
        b.matchPath = match.path;
        b.matchModel = match.model;
        b.matchKeyFingerprint = match.apiKeyFingerprint;
        b.matchKeyMask = match.apiKeyMask;
        b.matchHeaders.putAll(match.headers);
        return b;
    }

    /** The id the server gave this scenario, or the one set by the builder; null before it is added. */
    public String id() { return id; }
    public Fault fault() { return fault; }
    /** The provider it applies to, or null for every provider. */
    public Provider provider() { return provider; }
    /** Inject at most this many faults, or null for no limit. */
    public Integer times() { return times; }
    /** Let the first {@code after} matching requests pass before injecting. */
    public int after() { return after; }
    /** Inject on every k-th eligible match, or null for every one. */
    public Integer every() { return every; }
    public double probability() { return probability; }
    /** The seed of the probability coin, or null to use the server's seed. */
    public Long seed() { return seed; }
    /** Active from this many ms after creation, or null from the start. */
    public Long fromMs() { return fromMs; }
    /** Active until this many ms after creation, or null for ever. */
    public Long untilMs() { return untilMs; }
    public Long retryAfterMs() { return retryAfterMs; }
    public Boolean shouldRetry() { return shouldRetry; }
    public Long delayMs() { return delayMs; }
    public Integer afterChunks() { return afterChunks; }
    /** A status that replaces the catalogue's, or null. */
    public Integer status() { return status; }
    /** Headers added to (or replacing) the catalogue's. */
    public Map<String, String> headers() { return headers; }
    /** A body template that replaces the catalogue's, or null. See {@link Builder#body(String)}. */
    public String body() { return body; }
    public Match match() { return match; }

    @Override
    public String toString() {
        return "Scenario{id=" + id + ", fault=" + fault + (provider == null ? "" : ", provider=" + provider)
                + (times == null ? "" : ", times=" + times) + (after == 0 ? "" : ", after=" + after)
                + (every == null ? "" : ", every=" + every)
                + (probability == 1.0 ? "" : ", probability=" + probability) + ", match=" + match + "}";
    }

    /**
     * Which requests a scenario applies to; every field is optional and they all must hold.
     * The API key is kept as a fingerprint (SHA-256) and a mask only.
     */
    public static final class Match {
        private final String path;
        private final String model;
        private final String apiKeyFingerprint;
        private final String apiKeyMask;
        private final Map<String, String> headers;

        Match(String path, String model, String apiKeyFingerprint, String apiKeyMask, Map<String, String> headers) {
            this.path = path;
            this.model = model;
            this.apiKeyFingerprint = apiKeyFingerprint;
            this.apiKeyMask = apiKeyMask;
            this.headers = headers;
        }

        public String path() { return path; }
        public String model() { return model; }
        /** The SHA-256 fingerprint of the API key to match, or null. */
        public String apiKeyFingerprint() { return apiKeyFingerprint; }
        /** The masked API key to match (for display), or null. */
        public String apiKeyMask() { return apiKeyMask; }
        /** Header names (lower case) and the exact values they must carry. */
        public Map<String, String> headers() { return headers; }

        @Override
        public String toString() {
            return "{" + (path == null ? "" : "path=" + path + " ") + (model == null ? "" : "model=" + model + " ")
                    + (apiKeyMask == null ? "" : "apiKey=" + apiKeyMask + " ")
                    + (headers.isEmpty() ? "" : "headers=" + headers) + "}";
        }
    }

    /** Builds a {@link Scenario}; {@link #build()} checks every value and names the one that is wrong. */
    public static final class Builder {
        private String id;
        private final Fault fault;
        private Provider provider;
        private Integer times;
        private int after;
        private Integer every;
        private double probability = 1.0;
        private Long seed;
        private Long fromMs;
        private Long untilMs;
        private Long retryAfterMs;
        private Boolean shouldRetry;
        private Long delayMs;
        private Integer afterChunks;
        private Integer status;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private String matchPath;
        private String matchModel;
        private String matchKeyFingerprint;
        private String matchKeyMask;
        private final Map<String, String> matchHeaders = new LinkedHashMap<>();

        private Builder(Fault fault) {
            this.fault = Objects.requireNonNull(fault, "fault");
        }

        public Builder id(String id) { this.id = id; return this; }
        public Builder provider(Provider provider) { this.provider = provider; return this; }
        /** Inject at most this many faults (1 or more); left unset, no limit. 0 is refused by {@link #build()}. */
        public Builder times(int times) { this.times = times; return this; }
        public Builder after(int after) { this.after = after; return this; }
        public Builder every(int every) { this.every = every; return this; }
        public Builder probability(double probability) { this.probability = probability; return this; }
        public Builder seed(long seed) { this.seed = seed; return this; }
        public Builder fromMs(long fromMs) { this.fromMs = fromMs; return this; }
        public Builder untilMs(long untilMs) { this.untilMs = untilMs; return this; }
        /** Sets {@code Retry-After} (seconds, rounded up) and, where the provider uses it, {@code retry-after-ms}. */
        public Builder retryAfterMs(long retryAfterMs) { this.retryAfterMs = retryAfterMs; return this; }
        /** Adds {@code x-should-retry: true|false}, which the official SDKs obey before anything else. */
        public Builder shouldRetry(boolean shouldRetry) { this.shouldRetry = shouldRetry; return this; }
        /**
         * The delay of {@link Fault#SLOW_RESPONSE}; for {@link Fault#STREAM_STALLED}, how long the stall lasts before
         * the connection is cut (left unset: until the client gives up).
         */
        public Builder delayMs(long delayMs) { this.delayMs = delayMs; return this; }
        /** How many content deltas (pieces of text or of tool-call arguments) a stream fault lets through first. */
        public Builder afterChunks(int afterChunks) { this.afterChunks = afterChunks; return this; }
        /** Replaces the catalogue's status, to model a gateway of your own. */
        public Builder status(int status) { this.status = status; return this; }
        /** Adds a response header, replacing the catalogue's header of that name. */
        public Builder header(String name, String value) { this.headers.put(name, value); return this; }
        /**
         * Replaces the catalogue's body with a template. Placeholders: {@code {requestId}}, {@code {model}},
         * {@code {keyMask}}, {@code {retrySeconds}}, {@code {status}}, {@code {fault}} and the others of the
         * catalogue; an unknown {@code {name}} is refused by {@link #build()}.
         */
        public Builder body(String bodyTemplate) { this.body = bodyTemplate; return this; }
        /** Only requests to this exact path (for example {@code /v1/chat/completions}). */
        public Builder matchPath(String path) { this.matchPath = path; return this; }
        /** Only requests for this model (the {@code model} field of the body). */
        public Builder matchModel(String model) { this.matchModel = model; return this; }
        /**
         * Only requests sent with this API key or token, or with a token of the server's {@code POST /oauth/token}
         * issued to this key as client secret ({@link JournalEntry#keyScope()}). Only its fingerprint and mask are kept.
         */
        public Builder matchApiKey(String apiKey) {
            if (apiKey == null) {
                this.matchKeyFingerprint = null;
                this.matchKeyMask = null;
            } else {
                this.matchKeyFingerprint = Secrets.fingerprint(apiKey);
                this.matchKeyMask = Secrets.mask(apiKey);
            }
            return this;
        }
        /**
         * Only requests whose credential has this SHA-256 fingerprint (hex); the mask is for display.
         * Lets a client forward a scenario to a remote server without ever holding the key.
         */
        public Builder matchApiKeyFingerprint(String fingerprint, String mask) {
            this.matchKeyFingerprint = fingerprint;
            this.matchKeyMask = mask;
            return this;
        }
        /** Only requests whose header {@code name} has exactly this value. */
        public Builder matchHeader(String name, String value) {
            this.matchHeaders.put(name.toLowerCase(Locale.ROOT), value);
            return this;
        }

        /** Checks every value; an {@link IllegalArgumentException} names the field, the value and what is allowed. */
        public Scenario build() {
            // 0 is refused rather than read as "never" or "no limit": leaving times out is the one way to say no limit
            if (times != null && times < 1) throw invalid("times", times, "an integer >= 1; for no limit leave times"
                    + " out (in an annotation: LlmFaultScenario.UNLIMITED, the default)");
            if (after < 0) throw invalid("after", after, "an integer >= 0");
            if (every != null && every < 1) throw invalid("every", every, "an integer >= 1");
            if (!(probability >= 0.0 && probability <= 1.0)) throw invalid("probability", probability, "a number from 0.0 to 1.0");
            if (fromMs != null && fromMs < 0) throw invalid("fromMs", fromMs, "an integer >= 0");
            if (untilMs != null && untilMs < 0) throw invalid("untilMs", untilMs, "an integer >= 0");
            if (fromMs != null && untilMs != null && untilMs <= fromMs)
                throw invalid("untilMs", untilMs, "a value greater than fromMs (" + fromMs + ")");
            if (retryAfterMs != null && retryAfterMs < 0) throw invalid("retryAfterMs", retryAfterMs, "an integer >= 0");
            if (delayMs != null && delayMs < 0) throw invalid("delayMs", delayMs, "an integer >= 0");
            if (afterChunks != null && afterChunks < 0) throw invalid("afterChunks", afterChunks, "an integer >= 0");
            if (status != null && (status < 100 || status > 599)) throw invalid("status", status, "an HTTP status from 100 to 599");
            for (Map.Entry<String, String> h : headers.entrySet()) Checks.header("headers", h.getKey(), h.getValue());
            checkPlaceholders("body", body);
            for (Map.Entry<String, String> h : headers.entrySet()) checkPlaceholders("headers." + h.getKey(), h.getValue());
            for (Map.Entry<String, String> h : matchHeaders.entrySet()) Checks.header("match.headers", h.getKey(), h.getValue());
            Checks.path("match.path", matchPath);
            Checks.fingerprint("match.apiKeyFingerprint", matchKeyFingerprint);
            Checks.id(id);
            return new Scenario(this);
        }

        /** A {@code {name}} of letters that is no placeholder would reach the client unfilled: a typo, refused here. */
        private static void checkPlaceholders(String field, String template) {
            String unknown = Placeholder.firstUnknown(template);
            if (unknown != null) {
                throw new IllegalArgumentException(field + ": unknown placeholder {" + unknown + "}, allowed: "
                        + Placeholder.allowed());
            }
        }

        private static IllegalArgumentException invalid(String field, Object value, String allowed) {
            return Checks.invalid(field, value, allowed);
        }
    }
}
