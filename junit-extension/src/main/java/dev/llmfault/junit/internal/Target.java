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

    private Target() {
    }

    /** The standalone server to use, or empty for embedded servers. */
    public static Optional<URI> remoteUrl(ExtensionContext context) {
        String url = context.getConfigurationParameter(SERVER_URL)
                .orElseGet(() -> System.getenv(LlmFaultExtension.SERVER_URL_ENV));
        if (url == null || url.isBlank()) {
            return Optional.empty();
        }
        try {
            return Optional.of(URI.create(url.trim()));
        } catch (IllegalArgumentException e) {
            throw ConfigErrors.of(SERVER_URL + ": invalid value '" + url + "', expected a URL such as http://127.0.0.1:8089");
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
