package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.json.Json;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * Cohere v2: {@code POST /v2/chat}, plain and streamed ({@code event:} + {@code data:} frames from
 * {@code message-start} to {@code message-end}). Errors: {@code {"id":"<uuid>","message":"..."}}.
 */
public final class CohereDialect implements Dialect {
    private static final List<Route> ROUTES = List.of(new Route("POST", "/v2/chat", Route.Kind.CHAT));
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("command-a-03-2025", 256_000),
            new ModelSpec("command-r-plus", 128_000), new ModelSpec("command-r", 128_000));

    @Override
    public Provider provider() {
        return Provider.COHERE;
    }

    @Override
    public List<Route> routes() {
        return ROUTES;
    }

    @Override
    public int claim(IncomingRequest request) {
        return request.path().startsWith("/v2/") ? "/v2/".length() : 0;
    }

    @Override
    public List<ModelSpec> defaultModels() {
        return MODELS;
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
    public String model(RouteMatch route, JsonNode body) {
        return OpenAiChatFormat.model(body);
    }

    @Override
    public Rejection checkBody(RouteMatch route, JsonNode body) {
        return BodyRules.chat(body);
    }

    @Override
    public ChatCall readCall(RouteMatch route, IncomingRequest request, JsonNode body) {
        JsonNode s = body.get("stream");
        return new ChatCall(body, route, OpenAiChatFormat.model(body), s != null && s.asBoolean(false), false,
                TokenCounter.textTokens(body.get("messages")), OpenAiChatFormat.reservedTokens(body, "max_tokens"));
    }

    @Override
    public byte[] chatResponse(ChatCall call, Answer reply, String requestId) {
        ObjectNode root = Json.object();
        root.put("id", requestId);
        root.put("finish_reason", "COMPLETE");
        ObjectNode message = root.putObject("message");
        message.put("role", "assistant");
        message.putArray("content").addObject().put("type", "text").put("text", reply.text());
        root.set("usage", usage(call, reply));
        return Json.bytes(root);
    }

    /** message-start, content-start; a content-delta per delta; content-end, message-end. */
    @Override
    public boolean isContentDelta(byte[] frame) {
        com.fasterxml.jackson.databind.JsonNode data = Sse.dataJson(frame);
        String type = data == null ? "" : data.path("type").asText("");
        return type.equals("content-delta") || type.equals("tool-call-delta");
    }

    @Override
    public StreamFramer streamFramer(ChatCall call, Answer reply, String requestId) {
        return new StreamFramer() {
            @Override
            public List<byte[]> opening() {
                ObjectNode start = Json.object().put("id", requestId).put("type", "message-start");
                ObjectNode startMessage = start.putObject("delta").putObject("message");
                startMessage.put("role", "assistant");
                startMessage.putArray("content");
                startMessage.put("tool_plan", "");
                startMessage.putArray("tool_calls");
                startMessage.putArray("citations");
                ObjectNode contentStart = Json.object().put("type", "content-start").put("index", 0);
                contentStart.putObject("delta").putObject("message").putObject("content").put("type", "text").put("text", "");
                return List.of(Sse.event("message-start", start), Sse.event("content-start", contentStart));
            }

            @Override
            public byte[] delta(Delta d) {
                ObjectNode delta = Json.object().put("type", "content-delta").put("index", 0);
                delta.putObject("delta").putObject("message").putObject("content").put("text", Delta.text(d));
                return Sse.event("content-delta", delta);
            }

            @Override
            public List<byte[]> closing() {
                ObjectNode end = Json.object().put("type", "message-end");
                ObjectNode endDelta = end.putObject("delta");
                endDelta.put("finish_reason", "COMPLETE");
                endDelta.set("usage", usage(call, reply));
                return List.of(Sse.event("content-end", Json.object().put("type", "content-end").put("index", 0)),
                        Sse.event("message-end", end));
            }

            @Override
            public byte[] error(Rendering rendering, String message) {
                ObjectNode root = Json.object().put("type", "error").put("id", requestId).put("message", message);
                return Sse.event("error", root); // modelled: no real Cohere mid-stream error was seen
            }
        };
    }

    private static ObjectNode usage(ChatCall call, Answer reply) {
        ObjectNode usage = Json.object();
        usage.putObject("billed_units").put("input_tokens", call.promptTokens())
                .put("output_tokens", reply.completionTokens());
        usage.putObject("tokens").put("input_tokens", call.promptTokens())
                .put("output_tokens", reply.completionTokens());
        return usage;
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
