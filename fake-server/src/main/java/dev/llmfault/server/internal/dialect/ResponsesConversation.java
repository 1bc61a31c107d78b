package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation;

import java.util.List;

import static dev.llmfault.server.internal.dialect.ConversationBuilder.each;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.string;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.text;

/**
 * Reads the conversation of a Responses API body ({@code POST /v1/responses}): {@code instructions} as the
 * system message; {@code input} as a string or as items (messages with {@code input_text}/{@code output_text}
 * parts, {@code function_call} items joined to the assistant message before them, {@code function_call_output}
 * items); flat {@code tools} ({@code {"type":"function","name","parameters"}}); {@code text.format}. A chained
 * call's earlier turns ({@code previous_response_id}) live on the server and are not read here.
 *
 * <pre>{@code
 * {"instructions":"Be brief","input":[{"role":"user","content":"Weather?"},
 *   {"type":"function_call","call_id":"call_1","name":"get_weather","arguments":"{\"city\":\"Paris\"}"},
 *   {"type":"function_call_output","call_id":"call_1","output":"18°C"}]}
 * }</pre>
 */
final class ResponsesConversation {
    private ResponsesConversation() {
    }

    /**
     * Whether {@link #read} may find a forced tool or an output schema: the fields they come from are present
     * ({@code tool_choice}, {@code text}). See Dialect#mayAskForStructuredOutput.
     */
    static boolean mayAskForStructuredOutput(JsonNode body) {
        return body.has("tool_choice") || body.has("text");
    }

    static Conversation read(JsonNode body) {
        ConversationBuilder b = new ConversationBuilder();
        String instructions = string(body, "instructions");
        if (instructions != null) {
            b.system(instructions);
        }
        JsonNode input = body.get("input");
        if (input != null && input.isTextual()) {
            b.user(input.asText());
        }
        for (JsonNode item : each(input)) {
            item(b, item);
        }
        for (JsonNode t : each(body.get("tools"))) {
            if ("function".equals(string(t, "type"))) {
                b.tool(string(t, "name"), t.get("parameters"));
            }
        }
        JsonNode choice = body.get("tool_choice");
        if (choice != null && choice.isObject() && "function".equals(string(choice, "type"))) {
            b.forcedTool(string(choice, "name"));
        }
        JsonNode format = body.path("text").path("format");
        String type = string(format, "type");
        if ("json_schema".equals(type)) {
            b.outputSchema(format.get("schema"));
        } else if ("json_object".equals(type)) {
            b.outputSchema(ConversationBuilder.anyObject());
        }
        return b.build();
    }

    private static void item(ConversationBuilder b, JsonNode item) {
        String type = string(item, "type");
        if (type == null || type.equals("message")) {
            String role = string(item, "role");
            String text = text(item.get("content"));
            if (role == null) {
                return;
            }
            switch (role) {
                case "system", "developer" -> b.system(text);
                case "user" -> b.user(text);
                case "assistant" -> b.assistant(text, List.of());
                default -> { }
            }
        } else if (type.equals("function_call")) {
            b.appendCall(ConversationBuilder.call(string(item, "call_id"), string(item, "name"), item.get("arguments")));
        } else if (type.equals("function_call_output")) {
            b.toolResult(string(item, "call_id"), null, text(item.get("output")));
        }
    }
}
