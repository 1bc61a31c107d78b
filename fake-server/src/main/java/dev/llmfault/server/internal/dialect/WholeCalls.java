package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.json.Json;

/**
 * The argument pieces of a streamed answer's tool calls, gathered for a provider that sends each call whole in
 * one frame (Gemini's {@code functionCall} part, an Ollama line's {@code tool_calls}): such a framer writes
 * nothing for a {@link Delta.ToolCallStart} nor for the pieces before a call's last, and the whole call with
 * its last piece.
 *
 * <p>So {@code afterChunks} counts the same argument pieces on every provider (the same number of content
 * deltas, the same delays), and what a cut shows is the same prefix as far as the provider can show it: every
 * call whose arguments were complete within the count, and nothing of a call cut in its arguments, since
 * these providers never send a part of one.
 *
 * <pre>{@code
 * WholeCalls calls = new WholeCalls(answer);
 * JsonNode args = calls.add(piece);   // null until the call's last piece, then its arguments
 * }</pre>
 */
final class WholeCalls {
    private final int[] remaining;
    private final StringBuilder[] json;

    WholeCalls(Answer answer) {
        int calls = answer.toolCalls().size();
        remaining = new int[calls];
        json = new StringBuilder[calls];
        for (Delta d : answer.deltas()) {
            if (d instanceof Delta.ToolArguments a && a.index() < calls) {
                remaining[a.index()]++;
            }
        }
        for (int i = 0; i < calls; i++) {
            json[i] = new StringBuilder();
        }
    }

    /**
     * Takes one argument piece; returns the call's arguments (an object) once its last piece came, else null.
     * Pieces that do not join to a JSON object (an answer cut inside a call) give null too: these providers send
     * arguments only as a whole object, so a call cut short never arrives.
     */
    JsonNode add(Delta.ToolArguments piece) {
        int i = piece.index();
        if (i >= remaining.length) {
            return null;
        }
        json[i].append(piece.fragment());
        if (--remaining[i] > 0) {
            return null;
        }
        JsonNode parsed = Json.tryParse(json[i].toString()).orElse(null);
        return parsed != null && parsed.isObject() ? parsed : null;
    }
}
