package dev.llmfault.server.internal.config;

import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.VersionPolicy;
import dev.llmfault.server.internal.proxy.ProxyConfig;
import dev.llmfault.server.internal.dialect.Dialects;

import java.util.List;
import java.util.Map;

/**
 * The settings a server starts with, and comes back to on {@code reset()}. Immutable; the public
 * builder of {@code FakeLlmServer} and the config file both produce one.
 *
 * @param host              address to bind (127.0.0.1 unless remote access is allowed)
 * @param port              port to bind, 0 for a free one
 * @param allowRemote       whether a non-loopback host may be bound
 * @param adminToken        token the admin API requires, or null for none
 * @param reply             what the fake model answers
 * @param journalSize       how many requests the journal keeps
 * @param maxBodyBytes      larger request bodies get the provider's 413
 * @param seed              default seed of probability scenarios
 * @param models            the model ids each provider lists
 * @param scenarios         scenarios active at start and after each reset
 * @param replies           reply rules active at start and after each reset
 * @param policies          policies active at start and after each reset
 * @param proxy             proxy, record and replay settings (off by default)
 */
public record ServerSettings(String host, int port, boolean allowRemote, String adminToken, ReplySettings reply,
                             int journalSize, long maxBodyBytes, long seed, Map<Provider, List<String>> models,
                             List<Scenario> scenarios, List<ReplyRule> replies, StartPolicies policies,
                             ProxyConfig proxy) {

    public static final String LOOPBACK = "127.0.0.1";
    public static final int DEFAULT_JOURNAL_SIZE = 10_000;
    public static final long DEFAULT_MAX_BODY_BYTES = 10L * 1024 * 1024;

    public ServerSettings {
        models = Map.copyOf(models);
        scenarios = List.copyOf(scenarios);
        replies = List.copyOf(replies);
        proxy = proxy == null ? ProxyConfig.NONE : proxy;
    }

    /** The models each provider lists by default: its dialect's. */
    public static Map<Provider, List<String>> defaultModels() {
        return Dialects.get().defaultModelIds();
    }

    /** Checks the values that no type rules out, naming the field. */
    public ServerSettings validate() {
        if (port < 0 || port > 65535) throw invalid("port", port, "0 (any free port) to 65535");
        if (journalSize < 0) throw invalid("journalSize", journalSize, "an integer >= 0");
        if (maxBodyBytes < 1) throw invalid("maxBodyBytes", maxBodyBytes, "an integer >= 1");
        if (host == null || host.isBlank()) throw invalid("host", host, "an IP address or host name");
        reply.validate();
        return this;
    }

    static IllegalArgumentException invalid(String field, Object value, String expected) {
        return new IllegalArgumentException(field + ": invalid value " + (value instanceof String ? "'" + value + "'" : value)
                + ", expected " + expected);
    }

    /** The policies a server starts with; null members are off. */
    public record StartPolicies(CredentialPolicy credentials, RateLimitPolicy rateLimits, NetworkPolicy network,
                                VersionPolicy versions) {
        public static final StartPolicies NONE = new StartPolicies(null, null, null, null);
    }

    /**
     * What the fake model answers.
     *
     * @param text              the reply text
     * @param firstChunkDelayMs delay before the first chunk of a stream
     * @param chunkDelayMs      delay between chunks of a stream
     */
    public record ReplySettings(String text, long firstChunkDelayMs, long chunkDelayMs) {
        public static final String DEFAULT_TEXT = "Hello from LLM Fault Kit. This is a deterministic reply.";

        public static ReplySettings defaults() {
            return new ReplySettings(DEFAULT_TEXT, 0, 0);
        }

        void validate() {
            if (text == null) throw invalid("reply.text", null, "a string");
            if (firstChunkDelayMs < 0) throw invalid("reply.firstChunkDelayMs", firstChunkDelayMs, "an integer >= 0");
            if (chunkDelayMs < 0) throw invalid("reply.chunkDelayMs", chunkDelayMs, "an integer >= 0");
        }
    }
}
