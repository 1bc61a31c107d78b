package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation.ToolCall;

import java.util.ArrayList;
import java.util.List;

import static dev.llmfault.server.internal.dialect.ConversationBuilder.each;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.string;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.text;

/**
 * Reads the conversation of the {@code messages} shape OpenAI's chat completions started and others follow:
 * OpenAI and Azure, Zhipu GLM, Cohere v2 and Ollama's {@code /api/chat}. Their differences are read leniently
 * in one place: arguments as JSON text (OpenAI, Cohere) or as an object (Ollama); Cohere's {@code tool_plan}
 * as the assistant's text and its tool results as documents; Ollama's calls without ids and its tool messages
 * naming the tool ({@code tool_name}); OpenAI's {@code developer} role and its older {@code function} messages.
 *
 * <pre>{@code
 * ConversationBuilder b = ChatMessagesConversation.read(body);   // messages, tools, tool_choice
 * b.outputSchema(schemaOf(body.get("response_format")));          // the dialect's own structured output
 * }</pre>
 */
final class ChatMessagesConversation {
    private ChatMessagesConversation() {
    }

    /**
     * Whether {@link #read} plus {@link #responseFormat} may find a forced tool or an output schema: the fields they
     * come from are present ({@code tool_choice}, {@code response_format}). See Dialect#mayAskForStructuredOutput.
     */
    static boolean mayAskForStructuredOutput(JsonNode body) {
        return body.has("tool_choice") || body.has("response_format");
    }

    /** The messages, the offered tools and a forced tool; the output schema is the caller's (each provider asks differently). */
    static ConversationBuilder read(JsonNode body) {
        ConversationBuilder b = new ConversationBuilder();
        for (JsonNode m : each(body.get("messages"))) {
            message(b, m);
        }
        for (JsonNode t : each(body.get("tools"))) {
            JsonNode f = t.has("function") ? t.get("function") : t;
            b.tool(string(f, "name"), f.get("parameters"));
        }
        for (JsonNode f : each(body.get("functions"))) { // OpenAI's older function calling
            b.tool(string(f, "name"), f.get("parameters"));
        }
        JsonNode choice = body.get("tool_choice");
        if (choice != null && choice.isObject()) {
            b.forcedTool(string(choice.path("function"), "name"));
        }
        return b;
    }

    private static void message(ConversationBuilder b, JsonNode m) {
        String role = string(m, "role");
        if (role == null) {
            return;
        }
        JsonNode content = m.get("content");
        switch (role) {
            case "system", "developer" -> b.system(text(content));
            case "user" -> b.user(text(content));
            case "assistant" -> {
                List<ToolCall> calls = new ArrayList<>();
                for (JsonNode c : each(m.get("tool_calls"))) {
                    JsonNode f = c.path("function");
                    calls.add(ConversationBuilder.call(string(c, "id"), string(f, "name"), f.get("arguments")));
                }
                JsonNode legacy = m.get("function_call");
                if (legacy != null && legacy.isObject()) {
                    calls.add(ConversationBuilder.call(null, string(legacy, "name"), legacy.get("arguments")));
                }
                String text = text(content);
                if (text.isEmpty()) {
                    text = text(m.get("tool_plan")); // Cohere's plan before its calls
                }
                b.assistant(text, calls);
            }
            case "tool" -> b.toolResult(string(m, "tool_call_id"), string(m, "tool_name"), text(content));
            case "function" -> b.toolResult(null, string(m, "name"), text(content));
            default -> { }
        }
    }

    /**
     * OpenAI's and Zhipu's {@code response_format}: {@code json_schema} with its schema, {@code json_object}
     * (any object); Cohere's {@code json_object} with an optional {@code json_schema}. Null for text.
     */
    static JsonNode responseFormat(JsonNode format) {
        if (format == null || !format.isObject()) {
            return null;
        }
        String type = string(format, "type");
        JsonNode schema = format.get("json_schema");
        if (schema != null && schema.isObject()) {
            // OpenAI nests it ({"json_schema": {"name", "schema"}}), Cohere does not ({"json_schema": {...}})
            return schema.has("schema") && "json_schema".equals(type) ? schema.get("schema") : schema;
        }
        return "json_object".equals(type) || "json_schema".equals(type) ? ConversationBuilder.anyObject() : null;
    }
}
