package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
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
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("glm-4.6", 200_000),
            new ModelSpec("glm-4-plus", 128_000), new ModelSpec("glm-4-flash", 128_000));
    private static final String PATH_SPACE = "/api/paas/";

    @Override
    public Provider provider() {
        return Provider.ZHIPU;
    }

    @Override
    public List<Route> routes() {
        return ROUTES;
    }

    @Override
    public int claim(IncomingRequest request) {
        return request.path().startsWith(PATH_SPACE) ? PATH_SPACE.length() : 0;
    }

    @Override
    public List<ModelSpec> defaultModels() {
        return MODELS;
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
    public String model(RouteMatch route, JsonNode body) {
        return OpenAiChatFormat.model(body);
    }

    @Override
    public Rejection checkBody(RouteMatch route, JsonNode body) {
        return BodyRules.chat(body);
    }

    @Override
    public Conversation conversation(RouteMatch route, JsonNode body) {
        return OpenAiChatFormat.conversation(body);
    }

    @Override
    public boolean mayAskForStructuredOutput(RouteMatch route, JsonNode body) {
        return ChatMessagesConversation.mayAskForStructuredOutput(body);
    }

    @Override
    public ChatCall readCall(RouteMatch route, IncomingRequest request, JsonNode body) {
        return OpenAiChatFormat.readCall(route, body);
    }

    @Override
    public byte[] chatResponse(ChatCall call, Answer reply, String requestId) {
        return OpenAiChatFormat.completion(call, reply, requestId, requestId, ZhipuDialect::finishReason);
    }

    @Override
    public boolean isContentDelta(byte[] frame) {
        return OpenAiChatFormat.isContentDelta(frame); // Zhipu streams OpenAI's chunk shape
    }

    @Override
    public StreamFramer streamFramer(ChatCall call, Answer reply, String requestId) {
        return OpenAiChatFormat.framer(call, reply, requestId, chunk -> { },
                (rendering, message) -> envelope(rendering, message, requestId), ZhipuDialect::finishReason);
    }

    /** OpenAI's names, but a filtered answer is {@code sensitive} (Zhipu's chat completion docs, docs.bigmodel.cn). */
    private static String finishReason(Finish finish) {
        return finish == Finish.CONTENT_FILTER ? "sensitive" : OpenAiChatFormat.finishReason(finish);
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
