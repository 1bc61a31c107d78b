package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.Iterator;
import java.util.Map;

/**
 * Counts tokens the way a quick estimate does: one token per 4 characters of text, at least one per
 * non-empty text. Deterministic, so tests can assert usage and token-based rate limits exactly.
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

    /** Tokens of every string under {@code content}, {@code text} and {@code system} fields of a request body. */
    public static int promptTokens(JsonNode body) {
        if (body == null) {
            return 0;
        }
        int total = 0;
        total += textTokens(body.get("messages"));
        total += textTokens(body.get("system"));
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
                if (f.getKey().equals("content") || f.getKey().equals("text")) {
                    total += textTokens(f.getValue());
                }
            }
        }
        return total;
    }
}
