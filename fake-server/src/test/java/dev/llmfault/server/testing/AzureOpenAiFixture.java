package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.testing.Envelopes.ProviderError;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Azure OpenAI through its v1 API ({@code /openai/v1/chat/completions}: the model in the body, no api-version),
 * the key in {@code api-key}. Errors: the gateway's {@code {"error":{"code","message"}}} or OpenAI's envelope.
 */
final class AzureOpenAiFixture extends OpenAiFixture {
    static final AzureOpenAiFixture INSTANCE = new AzureOpenAiFixture();

    @Override
    public Provider provider() {
        return Provider.AZURE_OPENAI;
    }

    @Override
    public String chatPath(boolean stream) {
        return "/openai/v1/chat/completions";
    }

    @Override
    String responsesPath() {
        return "/openai/v1/responses";
    }

    @Override
    public String key() {
        return "0123456789abcdef0123456789abcdef";
    }

    @Override
    public Map<String, String> credential(String key) {
        return Map.of("api-key", key);
    }

    @Override
    public String credentialHeader() {
        return "api-key";
    }

    @Override
    public String requestIdHeader() {
        return "apim-request-id";
    }

    @Override
    public ProviderError readError(Answer a) {
        JsonNode root = a.json();
        if (root.has("statusCode")) { // the Entra ID front door: {"statusCode":401,"message":"..."}
            assertThat(root.size()).as("fields of %s", root).isEqualTo(2);
            assertThat(root.path("statusCode").asInt()).isEqualTo(a.status());
            return new ProviderError(null, "statusCode", root.path("message").asText());
        }
        JsonNode error = root.path("error");
        assertThat(root.size()).as("top-level fields of %s", root).isEqualTo(1);
        assertThat(error.path("message").isTextual()).as("error.message of %s", root).isTrue();
        if (error.has("type")) { // the model's own error: OpenAI's envelope
            return super.readError(a);
        }
        assertThat(error.size()).as("the gateway's error has code and message only: %s", root).isEqualTo(2);
        assertThat(error.path("code").isTextual()).as("error.code of %s", root).isTrue();
        return new ProviderError(null, error.get("code").asText(), error.get("message").asText());
    }

    @Override
    public void assertMatchesRow(ProviderError e, Rendering row) {
        assertThat(e.type()).isEqualTo(row.type());
        assertThat(e.code()).isEqualTo(row.code());
    }

    @Override
    public void assertThrottleHeaders(Answer a) {
        assertThat(a.header("retry-after")).as("retry-after").matches("\\d+");
        assertThat(a.header("retry-after-ms")).as("retry-after-ms").matches("\\d+");
        assertThat(a.header("x-ratelimit-remaining-requests")).isEqualTo("0");
    }
}
