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

    /**
     * The JSON of a frame's data lines, or null when it has none or it is not JSON ({@code [DONE]}): how a
     * dialect reads an SSE frame it did not write (proxy and replay).
     */
    static com.fasterxml.jackson.databind.JsonNode dataJson(byte[] frame) {
        String text = new String(frame, StandardCharsets.UTF_8);
        StringBuilder data = new StringBuilder();
        for (String line : text.split("\r?\n")) {
            if (line.startsWith("data:")) {
                data.append(line.substring(line.length() > 5 && line.charAt(5) == ' ' ? 6 : 5));
            }
        }
        return Json.tryParse(data.toString()).orElse(null);
    }

    /** A data line that is not JSON ({@code [DONE]}). */
    static byte[] rawData(String text) {
        return ("data: " + text + "\n\n").getBytes(StandardCharsets.UTF_8);
    }
}
