package dev.llmfault.server;

import dev.llmfault.server.internal.ServerBackend;
import dev.llmfault.server.internal.http.ServerRuntime;
import dev.llmfault.server.internal.remote.RemoteBackend;
import org.apiguardian.api.API;

import java.net.URI;
import java.nio.file.Path;
import java.util.Objects;

/**
 * A fake LLM provider speaking the wire formats of every {@link Provider} at once (OpenAI, Anthropic, Gemini,
 * Bedrock, Ollama, ...),
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
@API(status = API.Status.STABLE, since = "0.1")
public final class FakeLlmServer implements AutoCloseable {
    /** What every success answers unless {@link Builder#replyText(String)} says otherwise. */
    public static final String DEFAULT_REPLY_TEXT = ServerSettings.DEFAULT_REPLY_TEXT;

    private final ServerBackend backend;
    private volatile boolean closed;

    private FakeLlmServer(ServerBackend backend) {
        this.backend = backend;
    }

    /** Starts a server with the defaults: 127.0.0.1, a free port, no scenario. */
    public static FakeLlmServer start() {
        return start(ServerSettings.defaults());
    }

    /**
     * Starts a server with these settings; it accepts connections when this returns.
     * <pre>{@code FakeLlmServer server = FakeLlmServer.start(ServerSettings.builder().seed(7).build());}</pre>
     */
    public static FakeLlmServer start(ServerSettings settings) {
        FakeLlmServer server = new FakeLlmServer(ServerRuntime.start(Objects.requireNonNull(settings, "settings")));
        // a logger made only now: SLF4J binds once ServerRuntime has made sure it does so without a notice
        org.slf4j.LoggerFactory.getLogger(FakeLlmServer.class)
                .info("LLM Fault Kit {} embedded server ready at {}", ServerRuntime.VERSION, server.url());
        return server;
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
        return new FakeLlmServer(RemoteBackend.connect(url, null));
    }

    /**
     * {@link #connect(URI)} to a server started with an admin token ({@code --admin-token}): every admin call
     * sends it as {@code Authorization: Bearer}.
     *
     * <pre>{@code
     * FakeLlmServer shared = FakeLlmServer.connect(URI.create("http://10.0.0.5:8089"), System.getenv("LLMFAULT_SERVER_TOKEN"));
     * }</pre>
     *
     * @param adminToken the server's admin token, or null for a server that requires none
     * @throws IllegalArgumentException when the URL is not a server root URL or its parameters are wrong
     * @throws IllegalStateException    when no LLM Fault Kit server answers there, or it refuses the token
     */
    public static FakeLlmServer connect(URI url, String adminToken) {
        return new FakeLlmServer(RemoteBackend.connect(url, adminToken));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The base URL a client of this provider takes: OpenAI's ends in {@code /v1}, Anthropic's is the bare host. */
    public URI baseUrl(Provider provider) {
        return backend.baseUrl(Objects.requireNonNull(provider, "provider"));
    }

    /**
     * The base URL of an OpenAI-compatible vendor this server serves under its own path, for a client of that
     * vendor (an OpenAI SDK pointed at Mistral, Groq, vLLM ...): the OpenAI wire format, the journal naming the alias.
     *
     * <pre>{@code
     * FakeLlmServer server = FakeLlmServer.builder().alias("mistral", "/mistral/v1").start();
     * OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(server.baseUrl("mistral").toString()).apiKey("k").build();
     * }</pre>
     *
     * @throws IllegalArgumentException naming the server's aliases, when it has no alias of that name
     */
    public URI baseUrl(String alias) {
        return backend.baseUrl(alias);
    }

    /** The root URL of the server ({@code http://127.0.0.1:PORT}), where the admin API lives under {@code /__admin}. */
    public URI url() {
        return backend.url();
    }

    public int port() {
        return backend.port();
    }

    /** Every provider request received, credentials masked. */
    public RequestJournal journal() {
        return backend.journal();
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
     * Configures a {@link FakeLlmServer}: every setter of {@link ServerSettings.Setter}, then {@link #start()}.
     * Later calls override earlier ones, including the values of a {@link #config(Path) config file}.
     *
     * <pre>{@code
     * FakeLlmServer server = FakeLlmServer.builder().replyText("Hi").seed(42).start();
     * }</pre>
     */
    @API(status = API.Status.STABLE, since = "0.1")
    public static final class Builder extends ServerSettings.Setter<Builder> {
        private Builder() {
        }

        @Override
        protected Builder self() {
            return this;
        }

        /**
         * Starts the server; it accepts connections when this returns. It logs one line (SLF4J, INFO) and
         * nothing per request; a port already in use fails with an {@link IllegalStateException} naming host
         * and port.
         *
         * @throws IllegalArgumentException naming the setting, for a bad value
         */
        public FakeLlmServer start() {
            return FakeLlmServer.start(settings());
        }
    }
}
