package dev.llmfault.server.internal.config;

import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.VersionPolicy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The mutable side of {@link ServerSettings}, filled by the public builder, the config file and the CLI. */
public final class SettingsDraft {
    public String host = ServerSettings.LOOPBACK;
    public int port;
    public boolean allowRemote;
    public String adminToken;
    public String replyText = ServerSettings.ReplySettings.DEFAULT_TEXT;
    public long firstChunkDelayMs;
    public long chunkDelayMs;
    public int journalSize = ServerSettings.DEFAULT_JOURNAL_SIZE;
    public long maxBodyBytes = ServerSettings.DEFAULT_MAX_BODY_BYTES;
    public long seed;
    public final Map<Provider, List<String>> models = new java.util.EnumMap<>(ServerSettings.defaultModels());
    public final List<Scenario> scenarios = new ArrayList<>();
    public final List<ReplyRule> replies = new ArrayList<>();
    public CredentialPolicy credentials;
    public RateLimitPolicy rateLimits;
    public NetworkPolicy network;
    public VersionPolicy versions;
    public dev.llmfault.server.internal.proxy.ProxyConfig proxy = dev.llmfault.server.internal.proxy.ProxyConfig.NONE;

    public ServerSettings toSettings() {
        return new ServerSettings(host, port, allowRemote, adminToken,
                new ServerSettings.ReplySettings(replyText, firstChunkDelayMs, chunkDelayMs), journalSize, maxBodyBytes,
                seed, models, scenarios, replies, new ServerSettings.StartPolicies(credentials, rateLimits, network, versions), proxy)
                .validate();
    }
}
