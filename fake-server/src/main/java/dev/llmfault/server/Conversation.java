package dev.llmfault.server;

import com.fasterxml.jackson.databind.JsonNode;
import org.apiguardian.api.API;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A model call's conversation in one shape for every provider: its messages (system, user, assistant with
 * tool calls, tool results), the tools it offers and the output schema it asks for. Each provider's dialect
 * reads it from its own request shape (OpenAI {@code messages}, Anthropic {@code tool_result} blocks, Gemini
 * {@code functionResponse} parts, Bedrock {@code toolResult} blocks ...), so reply rules, validation and the
 * agent assertions compare conversations semantically, never byte for byte.
 *
 * <pre>{@code
 * Conversation c = entry.conversation();
 * assertThat(c.turn()).isEqualTo(2);                       // one assistant answer so far
 * assertThat(c.toolResult("call_1")).map(Message::text).hasValue("18°C");
 * }</pre>
 *
 * @param messages     the messages in order; a provider's single message holding several tool results becomes
 *                     one {@link Role#TOOL} message per result, any text beside them one {@link Role#USER} message
 * @param tools        the tools (functions) the request offers, in order
 * @param outputSchema the JSON Schema the answer must follow (structured output), or null when none is asked for:
 *                     the request's own (OpenAI {@code response_format}, Gemini {@code responseSchema}, Ollama
 *                     {@code format} ...), else the parameters of the tool it forces; a JSON mode without a schema
 *                     (OpenAI {@code json_object}, Ollama {@code "json"}) is {@code {"type":"object"}}
 * @param forcedTool   the tool the request forces the model to call (Anthropic {@code tool_choice: {type: tool}},
 *                     OpenAI {@code tool_choice: {type: function}}, Bedrock {@code toolChoice.tool}, Gemini
 *                     {@code ANY} with one allowed function), or null: then the answer is a call of that tool
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record Conversation(List<Message> messages, List<Tool> tools, JsonNode outputSchema, String forcedTool) {

    /** The conversation of a request that has none (a model list, a body that could not be read). */
    public static final Conversation EMPTY = new Conversation(List.of(), List.of(), null);

    public Conversation {
        messages = List.copyOf(messages);
        tools = List.copyOf(tools);
    }

    /** A conversation that forces no tool. */
    public Conversation(List<Message> messages, List<Tool> tools, JsonNode outputSchema) {
        this(messages, tools, outputSchema, null);
    }

    /** Who wrote a message. */
    public enum Role { SYSTEM, USER, ASSISTANT, TOOL }

    /**
     * One message.
     *
     * @param role       who wrote it
     * @param text       its text (the parts joined), "" when it has none
     * @param toolCalls  the tool calls an {@link Role#ASSISTANT} message made, else empty
     * @param toolCallId the call a {@link Role#TOOL} message answers, else null
     */
    public record Message(Role role, String text, List<ToolCall> toolCalls, String toolCallId) {
        public Message {
            Objects.requireNonNull(role, "role");
            text = text == null ? "" : text;
            toolCalls = List.copyOf(toolCalls);
        }

        public static Message system(String text) {
            return new Message(Role.SYSTEM, text, List.of(), null);
        }

        public static Message user(String text) {
            return new Message(Role.USER, text, List.of(), null);
        }

        public static Message assistant(String text, List<ToolCall> toolCalls) {
            return new Message(Role.ASSISTANT, text, toolCalls, null);
        }

        public static Message toolResult(String toolCallId, String text) {
            return new Message(Role.TOOL, text, List.of(), toolCallId);
        }
    }

    /**
     * A tool call the model made.
     *
     * @param id        the call's id (Gemini's calls may have none: then the dialect names it after the tool)
     * @param name      the tool's name
     * @param arguments the arguments as JSON (an object, normally)
     */
    public record ToolCall(String id, String name, JsonNode arguments) {
    }

    /**
     * A tool the request offers.
     *
     * @param name       the tool's name
     * @param parameters the JSON Schema of its arguments, or null when none is given
     */
    public record Tool(String name, JsonNode parameters) {
    }

    /** The text of the last {@link Role#USER} message, or "" when there is none. */
    public String lastUserMessage() {
        for (int i = messages.size() - 1; i >= 0; i--) {
            if (messages.get(i).role() == Role.USER) {
                return messages.get(i).text();
            }
        }
        return "";
    }

    /** The turn this request asks for, from 1: one more than the assistant messages it already holds. */
    public int turn() {
        int answers = 0;
        for (Message m : messages) {
            if (m.role() == Role.ASSISTANT) {
                answers++;
            }
        }
        return answers + 1;
    }

    /** Whether the conversation ends with tool results (the model is asked to go on after calling tools). */
    public boolean hasToolResult() {
        return !messages.isEmpty() && messages.get(messages.size() - 1).role() == Role.TOOL;
    }

    /** Every tool call the assistant messages made, in order. */
    public List<ToolCall> toolCalls() {
        List<ToolCall> calls = new ArrayList<>();
        for (Message m : messages) {
            calls.addAll(m.toolCalls());
        }
        return calls;
    }

    /** The result sent for a tool call, if any. */
    public Optional<Message> toolResult(String toolCallId) {
        for (Message m : messages) {
            if (m.role() == Role.TOOL && Objects.equals(m.toolCallId(), toolCallId)) {
                return Optional.of(m);
            }
        }
        return Optional.empty();
    }

    /** The offered tool of that name, if any. */
    public Optional<Tool> tool(String name) {
        return tools.stream().filter(t -> t.name().equals(name)).findFirst();
    }
}
