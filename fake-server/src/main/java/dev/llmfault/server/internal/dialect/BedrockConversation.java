package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Conversation.ToolCall;
import dev.llmfault.server.internal.json.Json;

import java.util.ArrayList;
import java.util.List;

import static dev.llmfault.server.internal.dialect.ConversationBuilder.each;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.string;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.text;

/**
 * Reads the conversation of a Bedrock Converse body: {@code system} text blocks; messages whose content blocks
 * are {@code {"text"}}, {@code {"toolUse": {toolUseId, name, input}}} or {@code {"toolResult": {toolUseId,
 * content: [{"text"} | {"json"}]}}}; {@code toolConfig.tools[].toolSpec} with {@code inputSchema.json}; a
 * {@code toolConfig.toolChoice.tool} forcing one tool; structured output from {@code outputConfig.textFormat}
 * (its {@code jsonSchema.schema} is JSON text), else the forced tool's schema.
 *
 * <pre>{@code
 * {"messages":[{"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_1","name":"get_weather","input":{"city":"Paris"}}}]},
 *   {"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_1","content":[{"text":"18°C"}]}}]}]}
 * }</pre>
 */
final class BedrockConversation {
    private BedrockConversation() {
    }

    /**
     * Whether {@link #read} may find a forced tool or an output schema: the fields they come from are present
     * ({@code toolConfig.toolChoice}, {@code outputConfig}). See Dialect#mayAskForStructuredOutput.
     */
    static boolean mayAskForStructuredOutput(JsonNode body) {
        return body.path("toolConfig").has("toolChoice") || body.has("outputConfig");
    }

    static Conversation read(JsonNode body) {
        ConversationBuilder b = new ConversationBuilder();
        JsonNode system = body.get("system");
        if (system != null && system.isArray() && !system.isEmpty()) {
            b.system(text(system));
        }
        for (JsonNode m : each(body.get("messages"))) {
            String role = string(m, "role");
            if ("assistant".equals(role)) {
                assistant(b, m.get("content"));
            } else if ("user".equals(role)) {
                user(b, m.get("content"));
            }
        }
        JsonNode config = body.path("toolConfig");
        for (JsonNode t : each(config.get("tools"))) {
            JsonNode spec = t.path("toolSpec");
            b.tool(string(spec, "name"), spec.path("inputSchema").get("json"));
        }
        b.forcedTool(string(config.path("toolChoice").path("tool"), "name"));
        // outputConfig.textFormat {type: json_schema, structure: {jsonSchema: {name, schema}}}: the schema is JSON text
        JsonNode schema = body.path("outputConfig").path("textFormat").path("structure").path("jsonSchema").get("schema");
        b.outputSchema(schema != null && schema.isTextual() ? Json.tryParse(schema.asText()).orElse(null) : schema);
        return b.build();
    }

    private static void assistant(ConversationBuilder b, JsonNode content) {
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode block : each(content)) {
            JsonNode use = block.get("toolUse");
            if (use != null && use.isObject()) {
                calls.add(ConversationBuilder.call(string(use, "toolUseId"), string(use, "name"), use.get("input")));
            } else if (block.path("text").isTextual()) {
                text.append(block.get("text").asText());
            }
        }
        b.assistant(text.toString(), calls);
    }

    private static void user(ConversationBuilder b, JsonNode content) {
        StringBuilder text = new StringBuilder();
        boolean results = false;
        for (JsonNode block : each(content)) {
            JsonNode result = block.get("toolResult");
            if (result != null && result.isObject()) {
                b.toolResult(string(result, "toolUseId"), null, text(result.get("content")));
                results = true;
            } else if (block.path("text").isTextual()) {
                text.append(block.get("text").asText());
            }
        }
        if (!results || text.length() > 0) {
            b.user(text.toString());
        }
    }
}
