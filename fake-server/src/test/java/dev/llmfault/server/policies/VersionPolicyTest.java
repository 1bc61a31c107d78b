package dev.llmfault.server.policies;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.VersionPolicy;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class VersionPolicyTest {
    private static final String KEY = "sk-ver-0123456789abcdef0000";
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void oldAnthropicVersionIsRefusedWithAnthropicsMessage() {
        server.get().policies().versions(VersionPolicy.builder().anthropicVersions("2023-06-01").build());

        Answer old = Calls.chat(server.get(), Provider.ANTHROPIC, KEY, Map.of("anthropic-version", "2023-01-01"));

        assertThat(old.status()).isEqualTo(400);
        assertThat(old.json().at("/error/type").asText()).isEqualTo("invalid_request_error");
        assertThat(old.json().at("/error/message").asText())
                .isEqualTo("anthropic-version: unknown version '2023-01-01'. Supported versions: 2023-06-01");
        assertThat(server.get().journal().last().orElseThrow().fault()).isEqualTo(Fault.OLD_API_VERSION);
        assertThat(Calls.chat(server.get(), Provider.ANTHROPIC, KEY).status()).isEqualTo(200);
    }

    @Test
    void withoutThePolicyAnyDateShapedVersionPassesButAMissingOneDoesNot() {
        assertThat(Calls.chat(server.get(), Provider.ANTHROPIC, KEY, Map.of("anthropic-version", "2026-10-21")).status())
                .isEqualTo(200);
        Answer missing = Calls.chat(server.get(), Provider.ANTHROPIC,
                Calls.with(Calls.headers(Provider.ANTHROPIC, KEY), "anthropic-version", null),
                Calls.body(Provider.ANTHROPIC, false).toString());
        assertThat(missing.status()).isEqualTo(400);
        assertThat(missing.json().at("/error/message").asText()).isEqualTo("anthropic-version: header is required");
    }

    @Test
    void retiredModelIsRefusedWithEachProvidersMessage() {
        server.get().policies().versions(VersionPolicy.builder()
                .retiredModels(Provider.OPENAI, "text-davinci-003")
                .retiredModels(Provider.ANTHROPIC, "claude-2.0").build());

        Answer openAi = Calls.chat(server.get(), Provider.OPENAI, Calls.headers(Provider.OPENAI, KEY),
                "{\"model\":\"text-davinci-003\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(openAi.status()).isEqualTo(404);
        assertThat(openAi.json().at("/error/message").asText())
                .isEqualTo("The model `text-davinci-003` has been deprecated, learn more here: https://platform.openai.com/docs/deprecations");
        assertThat(openAi.json().at("/error/code").asText()).isEqualTo("model_not_found");

        Answer anthropic = Calls.chat(server.get(), Provider.ANTHROPIC, Calls.headers(Provider.ANTHROPIC, KEY),
                "{\"model\":\"claude-2.0\",\"max_tokens\":5,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        assertThat(anthropic.status()).isEqualTo(404);
        assertThat(anthropic.json().at("/error/type").asText()).isEqualTo("not_found_error");
    }

    @Test
    void knownModelsOnlyRefusesModelsOutsideTheList() {
        // a server of its own: the list of known models is a build setting
        try (FakeLlmServer listed = FakeLlmServer.builder().models(Provider.OPENAI, Calls.model(Provider.OPENAI))
                .versions(VersionPolicy.builder().knownModelsOnly(true).build()).start()) {
            Answer unknown = Calls.chat(listed, Provider.OPENAI, Calls.headers(Provider.OPENAI, KEY),
                    "{\"model\":\"gpt-9\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");

            assertThat(unknown.status()).isEqualTo(404);
            assertThat(unknown.json().at("/error/message").asText())
                    .isEqualTo("The model `gpt-9` does not exist or you do not have access to it.");
            assertThat(Calls.chat(listed, Provider.OPENAI, KEY).status()).isEqualTo(200);
        }
    }

    @Test
    void retiredEndpointsAreOldApiVersionsWithTheReasonInTheJournal() {
        server.get().policies().versions(VersionPolicy.builder().build());

        Answer completions = Http.send("POST", server.get().url().resolve("/v1/completions"),
                Calls.headers(Provider.OPENAI, KEY), "{\"model\":\"davinci\",\"prompt\":\"hi\"}");

        assertThat(completions.status()).isEqualTo(404);
        assertThat(completions.json().at("/error/message").asText()).isEqualTo("Invalid URL (POST /v1/completions)");
        assertThat(server.get().journal().last().orElseThrow().faultReason()).contains("retired endpoint");
    }
}
