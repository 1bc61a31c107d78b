package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Conversation.Message;
import dev.llmfault.server.Conversation.Role;
import dev.llmfault.server.Conversation.Tool;
import dev.llmfault.server.Conversation.ToolCall;
import dev.llmfault.server.internal.json.Json;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Builds a {@link Conversation} while a dialect walks its own request shape, and holds what every shape
 * shares: text of content parts, arguments sent as JSON text or as an object, tool results that name their
 * call by the tool's name only (Gemini, Ollama). Lenient by design: what is missing or of the wrong type is
 * left out, never refused (refusing is {@code checkBody}'s).
 *
 * <pre>{@code
 * ConversationBuilder b = new ConversationBuilder();
 * b.system("Be brief").user("Weather?").assistant("", List.of(b.call("call_1", "get_weather", args)));
 * b.toolResult("call_1", null, "18°C");
 * Conversation c = b.tool("get_weather", schema).build();
 * }</pre>
 */
final class ConversationBuilder {
    /** The schema a JSON mode without a schema stands for: any JSON object. */
    static final JsonNode ANY_OBJECT = Json.object().put("type", "object");

    private final List<Message> messages = new ArrayList<>();
    private final List<Tool> tools = new ArrayList<>();
    private JsonNode outputSchema;
    private String forcedTool;

    ConversationBuilder system(String text) {
        messages.add(Message.system(text));
        return this;
    }

    ConversationBuilder user(String text) {
        messages.add(Message.user(text));
        return this;
    }

    ConversationBuilder assistant(String text, List<ToolCall> calls) {
        List<ToolCall> named = new ArrayList<>(calls.size());
        for (ToolCall c : calls) {
            named.add(named(c, named));
        }
        messages.add(Message.assistant(text, named));
        return this;
    }

    /**
     * A call without an id is named after its tool ({@code get_weather}; a second one {@code get_weather_2}):
     * Gemini's and older Ollama's calls carry none, and their results name the tool.
     */
    private ToolCall named(ToolCall c, List<ToolCall> sameMessage) {
        if (c.id() != null) {
            return c;
        }
        Set<String> taken = new HashSet<>();
        for (Message m : messages) {
            m.toolCalls().forEach(t -> taken.add(t.id()));
        }
        sameMessage.forEach(t -> taken.add(t.id()));
        String id = c.name();
        for (int n = 2; taken.contains(id); n++) {
            id = c.name() + "_" + n;
        }
        return new ToolCall(id, c.name(), c.arguments());
    }

    /**
     * A tool call that joins the assistant message just before it (the Responses API sends each call as an
     * item of its own, after the message item of the same answer), or starts one.
     */
    ConversationBuilder appendCall(ToolCall call) {
        int last = messages.size() - 1;
        if (last >= 0 && messages.get(last).role() == Role.ASSISTANT) {
            Message m = messages.get(last);
            List<ToolCall> calls = new ArrayList<>(m.toolCalls());
            calls.add(named(call, List.of()));
            messages.set(last, Message.assistant(m.text(), calls));
        } else {
            assistant("", List.of(call));
        }
        return this;
    }

    /**
     * A tool result. Without an id, it answers the earliest call of that tool not answered yet (Gemini names a
     * function response by the function, Ollama a tool message by {@code tool_name}), else the earliest call
     * not answered yet, else it keeps the tool's name as its id.
     */
    ConversationBuilder toolResult(String id, String toolName, String text) {
        String callId = present(id) ? id : pendingCall(toolName);
        messages.add(Message.toolResult(callId, text));
        return this;
    }

    ConversationBuilder tool(String name, JsonNode parameters) {
        if (present(name)) {
            tools.add(new Tool(name, parameters == null || parameters.isNull() || parameters.isMissingNode() ? null : parameters));
        }
        return this;
    }

    /** The schema the request asks the answer to follow; null leaves it unset. */
    ConversationBuilder outputSchema(JsonNode schema) {
        if (schema != null && !schema.isNull() && !schema.isMissingNode()) {
            outputSchema = schema;
        }
        return this;
    }

    /** The tool the request forces; its parameters are the output schema unless the request asks for one itself. */
    ConversationBuilder forcedTool(String name) {
        if (present(name)) {
            forcedTool = name;
        }
        return this;
    }

    Conversation build() {
        JsonNode schema = outputSchema;
        if (schema == null && forcedTool != null) {
            schema = tools.stream().filter(t -> t.name().equals(forcedTool)).map(Tool::parameters).findFirst().orElse(null);
        }
        return new Conversation(messages, tools, schema, forcedTool);
    }

    private String pendingCall(String toolName) {
        Set<String> answered = new HashSet<>();
        for (Message m : messages) {
            if (m.role() == Role.TOOL && m.toolCallId() != null) {
                answered.add(m.toolCallId());
            }
        }
        ToolCall firstOpen = null;
        for (Message m : messages) {
            for (ToolCall c : m.toolCalls()) {
                if (!answered.contains(c.id())) {
                    if (toolName == null || c.name().equals(toolName)) {
                        return c.id();
                    }
                    if (firstOpen == null) {
                        firstOpen = c;
                    }
                }
            }
        }
        if (present(toolName)) {
            return toolName;
        }
        return firstOpen == null ? null : firstOpen.id();
    }

    // ---- what every shape shares ----

    /** A tool call; without an id, {@link #assistant} names it after its tool. */
    static ToolCall call(String id, String name, JsonNode arguments) {
        return new ToolCall(present(id) ? id : null, name == null ? "" : name, arguments(arguments));
    }

    /**
     * Arguments as JSON: sent as JSON text (OpenAI, Cohere, the Responses API) they are parsed; text that is no
     * JSON stays text (an agent validation can say so); missing arguments are an empty object.
     */
    static JsonNode arguments(JsonNode sent) {
        if (sent == null || sent.isNull() || sent.isMissingNode()) {
            return Json.object();
        }
        if (sent.isTextual()) {
            if (sent.asText().isBlank()) {
                return Json.object();
            }
            return Json.tryParse(sent.asText()).orElse(sent);
        }
        return sent;
    }

    /**
     * The text of a message's content: a string, or the text of each part of an array joined ({@code text},
     * {@code input_text}, {@code output_text} parts, Bedrock's {@code {"text": ...}} blocks, Cohere's documents);
     * parts without text (images) add nothing.
     */
    static String text(JsonNode content) {
        if (content == null || content.isNull() || content.isMissingNode()) {
            return "";
        }
        if (content.isTextual()) {
            return content.asText();
        }
        if (content.isArray()) {
            StringBuilder out = new StringBuilder();
            for (JsonNode part : content) {
                out.append(partText(part));
            }
            return out.toString();
        }
        return partText(content);
    }

    private static String partText(JsonNode part) {
        if (part.isTextual()) {
            return part.asText();
        }
        JsonNode text = part.get("text");
        if (text != null && text.isTextual()) {
            return text.asText();
        }
        JsonNode document = part.path("document").path("data"); // Cohere's tool result documents
        if (!document.isMissingNode()) {
            return document.isTextual() ? document.asText() : Json.text(document);
        }
        JsonNode json = part.get("json"); // Bedrock's toolResult {"json": {...}} blocks
        return json != null && !json.isNull() ? Json.text(json) : "";
    }

    /** A string field, or null when it is missing or no string. */
    static String string(JsonNode node, String field) {
        JsonNode v = node == null ? null : node.get(field);
        return v != null && v.isTextual() ? v.asText() : null;
    }

    /** The elements of an array, or none when it is missing or no array. */
    static Iterable<JsonNode> each(JsonNode array) {
        return array != null && array.isArray() ? array : List.of();
    }

    /** {@code {"type":"object"}} as a fresh node a caller may change. */
    static JsonNode anyObject() {
        return ANY_OBJECT.deepCopy();
    }

    static boolean present(String s) {
        return s != null && !s.isEmpty();
    }

    /** Text that stands for a value sent as something else (a tool result given as JSON). */
    static String textOf(JsonNode v) {
        if (v == null || v.isNull() || v.isMissingNode()) {
            return "";
        }
        return v.isTextual() ? v.asText() : Json.text(v);
    }
}
