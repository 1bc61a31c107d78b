package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Conversation.ToolCall;

import java.util.ArrayList;
import java.util.List;

import static dev.llmfault.server.internal.dialect.ConversationBuilder.each;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.string;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.text;

/**
 * Reads the conversation of an Anthropic Messages body (also Bedrock's {@code invoke} of a Claude model):
 * {@code system} as a string or text blocks; content as a string or blocks ({@code text}, {@code tool_use},
 * {@code tool_result} whose content is a string or blocks; images and thinking add nothing); {@code tools} with
 * {@code input_schema}. Structured output is {@code output_config.format} (or the beta {@code output_format}),
 * else a {@code tool_choice} forcing one tool, the way clients asked for JSON before.
 *
 * <pre>{@code
 * {"system":"Be brief","messages":[{"role":"user","content":"Weather?"},
 *   {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"get_weather","input":{"city":"Paris"}}]},
 *   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"18°C"}]}]}
 * }</pre>
 */
final class AnthropicConversation {
    private AnthropicConversation() {
    }

    /**
     * Whether {@link #read} may find a forced tool or an output schema: the fields they come from are present
     * ({@code tool_choice}, {@code output_config}, {@code output_format}). See Dialect#mayAskForStructuredOutput.
     */
    static boolean mayAskForStructuredOutput(JsonNode body) {
        return body.has("tool_choice") || body.has("output_config") || body.has("output_format");
    }

    static Conversation read(JsonNode body) {
        ConversationBuilder b = new ConversationBuilder();
        JsonNode system = body.get("system");
        if (system != null && !system.isNull()) {
            b.system(text(system));
        }
        for (JsonNode m : each(body.get("messages"))) {
            String role = string(m, "role");
            JsonNode content = m.get("content");
            if ("assistant".equals(role)) {
                assistant(b, content);
            } else if ("user".equals(role)) {
                user(b, content);
            }
        }
        for (JsonNode t : each(body.get("tools"))) {
            b.tool(string(t, "name"), t.get("input_schema"));
        }
        JsonNode choice = body.get("tool_choice");
        if (choice != null && "tool".equals(string(choice, "type"))) {
            b.forcedTool(string(choice, "name"));
        }
        for (JsonNode format : List.of(body.path("output_config").path("format"), body.path("output_format"))) {
            if ("json_schema".equals(string(format, "type"))) {
                b.outputSchema(format.get("schema"));
            }
        }
        return b.build();
    }

    private static void assistant(ConversationBuilder b, JsonNode content) {
        if (content == null || !content.isArray()) {
            b.assistant(text(content), List.of());
            return;
        }
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : content) {
            String type = string(block, "type");
            if ("text".equals(type)) {
                text.append(text(block));
            } else if ("tool_use".equals(type)) {
                calls.add(ConversationBuilder.call(string(block, "id"), string(block, "name"), block.get("input")));
            }
        }
        b.assistant(text.toString(), calls);
    }

    /** Tool results first (Anthropic wants them first in the message), then the text beside them as one user message. */
    private static void user(ConversationBuilder b, JsonNode content) {
        if (content == null || !content.isArray()) {
            b.user(text(content));
            return;
        }
        StringBuilder text = new StringBuilder();
        boolean results = false;
        for (JsonNode block : content) {
            String type = string(block, "type");
            if ("tool_result".equals(type)) {
                b.toolResult(string(block, "tool_use_id"), null, text(block.get("content")));
                results = true;
            } else if ("text".equals(type)) {
                text.append(text(block));
            }
        }
        if (!results || text.length() > 0) {
            b.user(text.toString());
        }
    }
}
