package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.json.Json;

import java.util.List;
import java.util.function.BiConsumer;

/**
 * OpenAI: {@code POST /v1/chat/completions} (plain and SSE), {@code GET /v1/models} and
 * {@code GET /v1/models/{id}}. Errors: {@code {"error":{"message","type","param","code"}}}; openai-java
 * requires {@code type}, so it is always sent. Rate limits in {@code x-ratelimit-*} with Go durations,
 * retry hints in {@code retry-after} and {@code retry-after-ms}.
 */
public final class OpenAiDialect implements Dialect {
    private static final List<Route> ROUTES = routes("/v1");
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("gpt-4o", 128_000),
            new ModelSpec("gpt-4o-mini", 128_000), new ModelSpec("gpt-4.1", 1_047_576),
            new ModelSpec("gpt-4.1-mini", 1_047_576), new ModelSpec("o3-mini", 200_000));

    /** Stored responses of this server's Responses API. */
    private final ResponsesApi responses = new ResponsesApi();
    /** The OpenAI-compatible vendor this instance serves (see {@link Aliases}), or null for OpenAI itself. */
    private final String alias;
    private final String base;
    private final List<Route> routes;

    /** OpenAI itself, under {@code /v1}. */
    OpenAiDialect() {
        this.alias = null;
        this.base = "/v1";
        this.routes = ROUTES;
    }

    /** An OpenAI-compatible vendor under its own base path, such as {@code mistral} under {@code /mistral/v1}. */
    OpenAiDialect(String alias, String base) {
        this.alias = alias;
        this.base = base;
        this.routes = routes(base);
    }

    /** Chat completions, models and the Responses API under a base path (OpenAI's {@code /v1}, Azure's {@code /openai/v1}). */
    static List<Route> routes(String base) {
        List<Route> routes = new java.util.ArrayList<>(List.of(
                new Route("POST", base + "/chat/completions", Route.Kind.CHAT),
                new Route("GET", base + "/models", Route.Kind.MODELS),
                new Route("GET", base + "/models/{model}", Route.Kind.MODEL)));
        routes.addAll(ResponsesApi.routes(base));
        return List.copyOf(routes);
    }

    @Override
    public Provider provider() {
        return Provider.OPENAI;
    }

    @Override
    public List<Route> routes() {
        return routes;
    }

    /**
     * Any path under its base ({@code /v1/}, or an alias's); OpenAI itself is also the last resort for every other
     * unknown path, as most clients speak OpenAI.
     */
    @Override
    public int claim(IncomingRequest request) {
        if (request.path().startsWith(base + "/")) {
            return base.length() + 1;
        }
        return alias == null ? CLAIM_FALLBACK : 0;
    }

    @Override
    public String alias() {
        return alias;
    }

    @Override
    public List<ModelSpec> defaultModels() {
        return MODELS;
    }

    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    public String newRequestId() {
        return Ids.hex("req_", 32);
    }

    @Override
    public String credential(IncomingRequest request) {
        String bearer = request.bearer();
        if (bearer != null) {
            return bearer;
        }
        return request.header("api-key"); // Azure OpenAI's header, also accepted by many gateways
    }

    @Override
    public String model(RouteMatch route, JsonNode body) {
        return OpenAiChatFormat.model(body);
    }

    @Override
    public Rejection checkBody(RouteMatch route, JsonNode body) {
        return ResponsesApi.serves(route) ? responses.check(body) : agentRules(BodyRules.chat(body), body);
    }

    /** After the field checks of a chat body: its tools' schemas, then the pairing of tool calls and results. */
    static Rejection agentRules(Rejection fields, JsonNode body) {
        Rejection r = fields;
        if (r == null) r = ToolSchemaRules.openAi(body, true);
        if (r == null) r = AgentRules.openAiChat(body);
        return r;
    }

    @Override
    public ChatCall readCall(RouteMatch route, IncomingRequest request, JsonNode body) {
        return ResponsesApi.serves(route) ? responses.readCall(route, body) : OpenAiChatFormat.readCall(route, body);
    }

    @Override
    public Conversation conversation(RouteMatch route, JsonNode body) {
        return ResponsesApi.serves(route) ? responses.conversation(body) : OpenAiChatFormat.conversation(body);
    }

    @Override
    public boolean mayAskForStructuredOutput(RouteMatch route, JsonNode body) {
        return ResponsesApi.serves(route) ? ResponsesConversation.mayAskForStructuredOutput(body)
                : ChatMessagesConversation.mayAskForStructuredOutput(body);
    }

    @Override
    public byte[] chatResponse(ChatCall call, Answer reply, String requestId) {
        if (ResponsesApi.serves(call.route())) {
            return responses.complete(call, reply);
        }
        return OpenAiChatFormat.completion(call, reply, Ids.base62("chatcmpl-", 29));
    }

    @Override
    public boolean isContentDelta(byte[] frame) {
        return OpenAiChatFormat.isContentDelta(frame);
    }

    @Override
    public StreamFramer streamFramer(ChatCall call, Answer reply, String requestId) {
        if (ResponsesApi.serves(call.route())) {
            return responses.framer(call, reply);
        }
        return OpenAiChatFormat.framer(call, reply, Ids.base62("chatcmpl-", 29), chunk -> { },
                (rendering, message) -> envelope(rendering, new Vars(), message));
    }

    @Override
    public ResourceAnswer resource(RouteMatch route, IncomingRequest request, JsonNode body, List<String> models) {
        return responses.resource(route, request);
    }

    @Override
    public void reset() {
        responses.reset();
    }

    @Override
    public ObjectNode modelEntry(String id) {
        return model(id);
    }

    @Override
    public ObjectNode modelList(List<String> models) {
        ObjectNode root = Json.object();
        root.put("object", "list");
        ArrayNode data = root.putArray("data");
        models.forEach(id -> data.add(model(id)));
        return root;
    }

    private static ObjectNode model(String id) {
        ObjectNode m = Json.object();
        m.put("id", id);
        m.put("object", "model");
        m.put("created", 1715367049L);
        m.put("owned_by", "system");
        return m;
    }

    @Override
    public byte[] errorBody(Rendering rendering, Vars vars, String message, String requestId) {
        return Json.bytes(envelope(rendering, vars, message));
    }

    /** {@code {"error":{"message","type","param","code"}}}: the envelope of every OpenAI-shaped error. */
    static ObjectNode envelope(Rendering rendering, Vars vars, String message) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        error.put("message", message);
        error.put("type", rendering.type());
        String param = vars.fill(rendering.param(), false);
        if (param == null) error.putNull("param"); else error.put("param", param);
        if (rendering.code() == null) error.putNull("code"); else error.put("code", rendering.code());
        return root;
    }

    @Override
    public void commonHeaders(long processingMs, BiConsumer<String, String> header) {
        header.accept("openai-processing-ms", Long.toString(processingMs));
        header.accept("openai-version", "2020-10-01");
    }

    @Override
    public void throttleHeaders(Throttle t, BiConsumer<String, String> header) {
        header.accept("x-ratelimit-limit-requests", Long.toString(t.requestLimit()));
        header.accept("x-ratelimit-remaining-requests", Long.toString(t.requestsRemaining()));
        header.accept("x-ratelimit-reset-requests", GoDuration.format(t.requestsResetMs()));
        header.accept("x-ratelimit-limit-tokens", Long.toString(t.tokenLimit()));
        header.accept("x-ratelimit-remaining-tokens", Long.toString(t.tokensRemaining()));
        header.accept("x-ratelimit-reset-tokens", GoDuration.format(t.tokensResetMs()));
        if (t.retryAfterMs() >= 0) {
            header.accept("retry-after", Long.toString(t.retryAfterSeconds()));
            header.accept("retry-after-ms", Long.toString(t.retryAfterMs()));
        }
    }
}
