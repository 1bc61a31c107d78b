package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Conversation.Message;
import dev.llmfault.server.Conversation.Tool;
import dev.llmfault.server.Conversation.ToolCall;

import java.util.List;

/**
 * The one agent conversation every provider fixture sends in its own shape ({@link ProviderFixture#agentCalls()}):
 * a system text, a user question, the assistant's call of {@code get_weather} with {@code {"city":"Paris"}}, the
 * tool's result, the tool offered, and an output schema. Every dialect must read it back as {@link #expected}.
 *
 * <pre>{@code
 * assertThat(entry.conversation()).isEqualTo(AgentConversation.expected(call.callId(), call.outputSchema()));
 * }</pre>
 */
public final class AgentConversation {
    public static final String SYSTEM = "You are terse.";
    public static final String QUESTION = "What is the weather in Paris?";
    public static final String TOOL = "get_weather";
    public static final String RESULT = "18°C";
    /** The tool's parameters as JSON Schema (Gemini sends them as its own Schema: the dialect translates). */
    public static final JsonNode PARAMETERS = parse(
            "{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}");
    /** The structured output asked for. */
    public static final JsonNode OUTPUT_SCHEMA = parse(
            "{\"type\":\"object\",\"properties\":{\"answer\":{\"type\":\"string\"}},\"required\":[\"answer\"]}");
    /** What a JSON mode without a schema stands for. */
    public static final JsonNode ANY_OBJECT = parse("{\"type\":\"object\"}");

    private AgentConversation() {
    }

    static JsonNode parse(String json) {
        try {
            return Answer.JSON.readTree(json);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /**
     * One request of the conversation as a provider's SDK sends it.
     *
     * @param path         where it goes
     * @param body         the body
     * @param callId       the id the dialect gives the call: the provider's, or the tool's name when it sends none
     * @param outputSchema the schema the request asks for as the dialect reads it
     */
    public record Call(String path, String body, String callId, JsonNode outputSchema) {
        public Call(String path, String body) {
            this(path, body, "call_1", OUTPUT_SCHEMA);
        }
    }

    /** The conversation every dialect reads from its own shape. */
    public static Conversation expected(String callId, JsonNode outputSchema) {
        JsonNode arguments = parse("{\"city\":\"Paris\"}");
        return new Conversation(List.of(Message.system(SYSTEM), Message.user(QUESTION),
                Message.assistant("", List.of(new ToolCall(callId, TOOL, arguments))),
                Message.toolResult(callId, RESULT)), List.of(new Tool(TOOL, PARAMETERS)), outputSchema);
    }
}
