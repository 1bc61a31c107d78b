package dev.llmfault.server.provider;

import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What only Ollama does, beyond the provider-wide tests: NDJSON streaming by default, {@code /api/generate}, a
 * credential only when a policy demands one, its model endpoints.
 */
class OllamaWireTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();


    @Test
    void ollamaStreamsNdjsonUnlessTheBodySaysStreamFalse() {
        Answer streamed = Http.send("POST", server.get().url().resolve("/api/chat"), Map.of(),
                "{\"model\":\"llama3.2\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}");
        Answer generated = Http.send("POST", server.get().url().resolve("/api/generate"), Map.of(),
                "{\"model\":\"llama3.2\",\"prompt\":\"hi\",\"stream\":false}");

        assertThat(streamed.status()).isEqualTo(200);
        assertThat(streamed.header("content-type")).startsWith("application/x-ndjson");
        List<String> lines = streamed.body().lines().toList();
        assertThat(lines).hasSizeGreaterThan(1);
        assertThat(lines.get(lines.size() - 1)).contains("\"done\":true").contains("\"eval_count\"");
        assertThat(generated.json().path("response").asText()).isNotBlank();
        assertThat(generated.json().path("done").asBoolean()).isTrue();
    }

    @Test
    void ollamaTakesNoCredentialUntilAPolicyDemandsOne() {
        String body = Calls.body(Provider.OLLAMA, false).toString();
        Answer open = Http.send("POST", server.get().url().resolve("/api/chat"), Map.of(), body);

        server.get().policies().credentials(CredentialPolicy.builder().apiKey(Calls.key(Provider.OLLAMA)).build());
        Answer refused = Http.send("POST", server.get().url().resolve("/api/chat"), Map.of(), body);
        Answer allowed = Calls.chat(server.get(), Provider.OLLAMA, false);

        assertThat(open.status()).isEqualTo(200);
        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().path("error").asText()).isEqualTo("unauthorized");
        assertThat(allowed.status()).isEqualTo(200);
    }

    @Test
    void ollamaListsTagsAndShowsModels() {
        Answer tags = Http.get(server.get().url().resolve("/api/tags"));
        Answer show = Http.send("POST", server.get().url().resolve("/api/show"), Map.of(), "{\"model\":\"llama3.2:latest\"}");
        Answer unknown = Http.send("POST", server.get().url().resolve("/api/show"), Map.of(), "{\"model\":\"nope\"}");

        assertThat(tags.json().path("models").findValuesAsText("name")).contains("llama3.2:latest");
        assertThat(show.status()).as(show.body()).isEqualTo(200);
        assertThat(show.json().path("capabilities").toString()).contains("completion");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").asText()).isEqualTo("model 'nope' not found");
    }

    @Test
    void aMissingOllamaModelTellsToPullIt() {
        server.get().scenarios().add(Scenario.builder(Fault.MODEL_NOT_FOUND).provider(Provider.OLLAMA).times(1).build());

        Answer a = Calls.chat(server.get(), Provider.OLLAMA, false);

        assertThat(a.status()).isEqualTo(404);
        assertThat(a.json().path("error").asText()).isEqualTo("model \"llama3.2\" not found, try pulling it first");
    }
}
