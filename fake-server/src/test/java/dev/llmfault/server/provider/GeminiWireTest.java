package dev.llmfault.server.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only Gemini does, beyond the provider-wide tests: its paths sharing {@code /v1/models} with OpenAI, its key
 * in the query, its RetryInfo instead of headers, its field checks, {@code countTokens}.
 */
class GeminiWireTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static final String GEMINI_KEY = Calls.key(Provider.GEMINI);

    private static Answer gemini(String method, String path, Map<String, String> headers, String body) {
        return Http.send(method, server.get().url().resolve(path), headers, body);
    }

    private static Map<String, String> googleKey() {
        return Map.of("Content-Type", "application/json", "x-goog-api-key", GEMINI_KEY);
    }


    @Test
    void v1ModelsIsGeminisWithAGoogleKeyAndOpenAisOtherwise() {
        Answer gemini = gemini("GET", "/v1/models/gemini-2.5-flash", googleKey(), null);
        Answer openAi = gemini("GET", "/v1/models/gpt-4o-mini", Calls.headers(Provider.OPENAI), null);
        Answer geminiList = gemini("GET", "/v1/models?pageSize=50", googleKey(), null);

        assertThat(gemini.status()).isEqualTo(200);
        assertThat(gemini.json().path("name").asText()).isEqualTo("models/gemini-2.5-flash");
        assertThat(openAi.json().path("object").asText()).isEqualTo("model");
        assertThat(geminiList.json().path("models").get(0).path("supportedGenerationMethods").toString())
                .contains("generateContent");
        assertThat(server.get().journal().awaitRequests(3, Duration.ofSeconds(5))).extracting(JournalEntry::provider)
                .containsExactly(Provider.GEMINI, Provider.OPENAI, Provider.GEMINI);
    }

    @Test
    void theKeyMayComeAsTheDocumentedQueryParameterAndIsMaskedInTheJournal() {
        String body = Calls.body(Provider.GEMINI, false).toString();

        Answer a = gemini("POST", "/v1beta/models/gemini-2.5-flash:generateContent?key=" + GEMINI_KEY,
                Map.of("Content-Type", "application/json"), body);

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JournalEntry e = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(e.query()).startsWith("key=").doesNotContain(GEMINI_KEY);
        assertThat(e.apiKeyMask()).isNotNull().doesNotContain(GEMINI_KEY);
    }

    @Test
    void aRateLimitAsksItsWaitInRetryInfoAndTheJournalKnowsIt() {
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).provider(Provider.GEMINI).times(1)
                .retryAfterMs(2500).build());

        Answer a = Calls.chat(server.get(), Provider.GEMINI, false);

        assertThat(a.status()).isEqualTo(429);
        assertThat(a.header("retry-after")).isNull();
        JsonNode error = a.json().path("error");
        assertThat(error.path("status").asText()).isEqualTo("RESOURCE_EXHAUSTED");
        assertThat(error.path("message").asText()).contains("Please retry in 2.50s");
        assertThat(error.path("details").findValuesAsText("retryDelay")).containsExactly("2.500s");
        assertThat(error.path("details").findValuesAsText("quotaId"))
                .containsExactly("GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
        assertThat(server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0).retryAfter())
                .contains(Duration.ofMillis(2500));
    }

    @Test
    void aBadKeyIsA400WithErrorInfoReasonApiKeyInvalid() {
        server.get().scenarios().add(Scenario.builder(Fault.INVALID_TOKEN).provider(Provider.GEMINI).times(1).build());

        Answer a = Calls.chat(server.get(), Provider.GEMINI, false);

        assertThat(a.status()).isEqualTo(400);
        JsonNode error = a.json().path("error");
        assertThat(error.path("code").asInt()).isEqualTo(400);
        assertThat(error.path("status").asText()).isEqualTo("INVALID_ARGUMENT");
        assertThat(error.path("details").get(0).path("@type").asText()).isEqualTo("type.googleapis.com/google.rpc.ErrorInfo");
        assertThat(error.path("details").get(0).path("reason").asText()).isEqualTo("API_KEY_INVALID");
    }

    @Test
    void contentsAreRequiredAndRolesChecked() {
        Answer missing = gemini("POST", "/v1beta/models/gemini-2.5-flash:generateContent", googleKey(), "{}");
        Answer badRole = gemini("POST", "/v1beta/models/gemini-2.5-flash:generateContent", googleKey(),
                "{\"contents\":[{\"role\":\"assistant\",\"parts\":[{\"text\":\"hi\"}]}]}");

        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().path("error").path("message").asText())
                .isEqualTo("* GenerateContentRequest.contents: contents is not specified\n");
        assertThat(badRole.status()).isEqualTo(400);
        assertThat(badRole.json().path("error").path("message").asText()).contains("Please use a valid role: user, model.");
        assertThat(badRole.json().path("error").path("details").findValuesAsText("field")).containsExactly("contents[0].role");
    }

    @Test
    void countsTokens() {
        Answer a = gemini("POST", "/v1/models/gemini-2.5-flash:countTokens", googleKey(),
                "{\"contents\":[{\"parts\":[{\"text\":\"12345678\"}]}]}");

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("totalTokens").asInt()).isEqualTo(2);
    }

    @Test
    void anUnknownModelIsTheNotFoundForTheApiVersionOfThePath() {
        Answer a = gemini("GET", "/v1beta/models/gemini-0.1-nope", googleKey(), null);

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().path("error").path("message").asText())
                .startsWith("models/gemini-0.1-nope is not found for API version v1beta");
    }
}
