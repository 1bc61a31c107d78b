package dev.llmfault.junit.internal;

import dev.llmfault.junit.LlmFaultExtension;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.net.URI;
import java.util.Optional;

/**
 * Reads the configuration parameters the {@link LlmFaultExtension} declares: where the tests' server is, its
 * token, and whether to print timelines. JUnit configuration parameters fall back
 * to system properties, so {@code -Dllmfault.server.url=...} works as well as {@code junit-platform.properties}.
 */
public final class Target {
    private static final String SERVER_URL = LlmFaultExtension.SERVER_URL_PROPERTY;

    private static final String REPORT = LlmFaultExtension.REPORT_PROPERTY;
    private static final String REPORT_DIR = LlmFaultExtension.REPORT_DIR_PROPERTY;
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
        String url = parameter.orElseGet(() -> System.getenv(LlmFaultExtension.SERVER_URL_ENV));
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        String setting = parameter.isEmpty() ? "the environment variable " + LlmFaultExtension.SERVER_URL_ENV
                : url.equals(System.getProperty(SERVER_URL)) ? "the system property " + SERVER_URL
                : "the configuration parameter " + SERVER_URL;
        try {
            return Optional.of(new Remote(URI.create(url.trim()), setting));
        } catch (IllegalArgumentException e) {
            throw ConfigErrors.of(setting + ": invalid value '" + url + "', expected a URL such as http://127.0.0.1:8089");
        }
    }

    /** The remote server's admin token, or null when none is configured. */
    public static String remoteToken(ExtensionContext context) {
        String token = context.getConfigurationParameter(LlmFaultExtension.SERVER_TOKEN_PROPERTY)
                .orElseGet(() -> System.getenv(LlmFaultExtension.SERVER_TOKEN_ENV));
        return token == null || token.isBlank() ? null : token.trim();
    }

    public static boolean printTimeline(ExtensionContext context) {
        return context.getConfigurationParameter(LlmFaultExtension.TIMELINE_PRINT_PROPERTY).map(v -> !v.trim().equalsIgnoreCase("false")).orElse(true);
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
