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
 * Zhipu GLM (BigModel): {@code POST /api/paas/v4/chat/completions}, OpenAI-shaped successes and streams
 * plus a {@code request_id}. Errors carry the numeric business code as a STRING:
 * {@code {"error":{"code":"1302","message":"..."},"request_id":"..."}}. The credential is
 * {@code Authorization: Bearer <id.secret or JWT>}; older SDKs send the JWT without "Bearer".
 */
public final class ZhipuDialect implements Dialect {
    private static final List<Route> ROUTES = List.of(
            new Route("POST", "/api/paas/v4/chat/completions", Route.Kind.CHAT));

    @Override
    public Provider provider() {
        return Provider.ZHIPU;
    }

    @Override
    public List<Route> routes() {
        return ROUTES;
    }

    @Override
    public String requestIdHeader() {
        return "x-request-id"; // modelled: Zhipu's documented id is the body's request_id
    }

    @Override
    public String newRequestId() {
        return Ids.hex("", 32);
    }

    @Override
    public String credential(IncomingRequest request) {
        String bearer = request.bearer();
        if (bearer != null) {
            return bearer;
        }
        String raw = request.header("authorization");
        return raw == null ? null : raw.trim();
    }

    @Override
    public Rejection checkBody(Route route, JsonNode body) {
        return BodyRules.chat(body);
    }

    @Override
    public byte[] chatResponse(ChatCall call, Reply reply, String requestId) {
        return OpenAiChatFormat.completion(call, reply, requestId, root -> root.put("request_id", requestId));
    }

    @Override
    public List<byte[]> streamFrames(ChatCall call, Reply reply, String requestId) {
        return OpenAiChatFormat.chunks(call, reply, requestId, chunk -> { });
    }

    @Override
    public byte[] streamErrorFrame(Rendering rendering, String message, String requestId) {
        return OpenAiChatFormat.errorFrame(envelope(rendering, message, requestId));
    }

    @Override
    public byte[] errorBody(Rendering rendering, Vars vars, String message, String requestId) {
        return Json.bytes(envelope(rendering, message, requestId));
    }

    private static ObjectNode envelope(Rendering rendering, String message, String requestId) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("code", rendering.type());
        error.put("message", message);
        root.put("request_id", requestId);
        return root;
    }

    @Override
    public void throttleHeaders(Throttle t, BiConsumer<String, String> header) {
        if (t.retryAfterMs() >= 0) {
            header.accept("retry-after", Long.toString(t.retryAfterSeconds())); // modelled: Zhipu documents none
        }
    }
}
