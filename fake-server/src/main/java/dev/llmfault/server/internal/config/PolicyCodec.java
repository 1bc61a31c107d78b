package dev.llmfault.server.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.VersionPolicy;
import dev.llmfault.server.internal.json.Json;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The JSON shapes of the four policies, for the admin API ({@code PUT /__admin/policies/NAME}) and the
 * config file ({@code policies:}). Strict like {@link ScenarioCodec}: unknown fields and bad values are
 * an {@link InputException} naming the field. Written forms never contain a key or secret.
 */
public final class PolicyCodec {
    public static final List<String> NAMES = List.of("credentials", "rateLimits", "network", "versions");
    static final List<String> CREDENTIAL_FIELDS = List.of("apiKeys", "oauthClients", "tokenLifetimeMs", "tokenMaxUses",
            "requiredScope");
    static final List<String> KEY_FIELDS = List.of("key", "fingerprint", "mask", "scopes", "expiresAt", "expiresInMs");
    static final List<String> CLIENT_FIELDS = List.of("clientId", "clientSecret", "clientSecretFingerprint", "scopes");
    static final List<String> RATE_FIELDS = List.of("requestsPerWindow", "tokensPerWindow", "windowMs", "quotaRequests",
            "quotaPeriodMs");
    static final List<String> NETWORK_FIELDS = List.of("allow", "deny", "trustedProxies", "regionHeader", "allowRegions",
            "blockRegions");
    static final List<String> VERSION_FIELDS = List.of("anthropicVersions", "retiredEndpoints", "retiredModels",
            "knownModelsOnly");

    private PolicyCodec() {
    }

    // ---- reading ----

    public static CredentialPolicy readCredentials(JsonNode n) {
        requireObject(n, null, CREDENTIAL_FIELDS);
        return built(() -> {
            CredentialPolicy.Builder b = CredentialPolicy.builder();
            JsonNode keys = n.get("apiKeys");
            if (keys != null && !keys.isNull()) {
                requireArray(keys, "apiKeys");
                for (int i = 0; i < keys.size(); i++) {
                    JsonNode k = keys.get(i);
                    String at = "apiKeys[" + i + "]";
                    requireObject(k, at, KEY_FIELDS);
                    Set<String> scopes = strings(k, "scopes", at, Set.of(CredentialPolicy.DEFAULT_SCOPE));
                    Instant expires = null;
                    if (ScenarioCodec.present(k, "expiresAt")) {
                        try {
                            expires = Instant.parse(requiredText(k, "expiresAt", at));
                        } catch (DateTimeParseException e) {
                            throw new InputException(at + ".expiresAt", at + ".expiresAt: invalid value '"
                                    + k.get("expiresAt").asText() + "', expected an ISO-8601 instant such as 2030-01-01T00:00:00Z");
                        }
                    }
                    if (ScenarioCodec.present(k, "expiresInMs")) {
                        long ms = integer(k, "expiresInMs", at);
                        expires = Instant.now().plusMillis(ms);
                    }
                    try {
                        if (k.has("fingerprint") && !k.has("key")) {
                            b.apiKeyFingerprint(requiredText(k, "fingerprint", at),
                                    k.has("mask") ? requiredText(k, "mask", at) : null, scopes, expires);
                        } else {
                            b.apiKey(requiredText(k, "key", at), scopes, expires);
                        }
                    } catch (InputException e) {
                        throw e;
                    } catch (IllegalArgumentException e) {
                        throw atItem(at, "key", e);
                    }
                }
            }
            JsonNode clients = n.get("oauthClients");
            if (clients != null && !clients.isNull()) {
                requireArray(clients, "oauthClients");
                for (int i = 0; i < clients.size(); i++) {
                    JsonNode c = clients.get(i);
                    String at = "oauthClients[" + i + "]";
                    requireObject(c, at, CLIENT_FIELDS);
                    Set<String> scopes = strings(c, "scopes", at, Set.of(CredentialPolicy.DEFAULT_SCOPE));
                    String id = requiredText(c, "clientId", at);
                    try {
                        if (c.has("clientSecretFingerprint") && !c.has("clientSecret")) {
                            b.oauthClientFingerprint(id, requiredText(c, "clientSecretFingerprint", at), scopes);
                        } else {
                            b.oauthClient(id, requiredText(c, "clientSecret", at), scopes);
                        }
                    } catch (InputException e) {
                        throw e;
                    } catch (IllegalArgumentException e) {
                        throw atItem(at, "clientId", e);
                    }
                }
            }
            ScenarioCodec.integer(n, "tokenLifetimeMs", ms -> b.tokenLifetime(Duration.ofMillis(ms)));
            ScenarioCodec.integer(n, "tokenMaxUses", v -> b.tokenMaxUses(ScenarioCodec.toInt("tokenMaxUses", v)));
            if (n.has("requiredScope")) {
                JsonNode s = n.get("requiredScope");
                if (s.isNull()) b.requiredScope(null);
                else ScenarioCodec.text(n, "requiredScope", b::requiredScope);
            }
            return b.build();
        });
    }

