package dev.llmfault.server.internal.proxy;

import dev.llmfault.server.Provider;

import java.util.Optional;

/**
 * The running side of {@link ProxyConfig} for one server: the upstream client, the recorder and the replay
 * index, made once at start (so a bad directory or trust store fails the start, naming it) and closed with
 * the server.
 *
 * <pre>{@code
 * try (ProxyMode mode = ProxyMode.start(config)) {
 *     mode.upstream(Provider.OPENAI).ifPresent(up -> ...);
 * }
 * }</pre>
 */
public final class ProxyMode implements AutoCloseable {
    private final ProxyConfig config;
    private final UpstreamClient client;
    private final Recorder recorder;
    private final ReplayIndex replay;
    private final Scrubber scrubber;

    private ProxyMode(ProxyConfig config) {
        for (Upstream up : config.upstreams().values()) {
            if (up.keyEnv() != null && System.getenv(up.keyEnv()) == null) {
                // Else the client's own credential would go upstream, which the user meant to avoid.
                throw new IllegalArgumentException("proxy." + up.provider() + ".keyEnv: the environment variable "
                        + up.keyEnv() + " is not set");
            }
        }
        this.config = config;
        this.client = config.upstreams().isEmpty() ? null : new UpstreamClient(config.options());
        this.recorder = config.recordDir() == null ? null : Recorder.into(config.recordDir());
        this.replay = config.replayDir() == null ? null : ReplayIndex.load(config.replayDir(), config.volatileFields());
        this.scrubber = Scrubber.withExtraPatterns(config.scrubPatterns());
    }

    /** The running mode, or null when the config turns nothing on. */
    public static ProxyMode start(ProxyConfig config) {
        return config == null || !config.isActive() ? null : new ProxyMode(config);
    }

    public ProxyConfig config() {
        return config;
    }

    /** Where this provider's requests are forwarded, when they are. */
    public Optional<Upstream> upstream(Provider provider) {
        return Optional.ofNullable(config.upstreams().get(provider));
    }

    public UpstreamClient client() {
        return client;
    }

    /** The recorder, or null when nothing is recorded. */
    public Recorder recorder() {
        return recorder;
    }

    /** The replay index, or null when nothing is replayed. */
    public ReplayIndex replay() {
        return replay;
    }

    public Scrubber scrubber() {
        return scrubber;
    }

    /** Whether this provider's answers come from elsewhere than the fake model (an upstream or the fixtures). */
    public boolean answersFor(Provider provider) {
        return config.upstreams().containsKey(provider) || replay != null;
    }

    /** The server's reset: repeated recordings start over from their first answer. */
    public void reset() {
        if (replay != null) {
            replay.rewind();
        }
    }

    @Override
    public void close() {
        if (client != null) {
            client.close();
        }
    }
}
