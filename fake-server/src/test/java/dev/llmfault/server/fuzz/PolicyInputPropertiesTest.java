package dev.llmfault.server.fuzz;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.VersionPolicy;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Gen;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Tries;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.math.BigInteger;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Stream;

import static dev.llmfault.server.testing.Gen.weight;
import static java.util.Map.entry;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random policy input to the admin API (valid and broken shapes, wrong types, unknown fields, bad CIDRs
 * and region codes, huge numbers): each PUT is either applied, and then reads back as it will be
 * applied again, or refused with a 400 naming a real field, and a refusal leaves every policy exactly as
 * it was. Revocations with random bodies never get a 5xx.
 */
class PolicyInputPropertiesTest {
    static final List<String> POLICIES = List.of("credentials", "rateLimits", "network", "versions");

    /** Each policy's fields as the server names them; list items as {@code []}, providers by their enum names. */
    static final Map<String, Set<String>> SCHEMA = Map.of(
            "credentials", Set.of("apiKeys", "apiKeys[]", "apiKeys[].key", "apiKeys[].fingerprint", "apiKeys[].mask",
                    "apiKeys[].scopes", "apiKeys[].expiresAt", "apiKeys[].expiresInMs", "oauthClients", "oauthClients[]",
                    "oauthClients[].clientId", "oauthClients[].clientSecret", "oauthClients[].clientSecretFingerprint",
                    "oauthClients[].scopes", "tokenLifetimeMs", "tokenMaxUses", "requiredScope"),
            "rateLimits", Set.of("requestsPerWindow", "tokensPerWindow", "windowMs", "quotaRequests", "quotaPeriodMs"),
            "network", Set.of("allow", "deny", "trustedProxies", "regionHeader", "allowRegions", "blockRegions"),
            "versions", Set.of("anthropicVersions", "retiredEndpoints", "retiredModels", "retiredModels.OPENAI",
                    "retiredModels.ANTHROPIC", "retiredModels.COHERE", "retiredModels.ZHIPU", "knownModelsOnly"));

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    static Answer put(String policy, String body) {
        return Http.send("PUT", server.admin("/policies/" + policy), Map.of("Content-Type", "application/json"), body);
    }

    static String policies() {
        Answer a = Http.get(server.admin("/policies"));
        assertThat(a.status()).isEqualTo(200);
        return a.body();
    }

    /** A policy change to try, on top of a starting state (which of the four policies are on). */
    record Change(Set<String> startingWith, String policy, String body) {
        @Override
        public String toString() {
            return "PUT /__admin/policies/" + policy + " " + body + " (policies on before: " + startingWith + ")";
        }
    }

    record Revocation(boolean credentialsOn, String body) {
        @Override
        public String toString() {
            return "POST /__admin/policies/credentials/revocations " + body + " (credential policy on: " + credentialsOn + ")";
        }
    }

    @TestFactory
    Stream<DynamicTest> aPolicyChangeIsAppliedOrRefusedNamingARealFieldAndARefusalChangesNothing() {
        return Tries.of(PolicyInputPropertiesTest::change, c -> {
            startWith(c.startingWith());
            String before = policies();

            Answer a = put(c.policy(), c.body());

            assertThat(a.status()).as("%s -> %s", c, a.body()).isIn(200, 400);
            if (a.status() == 200) {
                JsonNode shown = a.json().path(c.policy());
                assertThat(shown.isObject()).as("the applied policy in the answer to %s: %s", c, a.body()).isTrue();
                assertThat(Http.get(server.admin("/policies/" + c.policy())).json().path(c.policy())).isEqualTo(shown);
                // what the server shows is what it applies: put back, it reads the same
                String applied = policies();
                assertThat(put(c.policy(), shown.toString()).status()).as("%s put back", shown).isEqualTo(200);
                assertThat(policies()).as("after putting back %s", shown).isEqualTo(applied);
            } else {
                JsonNode error = a.json().path("error");
                assertThat(error.path("message").asText()).as("message of %s", a.body()).isNotBlank();
                String field = error.path("field").asText(null);
                assertThat(field).as("error.field of %s for %s", a.body(), c).isNotNull();
                assertThat(error.path("message").asText()).as("message of %s", a.body()).startsWith(field + ":");
                assertThat(namesARealField(c.policy(), field, parsedOrNull(c.body())))
                        .as("%s names a field of %s or of the body %s", field, c.policy(), c.body()).isTrue();
                assertThat(policies()).as("policies after refusing %s", c).isEqualTo(before);
            }
        });
    }

    @TestFactory
    Stream<DynamicTest> policyBodiesThatAreNoJsonObjectAreRefusedAndChangeNothing() {
        return Tries.of(gen -> new Change(startingState(gen), gen.oneOf(POLICIES), garbage(gen)), c -> {
            startWith(c.startingWith());
            String before = policies();

            Answer a = put(c.policy(), c.body());

            assertThat(a.status()).as("%s -> %s", c, a.body()).isEqualTo(400);
            assertThat(a.json().path("error").path("message").asText()).isNotBlank();
            assertThat(policies()).isEqualTo(before);
        });
    }

