package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Cohere v2: {@code POST /v2/chat}, plain and streamed ({@code event:} + {@code data:} frames from
 * {@code message-start} to {@code message-end}). Errors: {@code {"id":"<uuid>","message":"..."}}.
 */
public final class CohereDialect implements Dialect {
    private static final List<Route> ROUTES = List.of(new Route("POST", "/v2/chat", Route.Kind.CHAT));

    @Override
    public Provider provider() {
        return Provider.COHERE;
    }

    @Override
    public List<Route> routes() {
        return ROUTES;
    }

    @Override
    public String requestIdHeader() {
        return "x-request-id"; // modelled
    }

    @Override
    public String newRequestId() {
        return Ids.uuid();
    }

    @Override
    public String credential(IncomingRequest request) {
        return request.bearer();
    }

    @Override
    public Rejection checkBody(Route route, JsonNode body) {
        return BodyRules.chat(body);
    }

    @Override
    public byte[] chatResponse(ChatCall call, Reply reply, String requestId) {
        ObjectNode root = Json.object();
        root.put("id", requestId);
        root.put("finish_reason", "COMPLETE");
        ObjectNode message = root.putObject("message");
        message.put("role", "assistant");
        message.putArray("content").addObject().put("type", "text").put("text", reply.text());
        root.set("usage", usage(call, reply));
        return Json.bytes(root);
    }

    @Override
    public List<byte[]> streamFrames(ChatCall call, Reply reply, String requestId) {
        List<byte[]> frames = new ArrayList<>(reply.chunks().size() + 5);
        ObjectNode start = Json.object().put("id", requestId).put("type", "message-start");
        ObjectNode startMessage = start.putObject("delta").putObject("message");
        startMessage.put("role", "assistant");
        startMessage.putArray("content");
        startMessage.put("tool_plan", "");
        startMessage.putArray("tool_calls");
        startMessage.putArray("citations");
        frames.add(frame("message-start", start));
        ObjectNode contentStart = Json.object().put("type", "content-start").put("index", 0);
        contentStart.putObject("delta").putObject("message").putObject("content").put("type", "text").put("text", "");
        frames.add(frame("content-start", contentStart));
        for (String piece : reply.chunks()) {
            ObjectNode delta = Json.object().put("type", "content-delta").put("index", 0);
            delta.putObject("delta").putObject("message").putObject("content").put("text", piece);
            frames.add(frame("content-delta", delta));
        }
        frames.add(frame("content-end", Json.object().put("type", "content-end").put("index", 0)));
        ObjectNode end = Json.object().put("type", "message-end");
        ObjectNode endDelta = end.putObject("delta");
        endDelta.put("finish_reason", "COMPLETE");
        endDelta.set("usage", usage(call, reply));
        frames.add(frame("message-end", end));
        return frames;
    }

    private static ObjectNode usage(ChatCall call, Reply reply) {
        ObjectNode usage = Json.object();
        usage.putObject("billed_units").put("input_tokens", call.promptTokens())
                .put("output_tokens", reply.completionTokens());
        usage.putObject("tokens").put("input_tokens", call.promptTokens())
                .put("output_tokens", reply.completionTokens());
        return usage;
    }

    private static byte[] frame(String event, ObjectNode data) {
        return ("event: " + event + "\ndata: " + Json.text(data) + "\n\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public byte[] streamErrorFrame(Rendering rendering, String message, String requestId) {
        ObjectNode root = Json.object().put("type", "error").put("id", requestId).put("message", message);
        return frame("error", root); // modelled: no real Cohere mid-stream error was seen
    }

    @Override
    public byte[] errorBody(Rendering rendering, Vars vars, String message, String requestId) {
        return Json.bytes(Json.object().put("id", requestId).put("message", message));
    }

    @Override
    public void throttleHeaders(Throttle t, BiConsumer<String, String> header) {
        if (t.retryAfterMs() >= 0) {
            header.accept("retry-after", Long.toString(t.retryAfterSeconds())); // modelled
        }
    }
}
