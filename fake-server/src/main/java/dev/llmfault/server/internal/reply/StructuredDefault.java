package dev.llmfault.server.internal.reply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.internal.dialect.Answer;
import dev.llmfault.server.internal.json.Json;

import java.util.List;

/**
 * The fake model's default answer to a request that asks for structured output, when no reply rule matched: a
 * document generated from the schema ({@link SchemaInstance}) as the text, or, when the request forces a tool
 * (Anthropic's and Bedrock's way to ask for JSON), a call of that tool with the document as its arguments.
 *
 * <pre>{@code
 * Answer a = StructuredDefault.answer(conversation, dialect.toolCallId(seed));
 * if (a == null) a = Answer.of(replyText);   // no schema asked for
 * }</pre>
 */
public final class StructuredDefault {
    private StructuredDefault() {
    }

    /** The structured answer, or null when the conversation asks for no schema and forces no tool. */
    public static Answer answer(Conversation c, String toolCallId) {
        if (c.forcedTool() != null) {
            JsonNode parameters = c.tool(c.forcedTool()).map(Conversation.Tool::parameters).orElse(null);
            JsonNode arguments = SchemaInstance.of(parameters == null ? Json.object().put("type", "object") : parameters);
            return Answer.toolCalls("", List.of(new Conversation.ToolCall(toolCallId, c.forcedTool(), arguments)));
        }
        if (c.outputSchema() == null) {
            return null;
        }
        return Answer.of(Json.text(SchemaInstance.of(c.outputSchema())));
    }
}