    @TestFactory
    Stream<DynamicTest> revocationsWithRandomBodiesNeverGetA5xx() {
        return Tries.of(gen -> new Revocation(gen.oneIn(2), revocationBody(gen)), r -> {
            startWith(r.credentialsOn() ? Set.of("credentials") : Set.of());

            Answer a = Http.postJson(server.admin("/policies/credentials/revocations"), r.body());

            assertThat(a.status()).as("%s -> %s", r, a.body()).isIn(200, 400, 404, 409);
            if (a.status() != 200) {
                assertThat(a.json().path("error").path("message").asText()).as("%s -> %s", r, a.body()).isNotBlank();
            }
        });
    }

    // ---- state ----

    static final String BASE_KEY = "sk-base-0123456789abcdef0000";

    /** Back to no policy, then the given ones with known values. */
    static void startWith(Set<String> on) {
        server.get().reset();
        if (on.contains("credentials")) {
            server.get().policies().credentials(CredentialPolicy.builder().apiKey(BASE_KEY)
                    .oauthClient("base-app", "base-secret-0123456789", Set.of("model.request"))
                    .tokenLifetime(Duration.ofMinutes(5)).build());
        }
        if (on.contains("rateLimits")) {
            server.get().policies().rateLimits(RateLimitPolicy.builder().requestsPerWindow(50).quota(1000, Duration.ofDays(1)).build());
        }
        if (on.contains("network")) {
            server.get().policies().network(NetworkPolicy.builder().deny("203.0.113.0/24").trustedProxies("127.0.0.1")
                    .blockRegions("KP").build());
        }
        if (on.contains("versions")) {
            server.get().policies().versions(VersionPolicy.builder().anthropicVersions("2023-06-01")
                    .retiredModels(Provider.OPENAI, "text-davinci-003").build());
        }
    }

    // ---- the field an error names ----

    /** The field is one of the policy's (list indexes aside), the policy itself, or a place in the body sent. */
    static boolean namesARealField(String policy, String field, JsonNode body) {
        if (field.equals(policy)) {
            return true;
        }
        if (!field.startsWith(policy + ".")) {
            return false;
        }
        String path = field.substring(policy.length() + 1);
        return SCHEMA.get(policy).contains(path.replaceAll("\\[\\d+]", "[]")) || (body != null && paths(body, "").contains(path));
    }

