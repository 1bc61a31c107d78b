package dev.llmfault.server;

import dev.llmfault.server.internal.config.ConfigFile;
import dev.llmfault.server.internal.config.ServerSettings;
import dev.llmfault.server.internal.config.SettingsDraft;
import dev.llmfault.server.internal.ServerBackend;
import dev.llmfault.server.internal.http.ServerRuntime;
import dev.llmfault.server.internal.remote.RemoteBackend;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * A fake LLM provider speaking the wire formats of OpenAI, Anthropic, Cohere and Zhipu GLM at once,
 * injecting faults on demand and recording every request. Bound to 127.0.0.1 on a free port by default.
 *
 * <pre>{@code
 * try (FakeLlmServer server = FakeLlmServer.builder()
 *         .scenario(Scenario.builder(Fault.RATE_LIMITED).times(2).retryAfterMs(100).build())
 *         .start()) {
 *     OpenAIClient client = OpenAIOkHttpClient.builder()
 *             .baseUrl(server.baseUrl(Provider.OPENAI).toString())
 *             .apiKey("sk-test")
 *             .build();
 *     ... call it, then look at server.journal() ...
 * }
 * }</pre>
 *
 * <p>Thread-safe. Many servers may run in one JVM; {@link #close()} frees the port and every thread.
 */
public final class FakeLlmServer implements AutoCloseable {
    /** What every success answers unless {@link Builder#replyText(String)} says otherwise. */
    public static final String DEFAULT_REPLY_TEXT = ServerSettings.ReplySettings.DEFAULT_TEXT;

    private final ServerBackend backend;
    private volatile boolean closed;

    private FakeLlmServer(ServerBackend backend) {
        this.backend = backend;
    }

    /** Starts a server with the defaults: 127.0.0.1, a free port, no scenario. */
    public static FakeLlmServer start() {
        return builder().start();
    }

    /**
     * A handle on a server that already runs elsewhere (for example {@code java -jar llmfault-server.jar}),
     * driven through its admin API: the same journal, scenarios and reset as an embedded server. Closing the
     * handle leaves that server running.
     *
     * <pre>{@code
     * FakeLlmServer shared = FakeLlmServer.connect(URI.create("http://127.0.0.1:8089"));
     * shared.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).times(1).build());
     * }</pre>
     *
     * <p>A URL with {@code ?apiKeyFingerprint=<SHA-256 hex of a key>} (optionally {@code &apiKeyMask=...} for
     * display) gives a handle scoped to that key, so parallel tests can share one server: its journal shows
     * only the requests sent with the key, the scenarios it adds match only the key (unless they name a key
     * themselves), and its {@link #reset()} removes only its own scenarios and hides only its own requests.
     * A URL with {@code ?view=own} gives a handle that sees every key's requests, but only those that arrive after
     * it connects, and whose {@link #reset()} likewise removes only the scenarios it added: a test's view of a
     * shared server that leaves what others set up alone.
     *
     * @throws IllegalArgumentException when the URL is not a server root URL or its parameters are wrong
     * @throws IllegalStateException    when no LLM Fault Kit server answers there
     */
    public static FakeLlmServer connect(URI url) {
        return new FakeLlmServer(RemoteBackend.connect(url));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL a client of this provider takes: OpenAI's ends in {@code /v1}, Anthropic's is the bare host. */
    public URI baseUrl(Provider provider) {
        return backend.baseUrl(Objects.requireNonNull(provider, "provider"));
    }

    /** The root URL of the server ({@code http://127.0.0.1:PORT}), where the admin API lives under {@code /__admin}. */
    public URI url() {
        return backend.baseUrl(Provider.ANTHROPIC);
    }

    public int port() {
        return backend.port();
    }

    /** Every provider request received, credentials masked. */
    public RequestJournal journal() {
        return backend.journal();
    }

    /**
     * Waits until the server has answered at least {@code count} requests and returns the journal's entries.
     * Uses the journal's own signal, no polling: {@code server.awaitRequests(3, Duration.ofSeconds(5))}.
     *
     * @throws IllegalStateException naming how many were seen when the timeout passes first
     */
    public List<JournalEntry> awaitRequests(int count, Duration timeout) {
        return backend.journal().awaitRequests(count, timeout);
    }

    /** The active scenarios; add and remove them while the server runs. */
    public Scenarios scenarios() {
        return backend.scenarios();
    }

    /**
     * The reply rules: what the fake model answers which calls (texts, tool calls, JSON, sequences by turn); add
     * and remove them while the server runs. Unmatched calls get the default reply.
     *
     * <pre>{@code
     * server.replies().add(ReplyRule.builder().matchTurn(1)
     *         .reply(Reply.toolCall("get_weather", Map.of("city", "Paris"))).build());
     * }</pre>
     */
    public Replies replies() {
        return backend.replies();
    }

    /** The emulated policies: expiring credentials, rate windows, network lists, versions. */
    public Policies policies() {
        return backend.policies();
    }

    /**
     * Back to the configured start: the scenarios, reply rules and policies given at build time, fresh counters, an
     * empty journal.
     */
    public void reset() {
        backend.reset();
    }

    public boolean isRunning() {
        return !closed;
    }

    /** Stops the server, frees the port and its threads. Idempotent. */
    @Override
    public void close() {
        if (!closed) {
            closed = true;
            backend.close();
        }
    }

    @Override
    public String toString() {
        return "FakeLlmServer{" + url() + (closed ? ", closed" : "") + "}";
    }

    /**
     * Configures a {@link FakeLlmServer}. Later calls override earlier ones, including the values of a
     * {@link #config(Path) config file}.
     */
    public static final class Builder {
        private final SettingsDraft draft = new SettingsDraft();

        private Builder() {
        }

        /** The address to bind; only loopback addresses unless {@link #allowRemote(String)} is called. */
        public Builder host(String host) {
            draft.host = host;
            return this;
        }

        /** The port to bind, 0 (the default) for a free one. */
        public Builder port(int port) {
            draft.port = port;
            return this;
        }

        /** Allows a non-loopback host; the admin API then requires this token as {@code Authorization: Bearer}. */
        public Builder allowRemote(String adminToken) {
            draft.allowRemote = true;
            draft.adminToken = adminToken;
            return this;
        }

        /** The text every success answers with (streams split it at white space). */
        public Builder replyText(String text) {
            draft.replyText = text;
            return this;
        }

        /** The delay before the first chunk of every stream. */
        public Builder firstChunkDelay(Duration delay) {
            draft.firstChunkDelayMs = delay.toMillis();
            return this;
        }

        /** The delay between the chunks of every stream. */
        public Builder chunkDelay(Duration delay) {
            draft.chunkDelayMs = delay.toMillis();
            return this;
        }

        /** How many requests the journal keeps (default 10,000; the oldest are dropped). */
        public Builder journalSize(int entries) {
            draft.journalSize = entries;
            return this;
        }

        /** Bodies larger than this get the provider's 413 (default 10 MiB). */
        public Builder maxBodyBytes(long bytes) {
            draft.maxBodyBytes = bytes;
            return this;
        }

        /** The default seed of probability scenarios that set none. */
        public Builder seed(long seed) {
            draft.seed = seed;
            return this;
        }

        /** The model ids a provider lists on its models endpoint. */
        public Builder models(Provider provider, String... ids) {
            draft.models.put(provider, List.of(ids));
            return this;
        }

        /** A scenario active from the start and restored by every {@link FakeLlmServer#reset()}. */
        public Builder scenario(Scenario scenario) {
            draft.scenarios.add(scenario);
            return this;
        }

        /**
         * A reply rule active from the start and restored by every {@link FakeLlmServer#reset()}.
         *
         * <pre>{@code
         * FakeLlmServer.builder()
         *         .reply(ReplyRule.builder().matchLastUserMessage("weather")
         *                 .sequence(Reply.toolCall("get_weather", Map.of("city", "Paris")), Reply.text("18°C"))
         *                 .build())
         *         .start();
         * }</pre>
         */
        public Builder reply(ReplyRule rule) {
            draft.replies.add(java.util.Objects.requireNonNull(rule, "rule"));
            return this;
        }

        /** A reply for every model call that no other rule answers: {@code reply(ReplyRule.of(reply))}. */
        public Builder reply(Reply reply) {
            return reply(ReplyRule.of(reply));
        }

        /** A credential policy active from the start and restored by every reset. */
        public Builder credentials(CredentialPolicy policy) {
            draft.credentials = policy;
            return this;
        }

        /** A rate-limit policy active from the start and restored (with empty windows) by every reset. */
        public Builder rateLimits(RateLimitPolicy policy) {
            draft.rateLimits = policy;
            return this;
        }

        /** A network policy active from the start. */
        public Builder network(NetworkPolicy policy) {
            draft.network = policy;
            return this;
        }

        /** A version policy active from the start. */
        public Builder versions(VersionPolicy policy) {
            draft.versions = policy;
            return this;
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
        public Builder proxy(Provider provider, URI upstream, String keyEnv) {
            draft.proxy = draft.proxy.withUpstream(new dev.llmfault.server.internal.proxy.Upstream(provider, upstream, keyEnv));
            return this;
        }

        /** Proxy mode with the client's own credential forwarded; see {@link #proxy(Provider, URI, String)}. */
        public Builder proxy(Provider provider, URI upstream) {
            return proxy(provider, upstream, null);
        }

        /** How long the proxy waits for an upstream connection and for the answer's headers. */
        public Builder upstreamTimeouts(Duration connect, Duration headers) {
            var o = draft.proxy.options();
            draft.proxy = draft.proxy.withOptions(new dev.llmfault.server.internal.proxy.ProxyOptions(connect.toMillis(),
                    headers.toMillis(), o.trustStore(), o.trustStorePassword()));
            return this;
        }

        /** A trust store (PKCS12 or JKS) for upstreams whose certificate the JDK does not trust. */
        public Builder upstreamTrustStore(Path store, char[] password) {
            var o = draft.proxy.options();
            draft.proxy = draft.proxy.withOptions(new dev.llmfault.server.internal.proxy.ProxyOptions(o.connectTimeoutMs(),
                    o.readTimeoutMs(), store, password));
            return this;
        }

        /**
         * Records every forwarded exchange that no fault touched as one JSON fixture file in {@code dir},
         * credentials dropped and key-shaped strings scrubbed (plus {@code extraScrubPatterns}).
         */
        public Builder record(Path dir, String... extraScrubPatterns) {
            draft.proxy = draft.proxy.withRecordDir(dir, List.of(extraScrubPatterns));
            return this;
        }

        /**
         * Answers from the fixtures in {@code dir} (strict: a request no fixture matches gets the provider's error
         * naming the closest one), with the recorded stream timing.
         */
        public Builder replay(Path dir) {
            return replay(dir, 1.0, true);
        }

        /**
         * Answers from the fixtures in {@code dir}.
         *
         * @param speed          scale of the recorded stream timing (0 for none)
         * @param strict         false to answer unmatched requests with the default reply
         * @param volatileFields request body fields ignored when matching ({@code user}, a timestamp)
         */
        public Builder replay(Path dir, double speed, boolean strict, String... volatileFields) {
            draft.proxy = draft.proxy.withReplay(dir, speed, strict, java.util.Set.of(volatileFields));
            return this;
        }

        /** Reads a YAML or JSON config file; fails naming the file, line and field of a bad value. */
        public Builder config(Path file) {
            ConfigFile.apply(file, draft);
            return this;
        }

        /**
         * Starts the server; it accepts connections when this returns. It logs one line (SLF4J, INFO) and
         * nothing per request; a port already in use fails with an {@link IllegalStateException} naming host
         * and port.
         */
        public FakeLlmServer start() {
            FakeLlmServer server = new FakeLlmServer(ServerRuntime.start(draft.toSettings()));
            // a logger made only now: SLF4J binds once ServerRuntime has made sure it does so without a notice
            org.slf4j.LoggerFactory.getLogger(FakeLlmServer.class)
                    .info("LLM Fault Kit {} embedded server ready at {}", ServerRuntime.VERSION, server.url());
            return server;
        }
    }
}
