package dev.llmfault.server.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.FaultCatalogue;
import dev.llmfault.server.testing.AgentConversation;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Envelopes;
import dev.llmfault.server.testing.Envelopes.ProviderError;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.function.Consumer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent rules the providers enforce, each refused in the provider's own words (a MALFORMED_BODY variant of
 * its catalogue rows): a tool call the next turn leaves unanswered, a tool result that answers no call, an
 * invalid tool schema (OpenAI), roles that do not alternate (Bedrock), a function-call turn out of place (Gemini).
 * Each case starts from the fixture's valid agent conversation (AgentConversation) and breaks one thing.
 */
class AgentValidationTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static ObjectNode agentBody(Provider p, int call) {
        try {
            return (ObjectNode) Answer.JSON.readTree(ProviderFixture.of(p).agentCalls().get(call).body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Answer send(Provider p, int call, Consumer<ObjectNode> breakIt) {
        ObjectNode body = agentBody(p, call);
        breakIt.accept(body);
        return Http.send("POST", server.get().url().resolve(ProviderFixture.of(p).agentCalls().get(call).path()),
                Calls.headers(p), body.toString());
    }

    /** A 400 of the provider's envelope, the catalogue row of this variant, with this message; returns the body. */
    private static JsonNode refused(Provider p, Answer a, String variant, String message) {
        assertThat(a.status()).as("%s answered %s", p, a.body()).isEqualTo(400);
        ProviderError e = Envelopes.read(p, a);
        ProviderFixture.of(p).assertMatchesRow(e, FaultCatalogue.get().lookup(Fault.MALFORMED_BODY, p, variant));
        assertThat(e.message()).isEqualTo(message);
        assertThat(server.get().journal().entries()).last().satisfies(entry -> {
            assertThat(entry.fault()).isEqualTo(Fault.MALFORMED_BODY);
            assertThat(entry.faultReason()).startsWith("validation: " + variant.replace('_', ' '));
        });
        return a.json();
    }

    private static ArrayNode messages(ObjectNode body) {
        return (ArrayNode) body.get("messages");
    }

    // ---- OpenAI chat completions (and Azure: the same texts) ----

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENAI", "AZURE_OPENAI"})
    void aToolCallFollowedByAUserMessageIsRefusedNamingTheMessageAndTheIds(Provider p) {
        Answer a = send(p, 0, b -> messages(b).set(3, Answer.JSON.createObjectNode().put("role", "user").put("content", "and?")));
        JsonNode error = refused(p, a, "tool_call_unanswered", "An assistant message with 'tool_calls' must be followed by "
                + "tool messages responding to each 'tool_call_id'. The following tool_call_ids did not have response "
                + "messages: call_1").path("error");
        assertThat(error.path("param").asText()).isEqualTo("messages.[3].role");
        assertThat(error.path("code").isNull()).isTrue();
    }

    @Test
    void aConversationEndingWithAnUnansweredCallNamesAllTheMessages() {
        Answer a = send(Provider.OPENAI, 0, b -> messages(b).remove(3));
        JsonNode error = refused(Provider.OPENAI, a, "tool_call_unanswered", "An assistant message with 'tool_calls' must "
                + "be followed by tool messages responding to each 'tool_call_id'. The following tool_call_ids did not "
                + "have response messages: call_1").path("error");
        assertThat(error.path("param").asText()).isEqualTo("messages");
    }

    @Test
    void aToolMessageAnsweringNoCallIsRefused() {
        Answer a = send(Provider.OPENAI, 0, b -> ((ObjectNode) messages(b).get(3)).put("tool_call_id", "call_9"));
        JsonNode error = refused(Provider.OPENAI, a, "tool_result_orphan", "Invalid parameter: messages with role 'tool' "
                + "must be a response to a preceeding message with 'tool_calls'.").path("error");
        assertThat(error.path("param").asText()).isEqualTo("messages.[3].role");
    }

    @Test
    void aToolSchemaThatIsNoObjectSchemaIsRefused() {
        Answer a = send(Provider.OPENAI, 0, b -> ((ObjectNode) b.get("tools").get(0).get("function"))
                .set("parameters", Answer.JSON.createObjectNode().put("type", "string")));
        JsonNode error = refused(Provider.OPENAI, a, "invalid_tool_schema", "Invalid schema for function 'get_weather': "
                + "schema must be a JSON Schema of 'type: \"object\"', got 'type: \"string\"'.").path("error");
        assertThat(error.path("param").asText()).isEqualTo("tools[0].function.parameters");
        assertThat(error.path("code").asText()).isEqualTo("invalid_function_parameters");
    }

    @Test
    void aStrictToolMustCloseAndRequireEveryProperty() {
        Answer open = send(Provider.OPENAI, 0, b -> ((ObjectNode) b.get("tools").get(0).get("function")).put("strict", true));
        refused(Provider.OPENAI, open, "invalid_tool_schema", "Invalid schema for function 'get_weather': In context=(), "
                + "'additionalProperties' is required to be supplied and to be false.");

        Answer missing = send(Provider.OPENAI, 0, b -> {
            ObjectNode f = (ObjectNode) b.get("tools").get(0).get("function");
            f.put("strict", true);
            ObjectNode params = (ObjectNode) f.get("parameters");
            params.put("additionalProperties", false);
            params.putArray("required");
        });
        refused(Provider.OPENAI, missing, "invalid_tool_schema", "Invalid schema for function 'get_weather': In context=(), "
                + "'required' is required to be supplied and to be an array including every key in properties. Missing 'city'.");
    }

    @Test
    void aPropertyOfAnUnknownTypeIsRefused() {
        Answer a = send(Provider.OPENAI, 0, b -> ((ObjectNode) b.get("tools").get(0).get("function").get("parameters")
                .get("properties").get("city")).put("type", "text"));
        refused(Provider.OPENAI, a, "invalid_tool_schema",
                "Invalid schema for function 'get_weather': 'text' is not valid under any of the given schemas");
    }

    // ---- the Responses API ----

    @Test
    void aResponsesCallWithoutItsOutputAndAnOutputWithoutItsCallAreRefused() {
        Answer noOutput = send(Provider.OPENAI, 1, b -> ((ArrayNode) b.get("input")).remove(2));
        assertThat(refused(Provider.OPENAI, noOutput, "no_tool_output", "No tool output found for function call call_1.")
                .path("error").path("param").asText()).isEqualTo("input");

        Answer noCall = send(Provider.OPENAI, 1, b -> ((ArrayNode) b.get("input")).remove(1));
        refused(Provider.OPENAI, noCall, "no_tool_call", "No tool call found for function call output with call_id call_1.");
    }

    // ---- Anthropic ----

    @Test
    void anAnthropicToolResultAnsweringNoToolUseNamesItsBlock() {
        Answer a = send(Provider.ANTHROPIC, 0, b -> ((ObjectNode) messages(b).get(2).get("content").get(0))
                .put("tool_use_id", "toolu_unknown"));
        refused(Provider.ANTHROPIC, a, "tool_result_orphan", "messages.2.content.0: unexpected `tool_use_id` found in "
                + "`tool_result` blocks: toolu_unknown. Each `tool_result` block must have a corresponding `tool_use` "
                + "block in the previous message.");
    }

    @Test
    void anAnthropicToolUseLeftUnansweredNamesItsMessage() {
        Answer a = send(Provider.ANTHROPIC, 0, b -> messages(b).set(2,
                Answer.JSON.createObjectNode().put("role", "user").put("content", "never mind")));
        refused(Provider.ANTHROPIC, a, "tool_call_unanswered", "messages.1: `tool_use` ids were found without "
                + "`tool_result` blocks immediately after: toolu_01A09q90qw90lq917835lq9. Each `tool_use` block must "
                + "have a corresponding `tool_result` block in the next message.");
    }

    @Test
    void anthropicJoinsTwoUserMessagesInARow() {
        Answer a = send(Provider.ANTHROPIC, 0, b -> messages(b).insert(0,
                Answer.JSON.createObjectNode().put("role", "user").put("content", "Hello")));
        assertThat(a.status()).as(a.body()).isEqualTo(200);
    }

    // ---- Bedrock Converse ----

    @Test
    void bedrockWantsEveryToolResultInTheNextMessage() {
        Answer a = send(Provider.BEDROCK, 0, b -> messages(b).set(2, userText("never mind")));
        refused(Provider.BEDROCK, a, "tool_call_unanswered",
                "Expected toolResult blocks at messages.2.content for the following Ids: tooluse_kZJMlvQmRJ6eAyJE5GIl7Q");
        assertThat(a.header("x-amzn-ErrorType")).startsWith("ValidationException");
    }

    @Test
    void bedrockRefusesMoreToolResultsThanCalls() {
        Answer a = send(Provider.BEDROCK, 0, b -> {
            ArrayNode content = (ArrayNode) messages(b).get(2).get("content");
            content.add(content.get(0).deepCopy());
        });
        refused(Provider.BEDROCK, a, "tool_result_orphan",
                "The number of toolResult blocks at messages.2.content exceeds the number of toolUse blocks of previous turn.");
    }

    @Test
    void bedrockWantsRolesToAlternateFromTheUser() {
        Answer twoUsers = send(Provider.BEDROCK, 0, b -> messages(b).insert(0, userText("Hello")));
        refused(Provider.BEDROCK, twoUsers, "roles_alternate", "A conversation must alternate between user and assistant "
                + "roles. Make sure the conversation alternates between user and assistant roles and try again.");

        Answer assistantFirst = send(Provider.BEDROCK, 0, b -> messages(b).remove(0));
        refused(Provider.BEDROCK, assistantFirst, "first_user", "A conversation must start with a user message. Try again "
                + "with a conversation that starts with a user message.");
    }

    private static ObjectNode userText(String text) {
        ObjectNode m = Answer.JSON.createObjectNode().put("role", "user");
        m.putArray("content").addObject().put("text", text);
        return m;
    }

    // ---- Gemini ----

    @Test
    void geminiWantsAFunctionCallTurnAfterAUserTurn() {
        Answer a = send(Provider.GEMINI, 0, b -> ((ArrayNode) b.get("contents")).remove(0));
        refused(Provider.GEMINI, a, "function_call_turn", "Please ensure that function call turn comes immediately after "
                + "a user turn or after a function response turn.");
    }

    @Test
    void geminiWantsAsManyFunctionResponsesAsCalls() {
        Answer a = send(Provider.GEMINI, 0, b -> {
            ArrayNode parts = (ArrayNode) b.get("contents").get(1).get("parts");
            parts.add(parts.get(0).deepCopy());
        });
        refused(Provider.GEMINI, a, "tool_call_unanswered", "Please ensure that the number of function response parts is "
                + "equal to the number of function call parts of the function call turn.");
    }

    // ---- providers with no rule we could find ----

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"COHERE", "ZHIPU", "OLLAMA"})
    void aProviderWithoutAKnownRuleTakesAnUnansweredCall(Provider p) {
        Answer a = send(p, 0, b -> messages(b).remove(3));
        assertThat(a.status()).as("%s answered %s", p, a.body()).isEqualTo(200);
        assertThat(server.get().journal().entries()).last()
                .satisfies(e -> assertThat(e.conversation().toolCalls()).hasSize(1));
    }

    @Test
    void theValidConversationOfEveryFixturePasses() {
        for (Provider p : Provider.values()) {
            for (AgentConversation.Call call : ProviderFixture.of(p).agentCalls()) {
                Answer a = Http.send("POST", server.get().url().resolve(call.path()), Calls.headers(p), call.body());
                assertThat(a.status()).as("%s %s: %s", p, call.path(), a.body()).isEqualTo(200);
            }
        }
    }
}
