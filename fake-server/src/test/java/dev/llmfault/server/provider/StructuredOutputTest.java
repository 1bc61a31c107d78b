package dev.llmfault.server.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.reply.SchemaInstance;
import dev.llmfault.server.testing.AgentConversation;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With no reply rule, a call that asks for structured output is answered with a document generated from its
 * schema, on every provider and request shape (the fixtures' agent calls each ask for one); a call that forces a
 * tool gets a call of that tool whose arguments follow the tool's schema.
 */
class StructuredOutputTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.replyText("plain text"));

    private static JsonNode json(String text) {
        try {
            return Answer.JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The text of a plain answer, where each provider's SDK reads it. */
    private static String text(Provider p, String path, JsonNode answer) {
        String pointer = switch (p) {
            case OPENAI, AZURE_OPENAI -> path.endsWith("/responses") ? "/output/0/content/0/text" : "/choices/0/message/content";
            case ZHIPU -> "/choices/0/message/content";
            case ANTHROPIC -> "/content/0/text";
            case COHERE -> "/message/content/0/text";
            case GEMINI -> "/candidates/0/content/parts/0/text";
            case BEDROCK -> path.endsWith("/invoke") ? "/content/0/text" : "/output/message/content/0/text";
            case OLLAMA -> "/message/content";
        };
        JsonNode text = answer.at(pointer);
        assertThat(text.isTextual()).as("%s text at %s of %s", p, pointer, answer).isTrue();
        return text.asText();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void theDefaultAnswerIsADocumentOfTheAskedSchema(Provider p) {
        for (AgentConversation.Call call : ProviderFixture.of(p).agentCalls()) {
            Answer a = Http.send("POST", server.get().url().resolve(call.path()), Calls.headers(p), call.body());
            assertThat(a.status()).as("%s %s: %s", p, call.path(), a.body()).isEqualTo(200);

            JsonNode document = json(text(p, call.path(), a.json()));

            assertThat(document).as("%s %s", p, call.path()).isEqualTo(SchemaInstance.of(call.outputSchema()));
        }
    }

    @Test
    void aCallWithoutSchemaKeepsTheConfiguredText() {
        Answer a = Calls.chat(server.get(), Provider.OPENAI, false);
        assertThat(a.json().at("/choices/0/message/content").asText()).isEqualTo("plain text");
    }

    @Test
    void anAnthropicToolChoiceGetsACallOfThatToolWithArgumentsOfItsSchema() {
        ObjectNode body = (ObjectNode) json(ProviderFixture.of(Provider.ANTHROPIC).agentCalls().get(0).body());
        body.remove("output_config");
        body.putObject("tool_choice").put("type", "tool").put("name", AgentConversation.TOOL);

        Answer a = Http.send("POST", server.get().url().resolve("/v1/messages"), Calls.headers(Provider.ANTHROPIC),
                body.toString());

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode block = a.json().at("/content/0");
        assertThat(block.path("type").asText()).as(a.body()).isEqualTo("tool_use");
        assertThat(block.path("name").asText()).isEqualTo(AgentConversation.TOOL);
        assertThat(block.path("id").asText()).startsWith("toolu_01");
        assertThat(block.path("input")).isEqualTo(json("{\"city\":\"example\"}"));
        assertThat(a.json().path("stop_reason").asText()).isEqualTo("tool_use");
    }
}
