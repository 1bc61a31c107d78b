package dev.llmfault.server.provider;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Envelopes;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure OpenAI's own paths and rules on top of OpenAI's shapes: deployments name the model, the dated paths need a
 * known api-version, the gateway's errors, Entra ID tokens that expire, Azure's 429.
 */
class AzureOpenAiTest {
    static final String KEY = "0123456789abcdef0123456789abcdef";
    static final String CHAT_BODY = "{\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    static Answer post(String pathAndQuery, Map<String, String> headers, String body) {
        return Http.send("POST", server.get().url().resolve(pathAndQuery), headers, body);
    }

    static Map<String, String> apiKey() {
        return Map.of("Content-Type", "application/json", "api-key", KEY);
    }

    @Test
    void aDeploymentPathNamesTheModelAndNeedsNoModelInTheBody() {
        Answer a = post("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", apiKey(), CHAT_BODY);

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("model").asText()).isEqualTo("gpt-4o");
        assertThat(a.json().path("choices").path(0).path("message").path("content").asText()).isNotBlank();
        assertThat(a.header("apim-request-id")).matches("[0-9a-f-]{36}");
        assertThat(server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0).provider())
                .isEqualTo(Provider.AZURE_OPENAI);
    }

    @Test
    void aMissingApiVersionIsTheGatewaysResourceNotFound() {
        Answer a = post("/openai/deployments/gpt-4o/chat/completions", apiKey(), CHAT_BODY);

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().path("error").path("code").asText()).isEqualTo("404");
        assertThat(a.json().path("error").path("message").asText()).isEqualTo("Resource not found");
        assertThat(server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0).fault())
                .isEqualTo(Fault.OLD_API_VERSION);
    }

    @Test
    void anUnknownApiVersionIsABadRequest() {
        Answer a = post("/openai/deployments/gpt-4o/chat/completions?api-version=2019-01-01", apiKey(), CHAT_BODY);

        assertThat(a.status()).isEqualTo(400);
        assertThat(a.json().path("error").path("code").asText()).isEqualTo("BadRequest");
        assertThat(a.json().path("error").path("message").asText()).isEqualTo("API version not supported");
    }

    @Test
    void theV1PathsNeedNoApiVersionAndServeTheResponsesApi() {
        Answer chat = post("/openai/v1/chat/completions", apiKey(), Calls.body(Provider.OPENAI, false).toString());
        Answer response = post("/openai/v1/responses", apiKey(), "{\"model\":\"gpt-4o\",\"input\":\"hi\"}");
        Answer dated = post("/openai/responses?api-version=2025-03-01-preview", apiKey(), "{\"model\":\"gpt-4o\",\"input\":\"hi\"}");

        assertThat(chat.status()).as(chat.body()).isEqualTo(200);
        assertThat(response.status()).as(response.body()).isEqualTo(200);
        assertThat(response.json().path("object").asText()).isEqualTo("response");
        assertThat(dated.status()).as(dated.body()).isEqualTo(200);
        String id = response.json().path("id").asText();
        assertThat(Http.send("GET", server.get().url().resolve("/openai/v1/responses/" + id), apiKey(), null).status())
                .isEqualTo(200);
    }

    @Test
    void aRateLimitSaysHowLongToWaitInTheTextAndBothHeaders() {
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).provider(Provider.AZURE_OPENAI)
                .retryAfterMs(2000).times(1).build());

        Answer a = post("/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21", apiKey(), CHAT_BODY);

        assertThat(a.status()).isEqualTo(429);
        assertThat(a.json().path("error").path("code").asText()).isEqualTo("429");
        assertThat(a.json().path("error").path("message").asText())
                .contains("API version 2024-10-21").contains("Please retry after 2 seconds.");
        assertThat(a.header("retry-after")).isEqualTo("2");
        assertThat(a.header("retry-after-ms")).isEqualTo("2000");
    }

    @Test
    void anEntraIdTokenFromTheOAuthEndpointReallyExpires() {
        server.get().policies().credentials(CredentialPolicy.builder().oauthClient("app", "s3cret-0123456789", Set.of("model.request"))
                .tokenLifetime(Duration.ofSeconds(2)).build());
        String basic = Base64.getEncoder().encodeToString("app:s3cret-0123456789".getBytes(StandardCharsets.UTF_8));
        String token = Calls.oauthToken(server.get(), "grant_type=client_credentials", Map.of("Authorization", "Basic " + basic))
                .json().get("access_token").asText();
        Map<String, String> bearer = Map.of("Content-Type", "application/json", "Authorization", "Bearer " + token);
        String path = "/openai/deployments/gpt-4o/chat/completions?api-version=2024-10-21";

        assertThat(post(path, bearer, CHAT_BODY).status()).isEqualTo(200);
        Awaitility.await().atMost(Duration.ofSeconds(15)).pollInterval(Duration.ofMillis(200)).untilAsserted(() -> {
            Answer expired = post(path, bearer, CHAT_BODY);
            assertThat(expired.status()).isEqualTo(401);
            JsonNode bare = expired.json(); // shared/spec/providers.md section 6: no "error" object
            assertThat(bare.path("statusCode").asInt()).isEqualTo(401);
            assertThat(bare.path("message").asText()).contains("or have expired");
        });
        assertThat(Envelopes.requestIdHeader(Provider.AZURE_OPENAI)).isEqualTo("apim-request-id");
    }
}
