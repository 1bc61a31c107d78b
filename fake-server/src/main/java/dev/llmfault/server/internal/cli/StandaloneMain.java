package dev.llmfault.server.internal.cli;

import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.internal.http.ServerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import dev.llmfault.server.internal.proxy.ProxyConfig;
import dev.llmfault.server.internal.proxy.ProxyOptions;
import dev.llmfault.server.internal.proxy.Upstream;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

/**
 * The standalone server: {@code java -jar llmfault-server.jar [--port 8089] [--config FILE] ...}.
 * Logs one ready line once it accepts connections (nothing per request unless {@code --verbose}), writes the
 * port to {@code --port-file}, and stops gracefully on SIGTERM: the port closes at once, the answers being
 * written finish (for up to {@value #STOP_GRACE_MS} ms; a stream still running then is cut), new requests on
 * open connections get 503, the port file is removed, then the process exits with 0. Exit codes: 0 stopped,
 * 1 could not start (the port in use, named with its host), 2 bad flag or config.
 */
@Command(name = "llmfault-server", mixinStandardHelpOptions = true, versionProvider = StandaloneMain.Version.class,
        description = "A fake LLM provider (OpenAI, Anthropic, Cohere, Zhipu) that injects faults on demand.",
        sortOptions = false)
public final class StandaloneMain implements Callable<Integer> {
    static final int EXIT_CANNOT_START = 1;
    static final int EXIT_BAD_INPUT = 2;
    /** Long enough for a chat answer in flight, short enough for a 5 s stop budget (Docker gives 10 s). */
    static final long STOP_GRACE_MS = 3_000;

    @Option(names = "--host", description = "Address to bind (default 127.0.0.1; others need --allow-remote).")
    String host;

    @Option(names = "--port", description = "Port to bind, 0 for a free one (default 8089).")
    Integer port;

    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON config: settings, scenarios and reply rules.")
    Path config;

    @Option(names = "--port-file", paramLabel = "FILE", description = "Write the bound port here once ready.")
    Path portFile;

    @Option(names = "--seed", description = "Default seed of probability scenarios.")
    Long seed;

    @Option(names = "--journal-size", description = "Requests the journal keeps (default 10000).")
    Integer journalSize;

    @Option(names = "--allow-remote", description = "Allow binding a non-loopback address (requires --admin-token).")
    boolean allowRemote;

    @Option(names = "--admin-token", description = "Token the admin API requires (Authorization: Bearer TOKEN), "
            + "on loopback too.")
    String adminToken;

    @Option(names = "--verbose", description = "Log every request (credentials masked).")
    boolean verbose;

    @Option(names = "--journal-log", description = "Print each exchange as one JSON line on stdout (masked), for CI logs.")
    boolean journalLog;

    @Option(names = "--proxy", paramLabel = "PROVIDER=URL", description = "Forward this provider's requests upstream "
            + "(repeatable), e.g. OPENAI=https://api.openai.com; faults and policies apply on top.")
    List<String> proxies = new ArrayList<>();

    @Option(names = "--proxy-key-env", paramLabel = "PROVIDER=VAR", description = "Send the key in this environment "
            + "variable upstream instead of the client's credential (repeatable).")
    List<String> proxyKeys = new ArrayList<>();

    @Option(names = "--upstream-timeout-ms", description = "How long to wait for an upstream's headers (default 600000).")
    Long upstreamTimeoutMs;

    @Option(names = "--upstream-truststore", paramLabel = "FILE", description = "Trust store (PKCS12/JKS) for upstream TLS; "
            + "its password from $LLMFAULT_TRUSTSTORE_PASSWORD.")
    Path upstreamTrustStore;

    @Option(names = "--record", paramLabel = "DIR", description = "Write each forwarded exchange as a scrubbed JSON fixture.")
    Path record;

    @Option(names = "--scrub", paramLabel = "REGEX", description = "Also scrub this pattern from fixtures (repeatable).")
    List<String> scrub = new ArrayList<>();

    @Option(names = "--replay", paramLabel = "DIR", description = "Answer from the fixtures in DIR.")
    Path replay;

    @Option(names = "--replay-speed", description = "Scale of recorded stream timing (1 as recorded, 0 none).")
    Double replaySpeed;

    @Option(names = "--replay-lenient", description = "An unmatched request gets the default reply (default: an error "
            + "naming the closest fixture).")
    boolean replayLenient;

    @Option(names = "--volatile-field", paramLabel = "NAME", description = "A request field ignored when matching fixtures (repeatable).")
    List<String> volatileFields = new ArrayList<>();

    @Option(names = "--alias", paramLabel = "NAME=/BASE/PATH", description = "Serve an OpenAI-compatible vendor with the "
            + "OpenAI wire format under its own base path, e.g. mistral=/mistral/v1 (repeatable).")
    List<String> aliases = new ArrayList<>();

    /** Used by bin/llmfault-server under -XX:ArchiveClassesAtExit: exercise a server once, then exit. */
    @Option(names = "--train-class-data", hidden = true)
    boolean trainClassData;

