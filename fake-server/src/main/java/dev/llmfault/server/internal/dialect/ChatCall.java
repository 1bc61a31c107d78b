package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated chat request.
 *
 * @param promptTokens estimated from the text of the messages (see {@link TokenCounter})
 */
public record ChatCall(JsonNode body, String model, boolean stream, boolean includeUsage, int promptTokens) {
}
