package dev.llmfault.server.internal.proxy;

import dev.llmfault.server.Provider;

import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Proxy, record and replay settings: which providers are forwarded where, where exchanges are recorded,
 * and which fixtures answer instead of the fake model. Immutable; all off by default.
 *
 * <pre>{@code
 * ProxyConfig.NONE
 *     .withUpstream(Upstream.parse("OPENAI=https://api.openai.com").withKeyFromEnv("OPENAI_API_KEY"))
 *     .withRecordDir(Path.of("src/test/resources/llm"));
 * }</pre>
 *
 * @param upstreams      the providers forwarded in proxy mode and where to
 * @param options        timeouts and trust store of the upstream client
 * @param recordDir      where each forwarded exchange is written as a fixture, or null
 * @param scrubPatterns  extra regular expressions scrubbed from fixtures besides the built-in key shapes
 * @param replayDir      fixtures that answer instead of the fake model, or null
 * @param replaySpeed    how recorded stream timing is scaled (1 as recorded, 0 no delay, 2 twice as slow)
 * @param replayStrict   an unmatched request gets an error naming the closest fixture (else the default reply)
 * @param volatileFields request body fields (at any depth) that do not count when matching a fixture
 */
public record ProxyConfig(Map<Provider, Upstream> upstreams, ProxyOptions options, Path recordDir, List<String> scrubPatterns,
                          Path replayDir, double replaySpeed, boolean replayStrict, Set<String> volatileFields) {

    public static final ProxyConfig NONE = new ProxyConfig(Map.of(), ProxyOptions.defaults(), null, List.of(), null,
            1.0, true, Set.of());

    public ProxyConfig {
        upstreams = upstreams.isEmpty() ? Map.of() : new EnumMap<>(upstreams);
        scrubPatterns = List.copyOf(scrubPatterns);
        volatileFields = Set.copyOf(volatileFields);
        if (!(replaySpeed >= 0) || Double.isInfinite(replaySpeed)) {
            throw new IllegalArgumentException("replay.speed: invalid value " + replaySpeed + ", expected a number >= 0 (0 for no delay)");
        }
        if (recordDir != null && upstreams.isEmpty()) {
            throw new IllegalArgumentException("record: '" + recordDir + "' needs proxy mode: add an upstream with --proxy PROVIDER=URL");
        }
        Scrubber.withExtraPatterns(scrubPatterns); // names a pattern that does not compile
    }

    public boolean isActive() {
        return !upstreams.isEmpty() || replayDir != null;
    }

    public ProxyConfig withUpstream(Upstream upstream) {
        Map<Provider, Upstream> m = new EnumMap<>(Provider.class);
        m.putAll(upstreams);
        m.put(upstream.provider(), upstream);
        return new ProxyConfig(m, options, recordDir, scrubPatterns, replayDir, replaySpeed, replayStrict, volatileFields);
    }

    public ProxyConfig withOptions(ProxyOptions options) {
        return new ProxyConfig(upstreams, options, recordDir, scrubPatterns, replayDir, replaySpeed, replayStrict, volatileFields);
    }

    public ProxyConfig withRecordDir(Path dir, List<String> extraScrubPatterns) {
        return new ProxyConfig(upstreams, options, dir, extraScrubPatterns, replayDir, replaySpeed, replayStrict, volatileFields);
    }

    public ProxyConfig withReplay(Path dir, double speed, boolean strict, Set<String> volatileFields) {
        return new ProxyConfig(upstreams, options, recordDir, scrubPatterns, dir, speed, strict, volatileFields);
    }
}
