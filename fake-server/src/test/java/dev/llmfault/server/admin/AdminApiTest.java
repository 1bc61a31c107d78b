package dev.llmfault.server.admin;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The admin API's happy paths: health, scenarios CRUD with counters, the journal with filters, reset. */
class AdminApiTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.scenario(
            Scenario.builder(Fault.OVERLOADED).id("configured").provider(Provider.ANTHROPIC).times(1).build()));

    static Answer post(String path, String json) {
        return Http.postJson(server.admin(path), json);
    }

    @Test
    void healthSaysUpWithVersionUptimeAndProviders() {
        Answer a = Http.get(server.admin("/health"));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).startsWith("application/json");
        JsonNode h = a.json();
        assertThat(h.path("status").asText()).isEqualTo("UP");
        assertThat(h.path("version").asText()).isNotBlank().isNotEqualTo("unknown").doesNotContain("${");
        assertThat(h.path("uptimeMs").isIntegralNumber()).isTrue();
        assertThat(h.path("providers")).extracting(JsonNode::asText).containsExactly(
                java.util.Arrays.stream(Provider.values()).map(Enum::name).toArray(String[]::new));
        assertThat(h.path("baseUrls").path("OPENAI").asText()).isEqualTo(server.get().baseUrl(Provider.OPENAI).toString())
                .endsWith("/v1");
        assertThat(h.path("scenarios").asInt()).isEqualTo(1);
    }

    @Test
    void aScenarioIsCreatedListedFoundAndDeleted() {
        Answer created = post("/scenarios", """
                {"fault":"RATE_LIMITED","provider":"OPENAI","times":2,"after":0,"probability":1.0,"seed":42,
                 "retryAfterMs":100,"match":{"path":"/v1/chat/completions","model":"gpt-4o","apiKey":"sk-match-0123456789abcd"}}""");

        assertThat(created.status()).as(created.body()).isEqualTo(201);
        String id = created.json().path("id").asText();
        assertThat(id).isNotBlank();
        JsonNode listed = Http.get(server.admin("/scenarios")).json().path("scenarios");
        assertThat(listed).hasSize(2);
        JsonNode s = listed.get(1);
        assertThat(s.path("id").asText()).isEqualTo(id);
        assertThat(s.path("fault").asText()).isEqualTo("RATE_LIMITED");
        assertThat(s.path("provider").asText()).isEqualTo("OPENAI");
        assertThat(s.path("times").asInt()).isEqualTo(2);
        assertThat(s.path("seed").asLong()).isEqualTo(42);
        assertThat(s.path("retryAfterMs").asLong()).isEqualTo(100);
        assertThat(s.path("match").path("path").asText()).isEqualTo("/v1/chat/completions");
        assertThat(s.path("match").path("model").asText()).isEqualTo("gpt-4o");
        assertThat(s.path("match").path("apiKeyMask").asText()).isEqualTo("sk-ma***abcd");
        assertThat(s.path("match").path("apiKeyFingerprint").asText()).matches("[0-9a-f]{64}");
        assertThat(s.path("match").has("apiKey")).isFalse();
        assertThat(s.path("matched").asLong()).isZero();
        assertThat(s.path("fired").asLong()).isZero();
        assertThat(Http.get(server.admin("/scenarios/" + id)).json()).isEqualTo(s);

        assertThat(Http.delete(server.admin("/scenarios/" + id)).json().path("removed").asInt()).isEqualTo(1);
        assertThat(Http.get(server.admin("/scenarios/" + id)).status()).isEqualTo(404);
        assertThat(Http.delete(server.admin("/scenarios/" + id)).status()).isEqualTo(404);
        assertThat(Http.get(server.admin("/scenarios")).json().path("scenarios")).hasSize(1);
    }

    @Test
    void countersShowMatchedAndFired() {
        String id = post("/scenarios", "{\"fault\":\"SERVER_ERROR\",\"provider\":\"COHERE\",\"times\":1,\"after\":1}")
                .json().path("id").asText();
        for (int i = 0; i < 4; i++) {
            Calls.chat(server.get(), Provider.COHERE, false);
        }
        Calls.chat(server.get(), Provider.OPENAI, false);

        JsonNode s = Http.get(server.admin("/scenarios/" + id)).json();
        assertThat(s.path("matched").asLong()).isEqualTo(4);
        assertThat(s.path("fired").asLong()).isEqualTo(1);
        assertThat(server.get().scenarios().firedCount(id)).isEqualTo(1);
        assertThat(Http.get(server.admin("/requests?status=500")).json().path("requests")).singleElement()
                .satisfies(e -> assertThat(e.path("sequence").asLong()).isEqualTo(
                        server.get().journal().entries().get(1).sequence()));
    }

    @Test
    void anArrayAddsAllWithTheirIds() {
        Answer a = post("/scenarios", "[{\"fault\":\"RATE_LIMITED\",\"id\":\"a\"},{\"fault\":\"INVALID_TOKEN\"}]");

        assertThat(a.status()).isEqualTo(201);
        assertThat(a.json().path("ids")).extracting(JsonNode::asText).hasSize(2).startsWith("a");
        assertThat(server.get().scenarios().list()).extracting(Scenario::id).startsWith("configured", "a");
    }

    @Test
    void deletingAllScenariosSaysHowMany() {
        post("/scenarios", "{\"fault\":\"RATE_LIMITED\"}");

        assertThat(Http.delete(server.admin("/scenarios")).json().path("removed").asInt()).isEqualTo(2);
        assertThat(server.get().scenarios().list()).isEmpty();
    }

    @Test
    void requestsAreListedAndFiltered() {
        post("/scenarios", "{\"fault\":\"QUOTA_EXCEEDED\",\"provider\":\"OPENAI\",\"id\":\"quota\",\"times\":1}");
        String otherKey = "sk-other-0123456789abcdef";
        Calls.chat(server.get(), Provider.OPENAI, false);                                        // 429 quota
        Calls.chat(server.get(), Provider.OPENAI, Calls.headers(Provider.OPENAI, otherKey),      // 200
                Calls.body(Provider.OPENAI, false).put("model", "gpt-4o").toString());
        Calls.chat(server.get(), Provider.ANTHROPIC, false);                                     // 529 configured
        Calls.chat(server.get(), Provider.ZHIPU, Calls.headers(Provider.ZHIPU), "nope");        // 400
        Calls.chat(server.get(), Provider.ZHIPU, true);                                          // 200
        server.get().journal().awaitRequests(5, Duration.ofSeconds(5));

        assertThat(count("")).isEqualTo(5);
        assertThat(count("?provider=zhipu")).isEqualTo(2);
        assertThat(count("?path=/v1/messages")).isEqualTo(1);
        assertThat(count("?status=200")).isEqualTo(2);
        assertThat(count("?fault=QUOTA_EXCEEDED")).isEqualTo(1);
        assertThat(count("?fault=overloaded&provider=ANTHROPIC")).isEqualTo(1);
        assertThat(count("?apiKey=" + URLEncoder.encode(otherKey, StandardCharsets.UTF_8))).isEqualTo(1);
        assertThat(count("?model=gpt-4o")).isEqualTo(1);
        assertThat(count("?scenarioId=quota")).isEqualTo(1);
        assertThat(count("?scenarioId=configured")).isEqualTo(1);
        String fingerprint = server.get().journal().entries().get(1).apiKeyFingerprint();
        assertThat(count("?apiKeyFingerprint=" + fingerprint)).isEqualTo(1);
        JsonNode last2 = Http.get(server.admin("/requests?limit=2")).json();
        assertThat(last2.path("requests")).extracting(e -> e.path("provider").asText()).containsExactly("ZHIPU", "ZHIPU");
        assertThat(last2.path("total").asLong()).isEqualTo(5);

        JsonNode e = Http.get(server.admin("/requests?fault=QUOTA_EXCEEDED")).json().path("requests").get(0);
        for (String field : new String[] {"sequence", "time", "monotonicNanos", "method", "path", "headers", "body",
                "clientAddress", "provider", "model", "stream", "apiKeyMask", "apiKeyFingerprint", "fault", "faultReason",
                "scenarioId", "status", "responseHeaders", "durationMs"}) {
            assertThat(e.has(field)).as("field %s in %s", field, e).isTrue();
        }
        assertThat(e.path("body").isObject()).as("a JSON body is shown as JSON").isTrue();
        assertThat(e.path("responseHeaders").path("x-request-id").asText()).startsWith("req_");
    }

    int count(String query) {
        Answer a = Http.get(server.admin("/requests" + query));
        assertThat(a.status()).as(query + ": " + a.body()).isEqualTo(200);
        return a.json().path("requests").size();
    }

    @Test
    void deletingRequestsEmptiesTheJournal() {
        Calls.chat(server.get(), Provider.OPENAI, false);
        server.get().journal().awaitRequests(1, Duration.ofSeconds(5));

        assertThat(Http.delete(server.admin("/requests")).json().path("cleared").asBoolean()).isTrue();
        assertThat(server.get().journal().entries()).isEmpty();
        assertThat(count("")).isZero();
    }

    @Test
    void resetRestoresTheConfiguredScenariosAndEmptiesJournalAndCounters() {
        Calls.chat(server.get(), Provider.ANTHROPIC, false); // fires 'configured'
        post("/scenarios", "{\"fault\":\"RATE_LIMITED\",\"provider\":\"COHERE\"}");
        assertThat(server.get().scenarios().firedCount("configured")).isEqualTo(1);

        Answer a = post("/reset", "");

        assertThat(a.status()).isEqualTo(200);
        assertThat(server.get().scenarios().list()).extracting(Scenario::id).containsExactly("configured");
        assertThat(server.get().scenarios().firedCount("configured")).isZero();
        assertThat(server.get().journal().entries()).isEmpty();
        assertThat(Calls.chat(server.get(), Provider.ANTHROPIC, false).status()).as("fires again after the reset").isEqualTo(529);
        assertThat(Calls.chat(server.get(), Provider.COHERE, false).status()).isEqualTo(200);
    }

    @Test
    void unknownAdminEndpointsListTheRealOnes() {
        Answer a = Http.send("PUT", server.admin("/scenarios"), Map.of(), "{}");
        Answer b = Http.get(server.admin("/nope"));

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().path("error").path("message").asText()).contains("GET|POST|DELETE /__admin/scenarios");
        assertThat(b.status()).isEqualTo(404);
        assertThat(server.get().journal().entries()).as("admin calls are not provider requests").isEmpty();
    }

    @Test
    void anAdminTokenIsRequiredWhenOneIsSet() {
        try (FakeLlmServer guarded = FakeLlmServer.builder().allowRemote("admin-secret-token").start()) {
            URI health = guarded.url().resolve("/__admin/health");
            Answer none = Http.get(health);
            Answer wrong = Http.send("GET", health, Map.of("Authorization", "Bearer nope"), null);
            Answer bearer = Http.send("GET", health, Map.of("Authorization", "Bearer admin-secret-token"), null);
            Answer header = Http.send("GET", health, Map.of("X-Admin-Token", "admin-secret-token"), null);
            Answer add = Http.send("POST", guarded.url().resolve("/__admin/scenarios"),
                    Map.of("Content-Type", "application/json"), "{\"fault\":\"RATE_LIMITED\"}");

            assertThat(none.status()).isEqualTo(401);
            assertThat(none.json().path("error").path("message").asText()).contains("--admin-token").doesNotContain("admin-secret-token");
            assertThat(wrong.status()).isEqualTo(401);
            assertThat(bearer.status()).isEqualTo(200);
            assertThat(header.status()).isEqualTo(200);
            assertThat(add.status()).isEqualTo(401);
            assertThat(guarded.scenarios().list()).as("a refused change changes nothing").isEmpty();
            assertThat(Calls.chat(guarded, Provider.OPENAI, false).status()).as("provider calls need no admin token").isEqualTo(200);
        }
    }

    @Test
    void aNonLoopbackHostNeedsAllowRemoteAndAToken() {
        assertThatThrownBy(() -> FakeLlmServer.builder().host("0.0.0.0").start())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("host").hasMessageContaining("0.0.0.0").hasMessageContaining("--allow-remote");
        assertThatThrownBy(() -> FakeLlmServer.builder().host("0.0.0.0").allowRemote(" ").start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("adminToken");
    }
}