    public static RateLimitPolicy readRateLimits(JsonNode n) {
        requireObject(n, null, RATE_FIELDS);
        return built(() -> {
            RateLimitPolicy.Builder b = RateLimitPolicy.builder();
            ScenarioCodec.integer(n, "requestsPerWindow", v -> b.requestsPerWindow(ScenarioCodec.toInt("requestsPerWindow", v)));
            ScenarioCodec.integer(n, "tokensPerWindow", v -> b.tokensPerWindow(ScenarioCodec.toInt("tokensPerWindow", v)));
            ScenarioCodec.integer(n, "windowMs", v -> b.window(Duration.ofMillis(v)));
            Integer[] quota = new Integer[1];
            ScenarioCodec.integer(n, "quotaRequests", v -> quota[0] = ScenarioCodec.toInt("quotaRequests", v));
            Duration[] period = {Duration.ofDays(1)};
            ScenarioCodec.integer(n, "quotaPeriodMs", v -> period[0] = Duration.ofMillis(v));
            if (quota[0] != null) b.quota(quota[0], period[0]);
            return b.build();
        });
    }

    public static NetworkPolicy readNetwork(JsonNode n) {
        requireObject(n, null, NETWORK_FIELDS);
        return built(() -> {
            NetworkPolicy.Builder b = NetworkPolicy.builder();
            b.allow(strings(n, "allow", null, Set.of()).toArray(String[]::new));
            b.deny(strings(n, "deny", null, Set.of()).toArray(String[]::new));
            b.trustedProxies(strings(n, "trustedProxies", null, Set.of()).toArray(String[]::new));
            ScenarioCodec.text(n, "regionHeader", b::regionHeader);
            b.allowRegions(strings(n, "allowRegions", null, Set.of()).toArray(String[]::new));
            b.blockRegions(strings(n, "blockRegions", null, Set.of()).toArray(String[]::new));
            return b.build();
        });
    }

    public static VersionPolicy readVersions(JsonNode n) {
        requireObject(n, null, VERSION_FIELDS);
        return built(() -> {
            VersionPolicy.Builder b = VersionPolicy.builder();
            b.anthropicVersions(strings(n, "anthropicVersions", null, Set.of()).toArray(String[]::new));
            if (ScenarioCodec.present(n, "retiredEndpoints")) {
                b.retiredEndpoints(strings(n, "retiredEndpoints", null, Set.of()).toArray(String[]::new));
            }
            JsonNode models = n.get("retiredModels");
            if (models != null && !models.isNull()) {
                if (!models.isObject()) throw ScenarioCodec.wrongType("retiredModels", models, "a mapping of provider to model ids");
                Iterator<Map.Entry<String, JsonNode>> it = models.fields();
                while (it.hasNext()) {
                    Map.Entry<String, JsonNode> e = it.next();
                    Provider p = ScenarioCodec.parseEnum("retiredModels." + e.getKey(),
                            com.fasterxml.jackson.databind.node.TextNode.valueOf(e.getKey()), Provider::parse);
                    b.retiredModels(p, strings(models, e.getKey(), "retiredModels", Set.of()).toArray(String[]::new));
                }
            }
            ScenarioCodec.bool(n, "knownModelsOnly", b::knownModelsOnly);
            return b.build();
        });
    }

    // ---- writing (no secrets) ----

    public static ObjectNode write(CredentialPolicy p) {
        return write(p, false);
    }

    /**
     * The credential policy for another server's admin API: keys and secrets as fingerprints, except the
     * Zhipu {@code id.secret} keys, whose secret the other server needs to verify JWT signatures.
     */
    public static ObjectNode writeForTransfer(CredentialPolicy p) {
        return write(p, true);
    }

    private static ObjectNode write(CredentialPolicy p, boolean transfer) {
        ObjectNode n = Json.object();
        ArrayNode keys = n.putArray("apiKeys");
        for (CredentialPolicy.RegisteredKey k : p.apiKeys()) {
            ObjectNode o = keys.addObject();
            if (transfer && k.zhipuSecret() != null) {
                o.put("key", k.zhipuId() + "." + k.zhipuSecret());
            } else {
                o.put("mask", k.mask());
                o.put("fingerprint", k.fingerprint());
            }
            strings(o.putArray("scopes"), k.scopes());
            if (k.expiresAt() != null) o.put("expiresAt", k.expiresAt().toString());
        }
        ArrayNode clients = n.putArray("oauthClients");
        for (CredentialPolicy.OAuthClient c : p.oauthClients()) {
            ObjectNode o = clients.addObject();
            o.put("clientId", c.clientId());
            o.put("clientSecretFingerprint", c.secretFingerprint());
            strings(o.putArray("scopes"), c.scopes());
        }
        n.put("tokenLifetimeMs", p.tokenLifetime().toMillis());
        if (p.tokenMaxUses() != null) n.put("tokenMaxUses", p.tokenMaxUses());
        n.put("requiredScope", p.requiredScope());
        return n;
    }

