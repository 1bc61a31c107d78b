package dev.llmfault.server.internal.cli;

import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.internal.http.ServerRuntime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
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
import java.util.concurrent.CountDownLatch;

/**
 * The standalone server: {@code java -jar llmfault-server.jar [--port 8089] [--config FILE] ...}.
 * Prints one ready line once it accepts connections, writes the port to {@code --port-file}, and stops
 * gracefully on SIGTERM: the port closes at once, the answers being written finish (for up to
 * {@value #STOP_GRACE_MS} ms; a stream still running then is cut), new requests on open connections get
 * 503, then the process exits. Exit codes: 0 stopped, 1 could not start, 2 bad flag or config.
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

    @Option(names = "--config", paramLabel = "FILE", description = "YAML or JSON config: settings and scenarios.")
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
        ServerRuntime server;
        ServerSettings settings;
        try {
            settings = settings();
            server = ServerRuntime.start(settings);
        } catch (IllegalArgumentException e) {
            System.err.println("llmfault-server: " + e.getMessage());
            return EXIT_BAD_INPUT;
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
            stopped.countDown();
        }, "llmfault-shutdown"));
        URI root = server.url();
        System.out.println("LLM Fault Kit " + ServerRuntime.VERSION + " ready at " + root
                + " (admin: " + root + "/__admin/health" + (settings.adminToken() == null ? ")"
                : ", requires 'Authorization: Bearer <admin token>', on loopback too)"));
        System.out.flush();
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
        if (adminToken != null) b.adminToken(adminToken);
        if (allowRemote) b.allowRemote(adminToken);
        return b.build();
    }

    private static void stop(ServerRuntime server) {
        Logger log = LoggerFactory.getLogger(StandaloneMain.class);
        log.info("stopping: new connections refused, answers in flight may finish within {} ms", STOP_GRACE_MS);
        ServerRuntime.GracefulStop stop = server.closeGracefully(Duration.ofMillis(STOP_GRACE_MS));
        log.info("stopped in {} ms: requests in flight {}, finished {}, cut {}", stop.took().toMillis(),
                stop.inFlight(), stop.finished(), stop.cut());
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
