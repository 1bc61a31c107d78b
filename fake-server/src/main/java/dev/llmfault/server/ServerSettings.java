package dev.llmfault.server;

import dev.llmfault.server.internal.config.ConfigFile;
import dev.llmfault.server.internal.dialect.Aliases;
import dev.llmfault.server.internal.dialect.Dialects;
import dev.llmfault.server.internal.proxy.ProxyConfig;
import dev.llmfault.server.internal.proxy.ProxyOptions;
import dev.llmfault.server.internal.proxy.Upstream;
import org.apiguardian.api.API;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Everything a fake server starts with, and comes back to on {@link FakeLlmServer#reset()}: one immutable value
 * that {@link FakeLlmServer.Builder}, the JUnit extension's builder and annotations, the config file and the
 * standalone server's flags all produce, and the server consumes. Two settings with equal values are equal.
 *
 * <pre>{@code
 * ServerSettings settings = ServerSettings.builder()
 *         .replyText("Hi there")
 *         .chunkDelay(Duration.ofMillis(5))
 *         .scenario(Scenario.builder(Fault.OVERLOADED).every(5).build())
 *         .build();
 * try (FakeLlmServer server = FakeLlmServer.start(settings)) { ... }
 * }</pre>
 *
 * <p><b>Adding a setting</b> (for maintainers), all in this file: a field and its accessor, its line in
 * {@link #equals} and {@link #hashCode}, its field and setter in {@link Setter} (which every builder inherits:
 * {@code FakeLlmServer.Builder}, {@code LlmFaultExtension.Builder}), its copy in
 * {@link Setter#settings(ServerSettings)} and its check in {@link Setter#settings()}. Exposing it in the config
 * file, on the command line or on {@code @LlmFaultTest} is optional and does not repeat the setting: the
 * annotation maps its attributes onto the setters by name.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class ServerSettings {
    /** What every success answers unless {@link Setter#replyText(String)} says otherwise. */
    public static final String DEFAULT_REPLY_TEXT = "Hello from LLM Fault Kit. This is a deterministic reply.";
    /** The address a server binds unless told otherwise. */
    public static final String LOOPBACK = "127.0.0.1";
    /** How many requests the journal keeps unless told otherwise. */
    public static final int DEFAULT_JOURNAL_SIZE = 10_000;
    /** Request bodies larger than this get the provider's 413 unless told otherwise: 10 MiB. */
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

    private static final ServerSettings DEFAULTS = builder().build();

    private final String host;
    private final int port;
    private final boolean allowRemote;
    private final String adminToken;
    private final ReplySettings reply;
    private final int journalSize;
    private final long maxBodyBytes;
    private final long seed;
    private final Map<Provider, List<String>> models;
    private final List<Scenario> scenarios;
    private final List<ReplyRule> replies;
    private final CredentialPolicy credentials;
    private final RateLimitPolicy rateLimits;
    private final NetworkPolicy network;
    private final VersionPolicy versions;
    private final ProxyConfig proxy;
    private final Map<String, String> aliases;

    private ServerSettings(Setter<?> b) {
        this.host = b.host;
        this.port = b.port;
        this.allowRemote = b.allowRemote;
        this.adminToken = b.adminToken;
        this.reply = new ReplySettings(b.replyText, b.firstChunkDelayMs, b.chunkDelayMs);
        this.journalSize = b.journalSize;
        this.maxBodyBytes = b.maxBodyBytes;
        this.seed = b.seed;
        Map<Provider, List<String>> m = new EnumMap<>(Provider.class);
        m.putAll(b.models);
        this.models = java.util.Collections.unmodifiableMap(m);
        this.scenarios = List.copyOf(b.scenarios);
        this.replies = List.copyOf(b.replies);
        this.credentials = b.credentials;
        this.rateLimits = b.rateLimits;
        this.network = b.network;
        this.versions = b.versions;
        this.proxy = b.proxy;
        this.aliases = Collections.unmodifiableMap(new LinkedHashMap<>(b.aliases));
    }

    /** The defaults: 127.0.0.1, a free port, no scenario, no policy. */
    public static ServerSettings defaults() {
        return DEFAULTS;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these settings, to change some of them. */
    public Builder toBuilder() {
        return new Builder().settings(this);
    }

    /** The address to bind. */
    public String host() {
        return host;
    }

    /** The port to bind, 0 for a free one. */
    public int port() {
        return port;
    }

    /** Whether a non-loopback {@link #host()} may be bound. */
    public boolean allowRemote() {
        return allowRemote;
    }

    /** The token the admin API requires as {@code Authorization: Bearer}, or null when it requires none. */
    public String adminToken() {
        return adminToken;
    }

    /** What the fake model answers. */
    public ReplySettings reply() {
        return reply;
    }

    /** How many requests the journal keeps. */
    public int journalSize() {
        return journalSize;
    }

    /** Request bodies larger than this get the provider's 413. */
    public long maxBodyBytes() {
        return maxBodyBytes;
    }

    /** The default seed of probability scenarios that set none. */
    public long seed() {
        return seed;
    }

    /** The model ids each provider lists on its models endpoint. */
    public Map<Provider, List<String>> models() {
        return models;
    }

    /** The scenarios active at start and after each reset. */
    public List<Scenario> scenarios() {
        return scenarios;
    }

    /** The reply rules active at start and after each reset. */
    public List<ReplyRule> replies() {
        return replies;
    }

    /** The credential policy active at start and after each reset. */
    public Optional<CredentialPolicy> credentials() {
        return Optional.ofNullable(credentials);
    }

    /** The rate-limit policy active at start and after each reset (with empty windows). */
    public Optional<RateLimitPolicy> rateLimits() {
        return Optional.ofNullable(rateLimits);
    }

    /** The network policy active at start and after each reset. */
    public Optional<NetworkPolicy> network() {
        return Optional.ofNullable(network);
    }

    /** The version policy active at start and after each reset. */
    public Optional<VersionPolicy> versions() {
        return Optional.ofNullable(versions);
    }

    /**
     * The OpenAI-compatible vendors served by the OpenAI dialect under their own base paths: alias name to base
     * path ({@code mistral} to {@code /mistral/v1}), in the order given.
     */
    public Map<String, String> aliases() {
        return aliases;
    }

    /** The directory of recorded fixtures that answer instead of the fake model, when replaying. */
    public Optional<Path> replay() {
        return Optional.ofNullable(proxy.replayDir());
    }

    /**
     * Proxy, record and replay settings (off by default). For the server's own use: the setters of {@link Setter}
     * ({@code proxy}, {@code upstreamTimeouts}, {@code record}, {@code replay}, ...) are the API.
     */
    @API(status = API.Status.INTERNAL, since = "0.1")
    public ProxyConfig proxy() {
        return proxy;
    }

    /** The model ids each provider lists unless told otherwise: its dialect's. */
    public static Map<Provider, List<String>> defaultModels() {
        return Dialects.get().defaultModelIds();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ServerSettings s && host.equals(s.host) && port == s.port && allowRemote == s.allowRemote
                && Objects.equals(adminToken, s.adminToken) && reply.equals(s.reply) && journalSize == s.journalSize
                && maxBodyBytes == s.maxBodyBytes && seed == s.seed && models.equals(s.models)
                && scenarios.equals(s.scenarios) && replies.equals(s.replies) && Objects.equals(credentials, s.credentials)
                && Objects.equals(rateLimits, s.rateLimits) && Objects.equals(network, s.network)
                && Objects.equals(versions, s.versions) && proxy.equals(s.proxy) && aliases.equals(s.aliases);
    }

    @Override
    public int hashCode() {
        return Objects.hash(host, port, allowRemote, adminToken, reply, journalSize, maxBodyBytes, seed, models,
                scenarios, replies, credentials, rateLimits, network, versions, proxy, aliases);
    }

    /** The settings, the admin token masked. */
    @Override
    public String toString() {
        return "ServerSettings{host=" + host + ", port=" + port + ", allowRemote=" + allowRemote
                + ", adminToken=" + (adminToken == null ? "none" : Credentials.mask(adminToken)) + ", " + reply
                + ", journalSize=" + journalSize + ", maxBodyBytes=" + maxBodyBytes + ", seed=" + seed
                + ", scenarios=" + scenarios.size() + "}";
    }

    /**
     * What the fake model answers.
     *
     * @param text              the reply text (streams split it at white space)
     * @param firstChunkDelayMs delay before the first chunk of a stream, in ms
     * @param chunkDelayMs      delay between the chunks of a stream, in ms
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public record ReplySettings(String text, long firstChunkDelayMs, long chunkDelayMs) {
    }

    /** Builds {@link ServerSettings}. */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public static final class Builder extends Setter<Builder> {
        private Builder() {
        }

        /**
         * The settings.
         *
         * @throws IllegalArgumentException naming the setting, its value and what is allowed, for a bad value
         */
        public ServerSettings build() {
            return settings();
        }

        @Override
        protected Builder self() {
            return this;
        }
    }

    /**
     * The setters of every setting, shared by every builder that configures a server ({@link Builder},
     * {@link FakeLlmServer.Builder}, the JUnit extension's builder), so a setting is declared once. Later calls
     * override earlier ones, including the values of a {@link #config(Path) config file}.
     *
     * @param <B> the builder type, returned by each setter for chaining
     */
    @API(status = API.Status.EXPERIMENTAL, since = "0.1")
    public abstract static class Setter<B extends Setter<B>> {
        private String host = LOOPBACK;
        private int port;
        private boolean allowRemote;
        private String adminToken;
        private String replyText = DEFAULT_REPLY_TEXT;
        private long firstChunkDelayMs;
        private long chunkDelayMs;
        private int journalSize = DEFAULT_JOURNAL_SIZE;
        private long maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
        private long seed;
        private final Map<Provider, List<String>> models = new EnumMap<>(defaultModels());
        private final List<Scenario> scenarios = new ArrayList<>();
        private final List<ReplyRule> replies = new ArrayList<>();
        private CredentialPolicy credentials;
        private RateLimitPolicy rateLimits;
        private NetworkPolicy network;
        private VersionPolicy versions;
        private ProxyConfig proxy = ProxyConfig.NONE;
        private final Map<String, String> aliases = new LinkedHashMap<>();

        /** For subclasses in this library only. */
        protected Setter() {
        }

        /** This builder, for chaining. */
        protected abstract B self();

        /** The address to bind; only loopback addresses unless {@link #allowRemote(String)} is called. */
        public B host(String host) {
            this.host = host;
            return self();
        }

        /** The port to bind, 0 (the default) for a free one. */
        public B port(int port) {
            this.port = port;
            return self();
        }

        /** Allows a non-loopback host; the admin API then requires this token as {@code Authorization: Bearer}. */
        public B allowRemote(String adminToken) {
            this.allowRemote = true;
            this.adminToken = adminToken;
            return self();
        }

        /**
         * A token the admin API requires as {@code Authorization: Bearer}, on loopback too; null for none
         * (allowed on loopback only).
         */
        public B adminToken(String adminToken) {
            this.adminToken = adminToken;
            return self();
        }

        /** The text every success answers with (streams split it at white space). */
        public B replyText(String text) {
            this.replyText = text;
            return self();
        }

        /** The delay before the first chunk of every stream. */
        public B firstChunkDelay(Duration delay) {
            this.firstChunkDelayMs = delay.toMillis();
            return self();
        }

        /** The delay between the chunks of every stream. */
        public B chunkDelay(Duration delay) {
            this.chunkDelayMs = delay.toMillis();
            return self();
        }

        /** How many requests the journal keeps (default 10,000; the oldest are dropped). */
        public B journalSize(int entries) {
            this.journalSize = entries;
            return self();
        }

        /** Bodies larger than this get the provider's 413 (default 10 MiB). */
        public B maxBodyBytes(long bytes) {
            this.maxBodyBytes = bytes;
            return self();
        }

        /** The default seed of probability scenarios that set none. */
        public B seed(long seed) {
            this.seed = seed;
            return self();
        }

        /** The model ids a provider lists on its models endpoint. */
        public B models(Provider provider, String... ids) {
            this.models.put(Objects.requireNonNull(provider, "provider"), List.of(ids));
            return self();
        }

        /** A scenario active from the start and restored by every reset. */
        public B scenario(Scenario scenario) {
            this.scenarios.add(Objects.requireNonNull(scenario, "scenario"));
            return self();
        }

        /** The scenarios active from the start, replacing those given so far. */
        public B scenarios(List<Scenario> scenarios) {
            this.scenarios.clear();
            scenarios.forEach(this::scenario);
            return self();
        }

        /**
         * A reply rule active from the start and restored by every reset.
         *
         * <pre>{@code
         * FakeLlmServer.builder()
         *         .reply(ReplyRule.builder().matchLastUserMessage("weather")
         *                 .sequence(Reply.toolCall("get_weather", Map.of("city", "Paris")), Reply.text("18°C"))
         *                 .build())
         *         .start();
         * }</pre>
         */
        public B reply(ReplyRule rule) {
            this.replies.add(Objects.requireNonNull(rule, "rule"));
            return self();
        }

        /** A reply for every model call that no other rule answers: {@code reply(ReplyRule.of(reply))}. */
        public B reply(Reply reply) {
            return reply(ReplyRule.of(reply));
        }

        /** A credential policy active from the start and restored by every reset. */
        public B credentials(CredentialPolicy policy) {
            this.credentials = policy;
            return self();
        }

        /** A rate-limit policy active from the start and restored (with empty windows) by every reset. */
        public B rateLimits(RateLimitPolicy policy) {
            this.rateLimits = policy;
            return self();
        }

        /** A network policy active from the start. */
        public B network(NetworkPolicy policy) {
            this.network = policy;
            return self();
        }

        /** A version policy active from the start. */
        public B versions(VersionPolicy policy) {
            this.versions = policy;
            return self();
        }

        /**
         * Proxy mode for one provider: its requests are validated, run through scenarios and policies as usual, and
         * when nothing refuses or injects, forwarded to {@code upstream} with the client's own credential; the
         * answer goes back unchanged (streams frame by frame). Faults act on forwarded answers too.
         *
         * <pre>{@code
         * FakeLlmServer.builder().proxy(Provider.OPENAI, URI.create("https://api.openai.com"), "OPENAI_API_KEY").start();
         * }</pre>
         *
         * @param keyEnv the environment variable whose key replaces the client's credential upstream (so tests
         *               never hold a real key), or null to forward the client's own
         */
        public B proxy(Provider provider, URI upstream, String keyEnv) {
            this.proxy = proxy.withUpstream(new Upstream(provider, upstream, keyEnv));
            return self();
        }

        /** Proxy mode with the client's own credential forwarded; see {@link #proxy(Provider, URI, String)}. */
        public B proxy(Provider provider, URI upstream) {
            return proxy(provider, upstream, null);
        }

        /** How long the proxy waits for an upstream connection and for the answer's headers. */
        public B upstreamTimeouts(Duration connect, Duration headers) {
            ProxyOptions o = proxy.options();
            this.proxy = proxy.withOptions(new ProxyOptions(connect.toMillis(), headers.toMillis(), o.trustStore(),
                    o.trustStorePassword()));
            return self();
        }

        /** A trust store (PKCS12 or JKS) for upstreams whose certificate the JDK does not trust. */
        public B upstreamTrustStore(Path store, char[] password) {
            ProxyOptions o = proxy.options();
            this.proxy = proxy.withOptions(new ProxyOptions(o.connectTimeoutMs(), o.readTimeoutMs(), store, password));
            return self();
        }

        /**
         * Records every forwarded exchange that no fault touched as one JSON fixture file in {@code dir},
         * credentials dropped and key-shaped strings scrubbed (plus {@code extraScrubPatterns}).
         */
        public B record(Path dir, String... extraScrubPatterns) {
            this.proxy = proxy.withRecordDir(dir, List.of(extraScrubPatterns));
            return self();
        }

        /**
         * Answers from the fixtures in {@code dir} (strict: a request no fixture matches gets the provider's error
         * naming the closest one), with the recorded stream timing.
         */
        public B replay(Path dir) {
            return replay(dir, 1.0, true);
        }

        /**
         * Answers from the fixtures in {@code dir}.
         *
         * @param speed          scale of the recorded stream timing (0 for none)
         * @param strict         false to answer unmatched requests with the default reply
         * @param volatileFields request body fields ignored when matching ({@code user}, a timestamp)
         */
        public B replay(Path dir, double speed, boolean strict, String... volatileFields) {
            this.proxy = proxy.withReplay(dir, speed, strict, Set.of(volatileFields));
            return self();
        }

        /**
         * Serves an OpenAI-compatible vendor (Mistral, Groq, Together, DeepSeek, OpenRouter, vLLM, LM Studio ...)
         * with the OpenAI dialect under its own base path; its requests are journaled with the alias's name. A
         * name given again replaces its path. The name is lower-case letters, digits, '.', '_' or '-'; the path
         * may not clash with a provider's own routes ({@code /v1} is OpenAI's).
         *
         * <pre>{@code
         * FakeLlmServer server = FakeLlmServer.builder().alias("mistral", "/mistral/v1").start();
         * URI mistral = server.baseUrl("mistral"); // http://127.0.0.1:PORT/mistral/v1
         * }</pre>
         */
        public B alias(String name, String basePath) {
            this.aliases.put(name, basePath);
            return self();
        }

        /**
         * {@link #alias(String, String)} for each {@code NAME=/BASE/PATH}, the form of {@code --alias} and of
         * {@code @LlmFaultTest(aliases = "mistral=/mistral/v1")}.
         *
         * @throws IllegalArgumentException naming a value that has no {@code =}
         */
        public B aliases(String... specs) {
            for (String spec : specs) {
                Map.Entry<String, String> alias = Aliases.parse(spec);
                alias(alias.getKey(), alias.getValue());
            }
            return self();
        }

        /** The proxy, record and replay settings at once: for the config file and the command line. */
        @API(status = API.Status.INTERNAL, since = "0.1")
        public B proxy(ProxyConfig proxy) {
            this.proxy = Objects.requireNonNull(proxy, "proxy");
            return self();
        }

        /**
         * Reads a YAML or JSON config file over the current values; fails naming the file, line and field of a
         * bad value, and then changes nothing.
         */
        public B config(Path file) {
            return settings(ConfigFile.read(file, settings()));
        }

        /** Every setting at once, replacing the current values. */
        public B settings(ServerSettings s) {
            host = s.host;
            port = s.port;
            allowRemote = s.allowRemote;
            adminToken = s.adminToken;
            replyText = s.reply.text();
            firstChunkDelayMs = s.reply.firstChunkDelayMs();
            chunkDelayMs = s.reply.chunkDelayMs();
            journalSize = s.journalSize;
            maxBodyBytes = s.maxBodyBytes;
            seed = s.seed;
            models.clear();
            models.putAll(s.models);
            scenarios.clear();
            scenarios.addAll(s.scenarios);
            replies.clear();
            replies.addAll(s.replies);
            credentials = s.credentials;
            rateLimits = s.rateLimits;
            network = s.network;
            versions = s.versions;
            proxy = s.proxy;
            aliases.clear();
            aliases.putAll(s.aliases);
            return self();
        }

        /**
         * The settings so far.
         *
         * @throws IllegalArgumentException naming the setting, its value and what is allowed, for a bad value
         */
        public ServerSettings settings() {
            if (port < 0 || port > 65535) throw invalid("port", port, "0 (any free port) to 65535");
            if (journalSize < 0) throw invalid("journalSize", journalSize, "an integer >= 0");
            if (maxBodyBytes < 1) throw invalid("maxBodyBytes", maxBodyBytes, "an integer >= 1");
            if (host == null || host.isBlank()) throw invalid("host", host, "an IP address or host name");
            if (adminToken != null && adminToken.isBlank()) throw invalid("adminToken", "", "a non-blank token or none");
            if (replyText == null) throw invalid("replyText", null, "a string");
            if (firstChunkDelayMs < 0) throw invalid("firstChunkDelayMs", firstChunkDelayMs, "an integer >= 0");
            if (chunkDelayMs < 0) throw invalid("chunkDelayMs", chunkDelayMs, "an integer >= 0");
            Aliases.check(aliases);
            return new ServerSettings(this);
        }

        private static IllegalArgumentException invalid(String field, Object value, String expected) {
            return new IllegalArgumentException(field + ": invalid value "
                    + (value instanceof String ? "'" + value + "'" : value) + ", expected " + expected);
        }
    }
}