    public static ObjectNode write(RateLimitPolicy p) {
        ObjectNode n = Json.object();
        if (p.requestsPerWindow() != null) n.put("requestsPerWindow", p.requestsPerWindow());
        if (p.tokensPerWindow() != null) n.put("tokensPerWindow", p.tokensPerWindow());
        n.put("windowMs", p.window().toMillis());
        if (p.quotaRequests() != null) {
            n.put("quotaRequests", p.quotaRequests());
            n.put("quotaPeriodMs", p.quotaPeriod().toMillis());
        }
        return n;
    }

    public static ObjectNode write(NetworkPolicy p) {
        ObjectNode n = Json.object();
        strings(n.putArray("allow"), p.allow());
        strings(n.putArray("deny"), p.deny());
        strings(n.putArray("trustedProxies"), p.trustedProxies());
        n.put("regionHeader", p.regionHeader());
        strings(n.putArray("allowRegions"), p.allowRegions());
        strings(n.putArray("blockRegions"), p.blockRegions());
        return n;
    }

    public static ObjectNode write(VersionPolicy p) {
        ObjectNode n = Json.object();
        strings(n.putArray("anthropicVersions"), p.anthropicVersions());
        strings(n.putArray("retiredEndpoints"), p.retiredEndpoints());
        ObjectNode models = n.putObject("retiredModels");
        p.retiredModels().forEach((provider, ids) -> strings(models.putArray(provider.name()), ids));
        n.put("knownModelsOnly", p.knownModelsOnly());
        return n;
    }

    // ---- helpers ----

    /** Runs a builder, turning its IllegalArgumentException ("field: ...") into an InputException. */
    private static <T> T built(java.util.function.Supplier<T> build) {
        return InputException.fromBuild(build);
    }

    /**
     * An object with only the allowed fields. {@code field} names it inside the policy ({@code apiKeys[2]}),
     * or is null for the policy itself, which the caller names ({@code rateLimits}, {@code policies.network}).
     */
    private static void requireObject(JsonNode n, String field, List<String> allowed) {
        if (n == null || !n.isObject()) {
            InputException e = new InputException(null, "expected an object with the fields " + allowed + ", got "
                    + ScenarioCodec.describe(n));
            throw field == null ? e : e.within(field);
        }
        try {
            ScenarioCodec.checkFields(n, allowed, null);
        } catch (InputException e) {
            throw field == null ? e : e.within(field);
        }
    }

    /**
     * A builder's refusal of one list item ({@code "oauthClients.clientId: ..."}, {@code "apiKeys: ..."}),
     * named at that item: {@code oauthClients[1].clientId}, or {@code apiKeys[0].key} when it names no field.
     */
    private static InputException atItem(String at, String defaultField, IllegalArgumentException e) {
        String m = e.getMessage();
        int colon = m.indexOf(':');
        String named = colon < 0 ? "" : m.substring(0, colon);
        int dot = named.indexOf('.');
        String field = at + "." + (dot < 0 ? defaultField : named.substring(dot + 1));
        return new InputException(field, field + ": " + (colon < 0 ? m : m.substring(colon + 1).strip()));
    }

    private static void requireArray(JsonNode n, String field) {
        if (!n.isArray()) throw ScenarioCodec.wrongType(field, n, "a list");
    }

    private static String requiredText(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        String path = at + "." + field;
        if (v == null || v.isNull()) throw new InputException(path, path + ": is required");
        if (!v.isTextual()) throw ScenarioCodec.wrongType(path, v, "a string");
        return v.asText();
    }

    private static long integer(JsonNode n, String field, String at) {
        JsonNode v = n.get(field);
        if (!v.isIntegralNumber() || v.asLong() < 0) throw ScenarioCodec.wrongType(at + "." + field, v, "an integer >= 0");
        return v.asLong();
    }

    private static Set<String> strings(JsonNode n, String field, String at, Set<String> absent) {
        JsonNode v = n.get(field);
        String path = at == null ? field : at + "." + field;
        if (v == null || v.isNull()) return absent;
        if (!v.isArray()) throw ScenarioCodec.wrongType(path, v, "a list of strings");
        Set<String> out = new LinkedHashSet<>();
        for (JsonNode item : v) {
            if (!item.isTextual()) throw ScenarioCodec.wrongType(path, item, "a string");
            out.add(item.asText());
        }
        return out;
    }

    private static void strings(ArrayNode into, Collection<String> values) {
        List<String> sorted = new ArrayList<>(values);
        if (values instanceof Set) sorted.sort(null);
        sorted.forEach(into::add);
    }

    /** Reads one policy by its admin name and hands it to the sink. */
    public static void read(String name, JsonNode body, Consumer<Object> sink) {
        switch (name) {
            case "credentials" -> sink.accept(readCredentials(body));
            case "rateLimits" -> sink.accept(readRateLimits(body));
            case "network" -> sink.accept(readNetwork(body));
            case "versions" -> sink.accept(readVersions(body));
            default -> throw new InputException(null, "unknown policy '" + name + "', allowed: " + NAMES);
        }
    }
}