    /** Every place in a JSON value, named as the server names them: {@code a.b}, {@code a[0].c}. */
    static Set<String> paths(JsonNode node, String at) {
        Set<String> out = new HashSet<>();
        if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                String p = at.isEmpty() ? e.getKey() : at + "." + e.getKey();
                out.add(p);
                out.addAll(paths(e.getValue(), p));
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                String p = at + "[" + i + "]";
                out.add(p);
                out.addAll(paths(node.get(i), p));
            }
        }
        return out;
    }

    static JsonNode parsedOrNull(String body) {
        try {
            return Answer.JSON.readTree(body);
        } catch (Exception e) {
            return null;
        }
    }

    // ---- generators ----

    static final JsonNodeFactory F = JsonNodeFactory.instance;

    static Set<String> startingState(Gen gen) {
        Set<String> on = new HashSet<>();
        POLICIES.forEach(p -> {
            if (!gen.oneIn(4)) {
                on.add(p);
            }
        });
        return on;
    }

    static Change change(Gen gen) {
        String policy = gen.oneOf(POLICIES);
        JsonNode body = gen.weighted(
                weight(12, () -> policyBody(gen, policy)),
                weight(1, () -> policyBody(gen, gen.oneOf(POLICIES))), // another policy's fields
                weight(1, () -> gen.json(3, SCHEMA.get(policy).toArray(String[]::new))));
        return new Change(startingState(gen), policy, body.toString());
    }

    /** Some of the policy's fields, each valid or not, and now and then a field it does not have. */
    static JsonNode policyBody(Gen gen, String policy) {
        ObjectNode body = F.objectNode();
        FIELDS.get(policy).forEach((name, value) -> {
            if (gen.oneIn(2)) {
                body.set(name, value.apply(gen));
            }
        });
        if (gen.oneIn(8)) {
            body.set(gen.oneOf("requestsPerMinute", "windowMS", "deny ", "apikeys", gen.anyString(10)), gen.json(1));
        }
        return body;
    }

    /** What each field of each policy may hold: mostly good values, then wrong types, nulls and extremes. */
    static final Map<String, Map<String, Function<Gen, JsonNode>>> FIELDS = Map.of(
            "credentials", Map.ofEntries(
                    entry("apiKeys", gen -> listOf(gen, PolicyInputPropertiesTest::apiKey)),
                    entry("oauthClients", gen -> listOf(gen, PolicyInputPropertiesTest::oauthClient)),
                    entry("tokenLifetimeMs", PolicyInputPropertiesTest::number),
                    entry("tokenMaxUses", PolicyInputPropertiesTest::number),
                    entry("requiredScope", gen -> text(gen, "model.request", "files.read", "", " "))),
            "rateLimits", Map.of(
                    "requestsPerWindow", PolicyInputPropertiesTest::number,
                    "tokensPerWindow", PolicyInputPropertiesTest::number,
                    "windowMs", PolicyInputPropertiesTest::number,
                    "quotaRequests", PolicyInputPropertiesTest::number,
                    "quotaPeriodMs", PolicyInputPropertiesTest::number),
            "network", Map.of(
                    "allow", gen -> texts(gen, PolicyInputPropertiesTest::address),
                    "deny", gen -> texts(gen, PolicyInputPropertiesTest::address),
                    "trustedProxies", gen -> texts(gen, PolicyInputPropertiesTest::address),
                    "regionHeader", gen -> text(gen, "CF-IPCountry", "X-Region", "x-country", "bad header", "", "X:Y"),
                    "allowRegions", gen -> texts(gen, PolicyInputPropertiesTest::region),
                    "blockRegions", gen -> texts(gen, PolicyInputPropertiesTest::region)),
            "versions", Map.of(
                    "anthropicVersions", gen -> texts(gen, g -> g.oneOf("2023-06-01", "2023-01-01", "2024-10-22", "v1",
                            "2023-13-45", "", "2023-06-01T00:00:00Z", g.printable(12))),
                    "retiredEndpoints", gen -> texts(gen, g -> g.oneOf("/v1/completions", "POST /v1/engines", "/v1/engines/*",
                            "", "*", "v1", g.printable(20))),
                    "retiredModels", PolicyInputPropertiesTest::retiredModels,
                    "knownModelsOnly", gen -> gen.oneIn(3) ? gen.json(1) : F.booleanNode(gen.oneIn(2))));

    static JsonNode apiKey(Gen gen) {
        ObjectNode k = F.objectNode();
        if (!gen.oneIn(6)) {
            k.set("key", text(gen, "sk-live-0123456789abcdef0123", "zid.zsecret0123456789", "sk-x", "", "k",
                    "sk-" + gen.string("abcdef0123456789", 0, 40)));
        }
        if (gen.oneIn(5)) {
            k.set("fingerprint", text(gen, "0".repeat(64), "abc", ""));
        }
        if (gen.oneIn(6)) {
            k.set("mask", text(gen, "sk-li***0123", ""));
        }
        if (gen.oneIn(2)) {
            k.set("scopes", texts(gen, g -> g.oneOf("model.request", "files.read", "", g.printable(10))));
        }
        if (gen.oneIn(4)) {
            k.set("expiresAt", text(gen, "2030-01-01T00:00:00Z", "2001-01-01T00:00:00Z", "tomorrow", "2030-13-01T00:00:00Z",
                    "+1000000000-01-01T00:00:00Z", ""));
        }
        if (gen.oneIn(4)) {
            k.set("expiresInMs", number(gen));
        }
        if (gen.oneIn(10)) {
            k.set(gen.oneOf("secret", "keys", gen.anyString(6)), gen.json(1));
        }
        return gen.oneIn(15) ? gen.json(1) : k;
    }

    static JsonNode oauthClient(Gen gen) {
        ObjectNode c = F.objectNode();
        if (!gen.oneIn(6)) {
            c.set("clientId", text(gen, "app", "other-app", "", gen.printable(12)));
        }
        if (!gen.oneIn(5)) {
            c.set("clientSecret", text(gen, "client-secret-0123456789", "s", ""));
        }
        if (gen.oneIn(6)) {
            c.set("clientSecretFingerprint", text(gen, "f".repeat(64), "xyz"));
        }
        if (gen.oneIn(2)) {
            c.set("scopes", texts(gen, g -> g.oneOf("model.request", "files.read", "")));
        }
        return gen.oneIn(15) ? gen.json(1) : c;
    }

    static JsonNode retiredModels(Gen gen) {
        if (gen.oneIn(6)) {
            return gen.json(2);
        }
        ObjectNode m = F.objectNode();
        for (int i = gen.between(0, 3); i > 0; i--) {
            String provider = gen.oneOf("OPENAI", "anthropic", "Cohere", "ZHIPU", "OPENX", "", gen.anyString(6));
            m.set(provider, texts(gen, g -> g.oneOf("text-davinci-003", "claude-2.0", "", g.printable(15))));
        }
        return m;
    }

    /** IPv4 and IPv6 addresses and ranges, good and bad. */
    static String address(Gen gen) {
        return gen.weighted(
                weight(4, () -> gen.oneOf("10.0.0.0/8", "192.168.1.1", "127.0.0.1", "0.0.0.0/0", "203.0.113.0/24",
                        "::1", "2001:db8::/32", "::/0", "fe80::1", "::ffff:10.0.0.1")),
                weight(2, () -> gen.between(0, 255) + "." + gen.between(0, 255) + "." + gen.between(0, 255) + "."
                        + gen.between(0, 255) + (gen.oneIn(2) ? "/" + gen.between(0, 32) : "")),
                weight(3, () -> gen.oneOf("10.0.0.0/33", "300.1.1.1", "1.2.3", "1.2.3.4/", "/8", "10.0.0.0/8/8",
                        "10.0.0.0/-1", "::/129", "example.com", "localhost", "", " ", "1.2.3.4 ", "1.2.3.4/08",
                        "2001:db8::g", "1::2::3", "10.0.0.0/2147483648", "fe80::1%eth0")),
                weight(1, () -> gen.printable(20)));
    }

    static String region(Gen gen) {
        return gen.weighted(
                weight(4, () -> gen.oneOf("US", "DE", "KP", "kp", "Cn", "GB")),
                weight(2, () -> gen.oneOf("Narnia", "U", "USA", "", "1A", " US", "ÜS")),
                weight(1, () -> gen.string("ABCDEFGHIJKLMNOPQRSTUVWXYZabc1", 0, 4)));
    }

    /** Usually a number: small, zero, negative, huge, fractional; sometimes text or another type. */
    static JsonNode number(Gen gen) {
        return gen.weighted(
                weight(5, () -> F.numberNode(gen.between(1, 100_000))),
                weight(2, () -> F.numberNode(gen.oneOf(0L, -1L, (long) Integer.MAX_VALUE, Integer.MAX_VALUE + 1L,
                        Long.MAX_VALUE, Long.MIN_VALUE, 86_400_000L * 365 * 10_000))),
                weight(1, () -> F.numberNode(new BigInteger("9".repeat(gen.between(19, 40))))),
                weight(1, () -> F.numberNode(gen.oneOf(1.5, 1e3, -0.0, 1e300))),
                weight(1, () -> gen.oneIn(2) ? F.textNode(String.valueOf(gen.between(0, 100))) : gen.json(1)));
    }

    /** A string from the list or any text, now and then another JSON type. */
    static JsonNode text(Gen gen, String... values) {
        return gen.weighted(
                weight(6, () -> F.textNode(gen.oneOf(values))),
                weight(1, () -> F.textNode(gen.anyString(20))),
                weight(1, () -> gen.json(1)));
    }

    /** A list of strings, now and then with another type inside, or not a list at all. */
    static JsonNode texts(Gen gen, Function<Gen, String> item) {
        return gen.weighted(
                weight(8, () -> {
                    var a = F.arrayNode();
                    gen.list(4, () -> item.apply(gen)).forEach(a::add);
                    if (gen.oneIn(10)) {
                        a.add(gen.json(1));
                    }
                    return a;
                }),
                weight(1, () -> F.textNode(item.apply(gen))),
                weight(1, () -> gen.json(1)));
    }

    static JsonNode listOf(Gen gen, Function<Gen, JsonNode> item) {
        if (gen.oneIn(10)) {
            return gen.json(1);
        }
        var a = F.arrayNode();
        gen.list(3, () -> item.apply(gen)).forEach(a::add);
        return a;
    }

    /** Anything but a JSON object: broken JSON, other JSON values, text. */
    static String garbage(Gen gen) {
        String s;
        do {
            s = gen.oneIn(2) ? gen.anyString(50)
                    : gen.oneOf("", " ", "{", "}", "{\"requestsPerWindow\":}", "{\"allow\":[\"10.0.0.0/8\",]}",
                            "{\"windowMs\":1} trailing", "nul", "[1,", "{'deny':[]}", "[]", "null", "\"rateLimits\"", "7");
            JsonNode parsed = parsedOrNull(s);
            if (parsed == null || !parsed.isObject()) {
                return s;
            }
        } while (true);
    }

    static String revocationBody(Gen gen) {
        return gen.weighted(
                weight(3, () -> "{\"credential\":" + text(gen, BASE_KEY, "sk-unknown-0123456789abcdef", "", "x") + "}"),
                weight(2, () -> "{\"fingerprint\":" + text(gen, "0".repeat(64), "abc", "") + "}"),
                weight(2, () -> gen.json(3, "credential", "fingerprint").toString()),
                weight(1, () -> "{\"credential\":" + text(gen, BASE_KEY) + ",\"fingerprint\":" + text(gen, "abc") + "}"),
                weight(1, () -> garbage(gen)));
    }
}
