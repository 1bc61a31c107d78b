package dev.llmfault.junit.internal;

import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.util.Optional;

/**
 * Where the tests' server is, and the other configuration parameters. JUnit configuration parameters fall back
 * to system properties, so {@code -Dllmfault.server.url=...} works as well as {@code junit-platform.properties}.
 */
public final class Target {
    /** Configuration parameter (or system property) naming a standalone server to drive instead of an embedded one. */
    public static final String SERVER_URL = "llmfault.server.url";
    /** Environment variable read when {@link #SERVER_URL} is not set. */
    public static final String SERVER_URL_ENV = "LLMFAULT_SERVER_URL";
    /** Configuration parameter: {@code false} stops printing the timeline of failed tests (it is still reported). */
    public static final String PRINT_TIMELINE = "llmfault.timeline.print";

    /** Configuration parameter: {@code false} writes no resilience report at the end of the run. */
    public static final String REPORT = "llmfault.report";
    /** Configuration parameter: the directory of the resilience report; default {@code target/llmfault-report}. */
    public static final String REPORT_DIR = "llmfault.report.dir";
    static final String DEFAULT_REPORT_DIR = "target/llmfault-report";

    private Target() {
    }

    /**
     * A standalone server to drive, and the setting that named it, so that an error names what the user set.
     *
     * @param url     the server's root URL
     * @param setting where it came from: the environment variable, the system property or the configuration parameter
     */
    public record Remote(URI url, String setting) {
    }

    /** The standalone server to use and where it was set, or empty for embedded servers. */
    public static Optional<Remote> remote(ExtensionContext context) {
        Optional<String> parameter = context.getConfigurationParameter(SERVER_URL);
        String url = parameter.orElseGet(() -> System.getenv(SERVER_URL_ENV));
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        String setting = parameter.isEmpty() ? "the environment variable " + SERVER_URL_ENV
                : url.equals(System.getProperty(SERVER_URL)) ? "the system property " + SERVER_URL
                : "the configuration parameter " + SERVER_URL;
        try {
            return Optional.of(new Remote(URI.create(url.trim()), setting));
        } catch (IllegalArgumentException e) {
            throw ConfigErrors.of(setting + ": invalid value '" + url + "', expected a URL such as http://127.0.0.1:8089");
        }
    }

    public static boolean printTimeline(ExtensionContext context) {
        return context.getConfigurationParameter(PRINT_TIMELINE).map(v -> !v.trim().equalsIgnoreCase("false")).orElse(true);
    }

    public static boolean reportEnabled(ExtensionContext context) {
        return context.getConfigurationParameter(REPORT).map(v -> !v.trim().equalsIgnoreCase("false")).orElse(true);
    }

    /** Where the report goes, relative to the working directory (a Maven module's directory under Surefire). */
    public static java.nio.file.Path reportDirectory(ExtensionContext context) {
        String dir = context.getConfigurationParameter(REPORT_DIR).map(String::trim).filter(v -> !v.isEmpty())
                .orElse(DEFAULT_REPORT_DIR);
        try {
            return java.nio.file.Path.of(dir).toAbsolutePath().normalize();
        } catch (java.nio.file.InvalidPathException e) {
            throw ConfigErrors.of(REPORT_DIR + ": invalid value '" + dir + "', expected a directory path: " + e.getMessage());
        }
    }

    /**
     * True when this test may run at the same time as others using the same server: a test in concurrent mode,
     * or, for a remote server (shared by every class of the run), any test of a parallel run.
     */
    public static boolean concurrent(ExtensionContext context, boolean remote) {
        boolean parallel = context.getConfigurationParameter("junit.jupiter.execution.parallel.enabled")
                .map(v -> v.trim().equalsIgnoreCase("true")).orElse(false);
        return parallel && (remote || context.getExecutionMode() == org.junit.jupiter.api.parallel.ExecutionMode.CONCURRENT);
    }
}
