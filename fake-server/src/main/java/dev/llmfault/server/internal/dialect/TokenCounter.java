package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Counts tokens the way a quick estimate does: one token per 4 characters of text, at least one per
 * non-empty text. Deterministic, so tests can assert usage and token-based rate limits exactly. Each
 * dialect says which parts of its request are prompt ({@code messages}, {@code contents}, {@code system}).
 */
public final class TokenCounter {
    private TokenCounter() {
    }

    public static int tokens(String text) {
        if (text == null || text.isEmpty()) {
            return 0;
        }
        return (text.length() + 3) / 4;
    }

    /**
     * Tokens of the given request parts: a string counts whole; in arrays and objects, every string under a
     * {@code content} or {@code text} field (the names every provider's message parts use) counts.
     */
    public static int textTokens(JsonNode... parts) {
        int total = 0;
        for (JsonNode part : parts) {
            total += textTokens(part);
        }
        return total;
    }

    private static int textTokens(JsonNode node) {
        if (node == null || node.isNull()) {
            return 0;
        }
        if (node.isTextual()) {
            return tokens(node.asText());
        }
        int total = 0;
        if (node.isArray()) {
            for (JsonNode item : node) {
                total += textTokens(item);
            }
        } else if (node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
            while (fields.hasNext()) {
                Map.Entry<String, JsonNode> f = fields.next();
                if (f.getKey().equals("content") || f.getKey().equals("text") || f.getValue().isContainerNode()) {
                    total += textTokens(f.getValue());
                }
            }
        }
        return total;
    }
}
