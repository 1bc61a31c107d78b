package dev.llmfault.server.internal.http;

import dev.llmfault.server.Provider;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.internal.ServerBackend;
import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.internal.dialect.Dialect;
import dev.llmfault.server.internal.dialect.Dialects;
import dev.llmfault.server.internal.dialect.Route;
import dev.llmfault.server.internal.engine.ScenarioEngine;
import dev.llmfault.server.internal.journal.BoundedJournal;
import dev.llmfault.server.internal.observe.JournalLog;
import dev.llmfault.server.internal.observe.ServerMetrics;
import dev.llmfault.server.internal.policy.PolicyEngine;
import dev.llmfault.server.internal.proxy.ProxyMode;
import dev.llmfault.server.internal.reply.ReplyEngine;
import io.javalin.Javalin;
import io.javalin.compression.CompressionStrategy;
import io.javalin.http.HandlerType;
import io.javalin.http.HttpResponseException;
import io.javalin.router.EndpointNotFound;
import io.javalin.util.JavalinBindException;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.NetworkConnector;
import org.eclipse.jetty.server.handler.GracefulHandler;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.io.PrintStream;
import java.net.URI;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The running server: Javalin wiring, the scenario engine and the journal. Javalin's banner and startup
 * watcher are off, the thread pool is small and named after the server, and stop frees the port and
 * every thread, so a test run may start hundreds of servers.
 *
 * <p>Two ways to stop: {@link #close()} at once (embedded servers: a test's server stops in milliseconds,
 * cutting whatever is still being written), and {@link #closeGracefully(Duration)} for the standalone
 * server on SIGTERM, which lets the answers in flight finish first.
 */
public final class ServerRuntime implements ServerBackend {
    public static final String VERSION = readVersion();
    /**
     * How long the threads of a graceful stop get to end once the grace is over, half of it before they are
     * interrupted (which ends a scenario's delay at once). Jetty's default, 5 s, would double the stop.
     */
    private static final long THREADS_STOP_MS = 500;
    private static final AtomicInteger INSTANCES = new AtomicInteger();
    /**
     * Every dialect's route whose pattern is a plain path (no parameter, nothing Javalin reads as syntax) and lies
     * outside the admin API and the OAuth endpoint: these go straight to the pipeline, which routes them again
     * itself, so the order of Javalin's routes changes nothing but the cost.
     */
    static List<Route> literalRoutes(Dialects dialects) {
        List<Route> literal = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Dialect d : dialects.routed()) {
            for (Route r : d.routes()) {
                String p = r.pattern();
                if (p.matches("[A-Za-z0-9/_.-]+") && !p.startsWith(AdminApi.PREFIX) && !p.equals(OAuthTokenEndpoint.PATH)
                        && seen.add(r.method() + " " + p)) {
                    literal.add(r);
                }
            }
        }
        return literal;
    }

    private static final HandlerType[] PROVIDER_METHODS = {
            HandlerType.GET, HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE,
            HandlerType.HEAD, HandlerType.OPTIONS};

    private final ServerSettings settings;
    private final ScenarioEngine engine;
    /** The configured scenarios with the ids they were given at start. */
    private final List<Scenario> startScenarios;
    private final ReplyEngine replies = new ReplyEngine();
    /** The configured reply rules with the ids they were given at start. */
    private final List<ReplyRule> startReplies;
    private final BoundedJournal journal;
    private volatile ServerMetrics metrics;
    private final PolicyEngine policies = new PolicyEngine(System::nanoTime);
    private final Javalin app;
    private final QueuedThreadPool threads;
    /** The waits of delayed answers: one timer thread, writes on {@link #threads}. */
    private final Pacer pacer;
    /** Counts the requests being answered, and refuses new ones with 503 once a graceful stop began. */
    private final GracefulHandler inFlight = new GracefulHandler();
    private final long startedNanos = System.nanoTime();
    /** This server's dialects, its aliases' included: they may hold state (stored responses) that a reset forgets. */
    private final Dialects dialects;
    private final String host;
    private final int port;
    /** Proxy, record or replay mode, or null. */
    private final ProxyMode proxy;

    private ServerRuntime(ServerSettings settings) {
        this.settings = settings;
        this.dialects = Dialects.create(settings.aliases());
        this.engine = new ScenarioEngine(settings.seed());
        this.journal = new BoundedJournal(settings.journalSize());
        // kept with the ids they got, so every reset restores the same ids (a script may hold "s-1")
        this.startScenarios = engine.addAll(settings.scenarios());
        this.startReplies = replies.addAll(settings.replies());
        applyStartPolicies();
        this.proxy = ProxyMode.start(settings.proxy()); // a bad replay directory or trust store fails the start, named
        // Our own queue: Jetty's default BlockingArrayQueue initialises MemoryUtils, which starts the JMX
        // platform MBean server to read one VM option, about 100 ms of every cold start. Unbounded, as Jetty
        // asks of a queue it did not make.
        this.threads = new QueuedThreadPool(200, 2, 30_000, new LinkedBlockingQueue<>());
        threads.setName("llmfault-" + INSTANCES.incrementAndGet());
        this.pacer = new Pacer(threads.getName(), threads);
        ProviderPipeline pipeline = new ProviderPipeline(settings, dialects, engine, replies, policies, journal, pacer, proxy);
        OAuthTokenEndpoint oauth = new OAuthTokenEndpoint(policies, journal);
        AdminApi admin = new AdminApi(this);
        this.app = Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.startup.startupWatcherEnabled = false;
            config.startup.showOldJavalinVersionWarning = false;
            config.jetty.threadPool = threads;
            // Jetty's own refusals (bad URI, huge headers, CONNECT, the 503 of a graceful stop) answer JSON, not HTML
            JsonErrorHandler errors = new JsonErrorHandler(journal, dialects);
            config.jetty.modifyServer(server -> {
                server.insertHandler(inFlight);
                server.setErrorHandler(errors);
            });
            // HTTP/1.1 and cleartext HTTP/2 on the one port: the AWS SDK's async clients speak h2c to http://
            config.jetty.addConnector((server, http) -> H2cConnector.create(server, http, settings.host(), settings.port()));
            config.http.compressionStrategy = CompressionStrategy.NONE;
            // Heap buffers for the answers: Jetty writes every header that is not one of its own byte by byte,
            // and on a direct buffer each byte goes through a bounds- and scope-checked put, a quarter of the
            // CPU of a chat completion (whose rate-limit and request-id headers are all custom). Small answers
            // are copied to the socket once either way.
            config.jetty.modifyHttpConfiguration(http -> http.setUseOutputDirectByteBuffers(false));
            config.http.maxRequestSize = Math.max(settings.maxBodyBytes(), 1_000_000L);
            // The providers' literal paths first: Javalin tries its routes in the order they were added, a regex
            // each, so a chat completion paid for every admin route's pattern before reaching the catch-all below.
            for (Route route : literalRoutes(dialects)) {
                config.routes.addHttpHandler(HandlerType.findOrCreate(route.method()), route.pattern(), pipeline);
            }
            admin.register(config.routes);
            config.routes.post(OAuthTokenEndpoint.PATH, oauth);
            for (HandlerType method : PROVIDER_METHODS) {
                config.routes.addHttpHandler(method, AdminApi.PREFIX + "/*", admin::unknown);
                config.routes.addHttpHandler(method, "/*", pipeline);
            }
            // Javalin's own refusals (a body over maxRequestSize to the admin API) answer JSON, not text/plain
            config.routes.exception(HttpResponseException.class, (refused, ctx) -> AdminApi.send(ctx,
                    refused.getStatus(), AdminApi.error(HttpStatus.getMessage(refused.getStatus()) + ": "
                            + (refused.getStatus() == HttpStatus.PAYLOAD_TOO_LARGE_413 ? "the body is larger than "
                            + config.http.maxRequestSize + " bytes" : refused.getMessage()), null)));
            // Any other method (TRACE, QUERY, PROPFIND, any token) has no route: answer it like the rest,
            // not with Javalin's plain-text "Endpoint ... not found".
            config.routes.exception(EndpointNotFound.class, (notFound, ctx) -> {
                if (ctx.path().startsWith(AdminApi.PREFIX)) {
                    admin.unknown(ctx);
                    return;
                }
                try {
                    pipeline.handle(ctx);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        });
        try {
            NoLoggerNotices.whileStarting(() -> app.start()); // on the connector above
        } catch (JavalinBindException e) {
            app.stop(); // frees the threads the failed start made
            throw new IllegalStateException("cannot listen on " + settings.host() + ":" + settings.port() + ": "
                    + (String.valueOf(e.getMessage()).contains("already in use")
                    ? "the port is already in use (by another llmfault-server?): stop that, or choose another port"
                    + " (0 for a free one)" : e.getMessage()), e);
        }
        this.host = settings.host();
        this.port = app.port();
    }

    /** Starts a server; refuses a non-loopback host unless remote access was allowed with an admin token. */
    public static ServerRuntime start(ServerSettings settings) {
        NoLoggerNotices.bindQuietly(); // before any class of the server makes a logger
        if (!isLoopback(settings.host())) {
            if (!settings.allowRemote()) {
                throw new IllegalArgumentException("host: refusing to bind '" + settings.host()
                        + "', which is not a loopback address: allow remote access explicitly (--allow-remote)");
            }
            if (settings.adminToken() == null || settings.adminToken().isBlank()) {
                throw new IllegalArgumentException("adminToken: remote access needs an admin token (--admin-token), "
                        + "so that no one else on the network can drive the server");
            }
        }
        return new ServerRuntime(settings);
    }

    private static boolean isLoopback(String host) {
        try {
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host: unknown host '" + host + "'", e);
        }
    }

    /** Stops at once: connections close, answers still being written or waiting are cut. */
    @Override
    public void close() {
        pacer.close();
        app.stop();
        closeProxy();
    }

    private void closeProxy() {
        if (proxy != null) {
            proxy.close();
        }
    }

    /**
     * Stops as a deployed server should: the port closes at once (new connections are refused), a new
     * request on a connection already open gets 503, and the answers being written finish, for up to
     * {@code grace}; whatever still runs then is cut as by {@link #close()}.
     *
     * <pre>{@code
     * GracefulStop stop = runtime.closeGracefully(Duration.ofSeconds(3));
     * log.info("{} answers finished, {} cut", stop.finished(), stop.cut());
     * }</pre>
     */
    public GracefulStop closeGracefully(Duration grace) {
        long startedNanos = System.nanoTime();
        long inFlightAtStop = requestsInFlight();
        for (Connector connector : inFlight.getServer().getConnectors()) {
            if (connector instanceof NetworkConnector network) {
                network.close(); // the listening socket only: open connections carry on
            }
        }
        try {
            inFlight.shutdown().get(grace.toMillis(), TimeUnit.MILLISECONDS);
        } catch (TimeoutException | ExecutionException stillRunning) {
            // the grace is over: what still runs is cut below
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        long cut = requestsInFlight();
        pacer.close(); // answers still waiting on a timer are cut now
        threads.setStopTimeout(THREADS_STOP_MS);
        app.stop();
        closeProxy();
        return new GracefulStop(inFlightAtStop, Math.max(0, inFlightAtStop - cut), cut,
                Duration.ofNanos(System.nanoTime() - startedNanos));
    }

    /** Requests being answered now (admin calls included). */
    public long requestsInFlight() {
        return inFlight.getCurrentRequestCount();
    }

    /**
     * What a graceful stop did.
     *
     * @param inFlight requests being answered when the stop began
     * @param finished of those, the ones answered in full
     * @param cut      requests still running when the grace was over (their connections were closed)
     * @param took     from the start of the stop until every thread had ended
     */
    public record GracefulStop(long inFlight, long finished, long cut, Duration took) {
    }

    @Override
    public ScenarioEngine scenarios() {
        return engine;
    }

    /** The reply rules; {@link #reset()} brings back the configured ones. */
    @Override
    public ReplyEngine replies() {
        return replies;
    }

    /** Back to the configured start: the initial scenarios and reply rules, an empty journal. */
    @Override
    public void reset() {
        synchronized (engine) {
            engine.clear();
            engine.addAll(startScenarios);
        }
        replies.resetTo(startReplies);
        applyStartPolicies();
        dialects.reset();
        if (proxy != null) {
            proxy.reset();
        }
        journal.clear();
    }

    private void applyStartPolicies() {
        policies.credentials(settings.credentials().orElse(null));
        policies.rateLimits(settings.rateLimits().orElse(null));
        policies.network(settings.network().orElse(null));
        policies.versions(settings.versions().orElse(null));
    }

    @Override
    public PolicyEngine policies() {
        return policies;
    }

    public ServerSettings settings() {
        return settings;
    }

    /** Answers waiting on the timer now (delays, stalls): for tests that nothing is left behind. */
    public int answersWaiting() {
        return pacer.pending();
    }

    Pacer pacer() {
        return pacer;
    }

    public ScenarioEngine engine() {
        return engine;
    }

    /**
     * Turns on the metrics of {@code GET /__admin/metrics} (the standalone server does at start); idempotent.
     * Off by default so an embedded server pays nothing for them.
     */
    public synchronized ServerMetrics enableMetrics() {
        if (metrics == null) {
            metrics = new ServerMetrics();
            journal.listen(metrics);
        }
        return metrics;
    }

    /** The metrics, or null while they are off. */
    public ServerMetrics metrics() {
        return metrics;
    }

    /** Writes each exchange as a JSON line to {@code out} from now on (the standalone {@code --journal-log}). */
    public void logJournal(PrintStream out) {
        journal.listen(new JournalLog(out));
    }

    @Override
    public BoundedJournal journal() {
        return journal;
    }

    @Override
    public int port() {
        return port;
    }

    public long uptimeMillis() {
        return (System.nanoTime() - startedNanos) / 1_000_000L;
    }

    @Override
    public URI baseUrl(Provider provider) {
        return URI.create(url() + provider.basePath());
    }

    @Override
    public URI baseUrl(String alias) {
        String base = settings.aliases().get(alias);
        if (base == null) {
            throw new IllegalArgumentException("alias: no alias " + (alias == null ? "null" : "'" + alias + "'")
                    + " on this server, which has " + (settings.aliases().isEmpty() ? "none (see --alias)"
                    : settings.aliases().keySet()));
        }
        return URI.create(url() + base);
    }

    @Override
    public URI url() {
        String h = host.contains(":") && !host.startsWith("[") ? "[" + host + "]" : host;
        return URI.create("http://" + h + ":" + port);
    }

    private static String readVersion() {
        try (InputStream in = ServerRuntime.class.getResourceAsStream("/dev/llmfault/server/version.properties")) {
            Properties p = new Properties();
            if (in != null) {
                p.load(in);
            }
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
