package dev.llmfault.server.policies;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.VersionPolicy;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.http.HttpResponse;

import static org.assertj.core.api.Assertions.assertThat;

class VersionPolicyTest {
    private static final String KEY = "sk-ver-0123456789abcdef0000";
    private FakeLlmServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void oldAnthropicVersionIsRefusedWithAnthropicsMessage() {
        server = FakeLlmServer.builder().versions(VersionPolicy.builder().anthropicVersions("2023-06-01").build()).start();

        HttpResponse<String> old = Calls.anthropic(server, KEY, "2023-01-01", Calls.ANTHROPIC_BODY);

        assertThat(old.statusCode()).isEqualTo(400);
        assertThat(Calls.json(old).at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(Calls.json(old).at("/error/message").asText())
                .isEqualTo("anthropic-version: unknown version '2023-01-01'. Supported versions: 2023-06-01");
        assertThat(server.journal().last().orElseThrow().fault()).isEqualTo(Fault.OLD_API_VERSION);
        assertThat(Calls.anthropic(server, KEY, "2023-06-01", Calls.ANTHROPIC_BODY).statusCode()).isEqualTo(200);
    }

    @Test
    void withoutThePolicyAnyDateShapedVersionPassesButAMissingOneDoesNot() {
        server = FakeLlmServer.start();

        assertThat(Calls.anthropic(server, KEY, "2026-10-21", Calls.ANTHROPIC_BODY).statusCode()).isEqualTo(200);
        HttpResponse<String> missing = Calls.post(URI.create(server.url() + "/v1/messages"), Calls.ANTHROPIC_BODY,
                "x-api-key", KEY);
        assertThat(missing.statusCode()).isEqualTo(400);
        assertThat(Calls.json(missing).at("/error/message").asText()).isEqualTo("anthropic-version: header is required");
    }

    @Test
    void retiredModelIsRefusedWithEachProvidersMessage() {
        server = FakeLlmServer.builder().versions(VersionPolicy.builder()
                .retiredModels(Provider.OPENAI, "text-davinci-003")
                .retiredModels(Provider.ANTHROPIC, "claude-2.0").build()).start();

        HttpResponse<String> openAi = Calls.openAiBody(server, KEY,
                "{\"model\":\"text-davinci-003\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(openAi.statusCode()).isEqualTo(404);
        assertThat(Calls.json(openAi).at("/error/message").asText())
                .isEqualTo("The model `text-davinci-003` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations");
        assertThat(Calls.json(openAi).at("/error/code").asText()).isEqualTo("model_not_found");

        HttpResponse<String> anthropic = Calls.anthropic(server, KEY, "2023-06-01",
                "{\"model\":\"claude-2.0\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(anthropic.statusCode()).isEqualTo(404);
        assertThat(Calls.json(anthropic).at("/error/type").asText()).isEqualTo("not_found_error");
    }

    @Test
    void knownModelsOnlyRefusesModelsOutsideTheList() {
        server = FakeLlmServer.builder().models(Provider.OPENAI, "gpt-4o")
                .versions(VersionPolicy.builder().knownModelsOnly(true).build()).start();

        HttpResponse<String> unknown = Calls.openAiBody(server, KEY,
                "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Calls.json(unknown).at("/error/message").asText())
                .isEqualTo("The model `gpt-9` does not exist or you do not have access to it.");
        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(200);
    }

    @Test
    void retiredEndpointsAreOldApiVersionsWithTheReasonInTheJournal() {
        server = FakeLlmServer.builder().versions(VersionPolicy.builder().build()).start();

        HttpResponse<String> completions = Calls.post(URI.create(server.url() + "/v1/completions"),
                "{\"model\":\"davinci\",\"prompt\":\"hi\"}", "Authorization", "Bearer " + KEY);

        assertThat(completions.statusCode()).isEqualTo(404);
        assertThat(Calls.json(completions).at("/error/message").asText()).isEqualTo("Invalid URL (POST /v1/completions)");
        assertThat(server.journal().last().orElseThrow().faultReason()).contains("retired endpoint");
    }
}
