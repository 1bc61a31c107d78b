package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.internal.json.Json;

import java.nio.charset.StandardCharsets;

/** Server-sent-event frames, the stream framing of most providers. */
final class Sse {
    private Sse() {
    }

    /** {@code data: <json>} and the blank line. */
    static byte[] data(ObjectNode json) {
        return ("data: " + Json.text(json) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** {@code event: <name>}, {@code data: <json>} and the blank line. */
    static byte[] event(String event, ObjectNode json) {
        return ("event: " + event + "\ndata: " + Json.text(json) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    /** A data line that is not JSON ({@code [DONE]}). */
    static byte[] rawData(String text) {
        return ("data: " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