    private final CountDownLatch stopped = new CountDownLatch(1);

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Parses, starts and blocks until the JVM is asked to stop; returns the exit code. */
    static int run(String... args) {
        CommandLine cli = new CommandLine(new StandaloneMain());
        cli.setParameterExceptionHandler((e, a) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("llmfault-server: " + e.getMessage() + " (see --help)");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }

    @Override
    public Integer call() {
        Logging.configure(verbose);
        if (trainClassData) {
            ClassDataTraining.run();
            return 0;
        }
        ServerRuntime server;
        ServerSettings settings;
        try {
            settings = settings();
            server = ServerRuntime.start(settings);
            try {
                server.enableMetrics(); // GET /__admin/metrics, for a dashboard watching a long run
            } catch (RuntimeException | LinkageError e) {
                System.err.println("llmfault-server: metrics are off, they could not start: " + e);
            }
            if (journalLog) {
                server.logJournal(System.out);
            }
        } catch (IllegalArgumentException e) {
            System.err.println("llmfault-server: " + e.getMessage());
            return EXIT_BAD_INPUT;
        } catch (IllegalStateException e) {
            System.err.println("llmfault-server: " + e.getMessage()); // names host and port, e.g. a port in use
            return EXIT_CANNOT_START;
        } catch (RuntimeException e) {
            System.err.println("llmfault-server: cannot start: " + rootMessage(e));
            return EXIT_CANNOT_START;
        }
        try {
            if (portFile != null) {
                writePortFile(portFile, server.port());
            }
        } catch (IOException e) {
            System.err.println("llmfault-server: cannot write --port-file " + portFile + ": " + e.getMessage());
            server.close();
            return EXIT_CANNOT_START;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop(server);
            deletePortFile();
            stopped.countDown();
            // A JVM stopped by a signal exits with 128 + the signal (143) once its hooks end; a graceful stop is
            // a success, so the hook ends the process itself with 0 (after the output is flushed).
            System.out.flush();
            System.err.flush();
            Runtime.getRuntime().halt(0);
        }, "llmfault-shutdown"));
        URI root = server.url(); // the bare host: http://127.0.0.1:PORT
        LoggerFactory.getLogger(StandaloneMain.class).info("LLM Fault Kit {} ready at {} (admin: {}/__admin/health{})",
                ServerRuntime.VERSION, root, root, settings.adminToken() == null ? ""
                        : ", requires 'Authorization: Bearer <admin token>', on loopback too");
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** The settings as FakeLlmServer.Builder makes them: defaults, then the config file, then the flags. */
    private ServerSettings settings() {
        ServerSettings.Builder b = ServerSettings.builder().port(8089);
        if (config != null) b.config(config);
        if (host != null) b.host(host);
        if (port != null) b.port(port);
        if (seed != null) b.seed(seed);
        if (journalSize != null) b.journalSize(journalSize);
        if (adminToken != null) b.adminToken(adminToken); // on loopback too: whoever asks for a token expects it required
        if (allowRemote) b.allowRemote(adminToken);
        b.aliases(aliases.toArray(String[]::new));
        b.proxy(proxyFlags(b.settings().proxy()));
        return b.build();
    }

    /** The proxy, record and replay flags on top of what the config file said. */
    private ProxyConfig proxyFlags(ProxyConfig config) {
        ProxyConfig next = config;
        for (String spec : proxies) {
            next = next.withUpstream(Upstream.parse(spec));
        }
        for (String spec : proxyKeys) {
            int eq = spec.indexOf('=');
            Upstream up = eq <= 0 ? null : Upstream.parse(spec.substring(0, eq) + "=http://placeholder");
            Upstream configured = up == null ? null : next.upstreams().get(up.provider());
            if (configured == null) {
                throw new IllegalArgumentException("--proxy-key-env: '" + spec + "' names no provider given to --proxy");
            }
            next = next.withUpstream(configured.withKeyFromEnv(spec.substring(eq + 1)));
        }
        if (upstreamTimeoutMs != null || upstreamTrustStore != null) {
            ProxyOptions o = next.options();
            String password = System.getenv("LLMFAULT_TRUSTSTORE_PASSWORD");
            next = next.withOptions(new ProxyOptions(o.connectTimeoutMs(), upstreamTimeoutMs != null ? upstreamTimeoutMs : o.readTimeoutMs(),
                    upstreamTrustStore != null ? upstreamTrustStore : o.trustStore(),
                    upstreamTrustStore != null ? (password == null ? null : password.toCharArray()) : o.trustStorePassword()));
        }
        if (replay != null) {
            next = next.withReplay(replay, replaySpeed != null ? replaySpeed : 1.0, !replayLenient, new java.util.LinkedHashSet<>(volatileFields));
        }
        if (record != null) {
            next = next.withRecordDir(record, scrub);
        }
        return next;
    }

    private static void stop(ServerRuntime server) {
        Logger log = LoggerFactory.getLogger(StandaloneMain.class);
        log.info("stopping: new connections refused, answers in flight may finish within {} ms", STOP_GRACE_MS);
        ServerRuntime.GracefulStop stop = server.closeGracefully(Duration.ofMillis(STOP_GRACE_MS));
        log.info("stopped in {} ms: requests in flight {}, finished {}, cut {}", stop.took().toMillis(),
                stop.inFlight(), stop.finished(), stop.cut());
    }

    /** A port file left behind would name a port nothing listens on, or later another process's. */
    private void deletePortFile() {
        if (portFile != null) {
            try {
                Files.deleteIfExists(portFile);
            } catch (IOException e) {
                System.err.println("llmfault-server: cannot remove --port-file " + portFile + ": " + e.getMessage());
            }
        }
    }

    /** Written to a temporary file and moved, so a reader never sees a half-written port. */
    private static void writePortFile(Path file, int port) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Path tmp = Files.createTempFile(dir, ".llmfault-port", ".tmp");
        Files.writeString(tmp, Integer.toString(port), StandardCharsets.US_ASCII);
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    }

    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"llmfault-server " + ServerRuntime.VERSION};
        }
    }
}
