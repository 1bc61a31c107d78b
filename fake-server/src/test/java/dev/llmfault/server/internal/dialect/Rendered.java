package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.internal.json.Json;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What a dialect renders for an answer, read back the way a client reads it: plain bodies as JSON, streams as
 * SSE events, NDJSON lines or AWS event-stream messages (decoded by the AWS SDK's own decoder).
 */
public final class Rendered {
    private Rendered() {
    }

    /** One event of a stream: its name (SSE {@code event:} or {@code :event-type}; null when it has none) and data. */
    public record Event(String name, JsonNode data) {
    }

    /** A tool call as a client puts it together: its id, its tool, its arguments (parsed from what it received). */
    public record Call(String id, String name, JsonNode args) {
    }

    public static final ObjectNode WEATHER = JsonNodeFactory.instance.objectNode().put("city", "Paris").put("unit", "celsius");
    public static final ObjectNode TIME = JsonNodeFactory.instance.objectNode().put("zone", "Europe/Paris");

    /** Text, then two calls without ids (the dialect mints them). */
    public static Answer twoCalls() {
        return Answer.toolCalls("Let me check.", List.of(new Conversation.ToolCall(null, "get_weather", WEATHER),
                new Conversation.ToolCall(null, "get_time", TIME)));
    }

    /** One call and no text. */
    public static Answer oneCall(String id) {
        return Answer.toolCalls("", List.of(new Conversation.ToolCall(id, "get_weather", WEATHER)));
    }

    /** A call of a dialect's route (by its pattern), for model {@code m}. */
    public static ChatCall call(Dialect d, String pattern, boolean stream) {
        Route route = d.routes().stream().filter(r -> r.pattern().equals(pattern)).findFirst()
                .orElseThrow(() -> new AssertionError("no route " + pattern + " in " + d.provider()));
        return new ChatCall(Json.object(), new RouteMatch(route, Map.of("model", "m", "modelId", "m", "deployment", "m")), "m", stream,
                false, 10, 0);
    }

    public static JsonNode plain(Dialect d, ChatCall call, Answer answer) {
        return Json.tryParse(new String(d.chatResponse(call, answer, "req-1"), StandardCharsets.UTF_8))
                .orElseThrow(() -> new AssertionError("not JSON"));
    }

    /** The whole stream: opening frames, one write per delta, closing frames. */
    public static byte[] stream(Dialect d, ChatCall call, Answer answer) {
        StreamFramer f = d.streamFramer(call, answer, "req-1");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        f.opening().forEach(out::writeBytes);
        answer.deltas().forEach(delta -> out.writeBytes(f.delta(delta)));
        f.closing().forEach(out::writeBytes);
        return out.toByteArray();
    }

    public static List<Event> sse(byte[] stream) {
        List<Event> events = new ArrayList<>();
        for (String frame : new String(stream, StandardCharsets.UTF_8).split("\n\n")) {
            if (frame.isBlank()) {
                continue;
            }
            String name = null;
            StringBuilder data = new StringBuilder();
            for (String line : frame.split("\n")) {
                if (line.startsWith("event: ")) {
                    name = line.substring(7);
                } else if (line.startsWith("data: ")) {
                    data.append(line.substring(6));
                } else {
                    throw new AssertionError("not an SSE line: " + line);
                }
            }
            events.add(new Event(name, json(data.toString())));
        }
        return events;
    }

    public static List<JsonNode> ndjson(byte[] stream) {
        List<JsonNode> lines = new ArrayList<>();
        String text = new String(stream, StandardCharsets.UTF_8);
        if (text.isEmpty()) {
            return lines;
        }
        if (!text.endsWith("\n")) {
            throw new AssertionError("an NDJSON stream ends with a newline: " + text);
        }
        for (String line : text.split("\n")) {
            lines.add(json(line));
        }
        return lines;
    }

    public static List<Event> eventStream(byte[] stream) {
        MessageDecoder decoder = new MessageDecoder();
        decoder.feed(stream);
        List<Event> events = new ArrayList<>();
        for (Message m : decoder.getDecodedMessages()) {
            events.add(new Event(m.getHeaders().get(":event-type").getString(),
                    json(new String(m.getPayload(), StandardCharsets.UTF_8))));
        }
        return events;
    }

    public static List<String> names(List<Event> events) {
        return events.stream().map(Event::name).toList();
    }

    /** A text as a JSON string node, to compare with parsed values. */
    public static JsonNode text(String text) {
        return com.fasterxml.jackson.databind.node.TextNode.valueOf(text);
    }

    public static JsonNode json(String text) {
        return Json.tryParse(text).orElseThrow(() -> new AssertionError("not JSON: " + text));
    }
}
