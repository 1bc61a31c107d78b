package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Azure OpenAI: OpenAI's chat and Responses shapes (by composition: an {@link OpenAiDialect} does the
 * bodies and streams) on Azure's paths, with Azure's credentials, versions and gateway errors.
 * <ul>
 *   <li>{@code POST /openai/deployments/{deployment}/chat/completions?api-version=...}: the deployment names the
 *       model; a body needs no {@code model}. {@code POST /openai/responses?api-version=...} and its GET/DELETE.</li>
 *   <li>{@code /openai/v1/...}: the v1 API (chat, responses, models), no api-version needed.</li>
 *   <li>The key in {@code api-key}, or an Entra ID token as {@code Authorization: Bearer} (the server's OAuth
 *       endpoint issues ones that really expire when a credentials policy is on).</li>
 *   <li>A missing {@code api-version} is a 404 "Resource not found", an unknown one a 400 "API version not
 *       supported"; the versions are openai-java's {@code AzureOpenAIServiceVersion} constants.</li>
 *   <li>Gateway errors (auth, quota, versions, deployments) are {@code {"error":{"code","message"}}}; the model's
 *       own errors keep OpenAI's envelope. 429s carry {@code retry-after} and {@code retry-after-ms}.</li>
 * </ul>
 */
public final class AzureOpenAiDialect implements Dialect {
    /** Envelope names a row can ask for through its code. */
    public static final class AzureShapes {
        /** {@code {"statusCode":401,"message":"..."}}: the Entra ID front door's answer, no {@code error} object. */
        public static final String BARE = "statusCode";

        private AzureShapes() {
        }
    }

    private static final String PATH_SPACE = "/openai/";
    private static final String V1 = "/openai/v1";
    /** openai-java 4.101's AzureOpenAIServiceVersion constants: the versions its clients send. */
    static final Set<String> API_VERSIONS = Set.of("2022-12-01", "2023-05-15", "2024-02-01", "2024-06-01",
            "2024-10-21", "2023-06-01-preview", "2023-07-01-preview", "2024-02-15-preview", "2024-03-01-preview",
            "2024-04-01-preview", "2024-05-01-preview", "2024-07-01-preview", "2024-08-01-preview",
            "2024-09-01-preview", "2024-10-01-preview", "2024-12-01-preview", "2025-01-01-preview",
            "2025-02-01-preview", "2025-03-01-preview", "2025-04-01-preview", "preview", "latest");
    private static final List<Route> ROUTES = azureRoutes();
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("gpt-4o", 128_000),
            new ModelSpec("gpt-4o-mini", 128_000), new ModelSpec("gpt-4.1", 1_047_576));

    /** OpenAI's shapes, and this server's stored responses of the Azure paths. */
    private final OpenAiDialect openAi = new OpenAiDialect();

    private static List<Route> azureRoutes() {
        List<Route> routes = new ArrayList<>();
        routes.add(new Route("POST", "/openai/deployments/{deployment}/chat/completions", Route.Kind.CHAT));
        routes.addAll(ResponsesApi.routes("/openai"));
        routes.add(new Route("GET", "/openai/models", Route.Kind.MODELS));
        routes.addAll(OpenAiDialect.routes(V1));
        return List.copyOf(routes);
    }

    @Override
    public Provider provider() {
        return Provider.AZURE_OPENAI;
    }

    @Override
    public List<Route> routes() {
        return ROUTES;
    }

    /** Azure's path space, or its {@code api-key} header on a path of nobody's. */
    @Override
    public int claim(IncomingRequest request) {
        if (request.path().startsWith(PATH_SPACE)) {
            return PATH_SPACE.length();
        }
        return request.header("api-key") != null ? CLAIM_HEADER / 2 : 0;
    }

    @Override
    public List<ModelSpec> defaultModels() {
        return MODELS;
    }

    @Override
    public String requestIdHeader() {
        return "apim-request-id";
    }

    @Override
    public String newRequestId() {
        return Ids.uuid();
    }

    @Override
    public String credential(IncomingRequest request) {
        String key = request.header("api-key");
        return key != null ? key.trim() : request.bearer();
    }

    /** The dated paths need a known {@code api-version}; the v1 paths take none (or {@code preview}). */
    @Override
    public Rejection checkHeaders(IncomingRequest request) {
        if (request.path().startsWith(V1 + "/")) {
            return null;
        }
        String version = request.queryParam("api-version");
        if (version == null || version.isBlank()) {
            return Rejection.of(Fault.OLD_API_VERSION, "missing_api_version", new Vars(),
                    "validation: no api-version query parameter");
        }
        if (!API_VERSIONS.contains(version)) {
            return Rejection.of(Fault.OLD_API_VERSION, "", Vars.of(Placeholder.VERSION, version),
                    "validation: api-version " + version + " is not supported");
        }
        return null;
    }

    @Override
    public void requestVars(IncomingRequest request, Vars vars) {
        Dialect.super.requestVars(request, vars);
        String version = request.queryParam("api-version");
        vars.put(Placeholder.VERSION, version == null ? "v1" : version);
        vars.put(Placeholder.SUPPORTED, "2024-10-21, 2025-04-01-preview");
    }

    @Override
    public String model(RouteMatch route, JsonNode body) {
        String deployment = route.param("deployment");
        return deployment != null ? deployment : openAi.model(route, body);
    }

    /** On a deployment path the body names no model: the deployment does. */
    @Override
    public Rejection checkBody(RouteMatch route, JsonNode body) {
        if (route.param("deployment") != null) {
            return OpenAiDialect.agentRules(BodyRules.chatWithoutModel(body), body);
        }
        return openAi.checkBody(route, body);
    }

    @Override
    public ChatCall readCall(RouteMatch route, IncomingRequest request, JsonNode body) {
        ChatCall call = openAi.readCall(route, request, body);
        String model = model(route, body);
        return new ChatCall(call.body(), route, model, call.stream(), call.includeUsage(), call.promptTokens(),
                call.reservedTokens());
    }

    @Override
    public Conversation conversation(RouteMatch route, JsonNode body) {
        return openAi.conversation(route, body);
    }

    @Override
    public boolean mayAskForStructuredOutput(RouteMatch route, JsonNode body) {
        return openAi.mayAskForStructuredOutput(route, body);
    }

    @Override
    public byte[] chatResponse(ChatCall call, Answer reply, String requestId) {
        return openAi.chatResponse(call, reply, requestId);
    }

    @Override
    public boolean isContentDelta(byte[] frame) {
        return OpenAiChatFormat.isContentDelta(frame); // OpenAI's chunk and Responses event shapes
    }

    @Override
    public StreamFramer streamFramer(ChatCall call, Answer reply, String requestId) {
        StreamFramer framer = openAi.streamFramer(call, reply, requestId);
        if (reply.finish() != Finish.CONTENT_FILTER || ResponsesApi.serves(call.route())) {
            return framer;
        }
        return new StreamFramer() { // the filter's verdict rides on the finish chunk's choice, as Azure streams it
            @Override
            public List<byte[]> opening() {
                return framer.opening();
            }

            @Override
            public byte[] delta(Delta delta) {
                return framer.delta(delta);
            }

            @Override
            public List<byte[]> closing() {
                List<byte[]> frames = new java.util.ArrayList<>(framer.closing());
                JsonNode finish = Sse.dataJson(frames.get(0));
                if (finish instanceof ObjectNode chunk && chunk.path("choices").path(0) instanceof ObjectNode choice) {
                    choice.set("content_filter_results", filterResults());
                    frames.set(0, Sse.data(chunk));
                }
                return frames;
            }

            @Override
            public byte[] error(Rendering rendering, String message) {
                return framer.error(rendering, message);
            }
        };
    }

    /** Azure's per-category verdicts of a filtered answer: violence filtered, the others safe. */
    private static ObjectNode filterResults() {
        ObjectNode results = Json.object();
        for (String category : List.of("hate", "self_harm", "sexual", "violence")) {
            boolean filtered = category.equals("violence");
            results.putObject(category).put("filtered", filtered).put("severity", filtered ? "medium" : "safe");
        }
        return results;
    }

    @Override
    public ObjectNode modelEntry(String id) {
        return openAi.modelEntry(id);
    }

    @Override
    public ObjectNode modelList(List<String> models) {
        return openAi.modelList(models);
    }

    @Override
    public ResourceAnswer resource(RouteMatch route, IncomingRequest request, JsonNode body, List<String> models) {
        return openAi.resource(route, request, body, models);
    }

    @Override
    public void reset() {
        openAi.reset();
    }

    /**
     * A row with an OpenAI error type is the model's own error, in OpenAI's envelope; a row without one is the
     * Azure gateway's {@code {"error":{"code","message"}}}.
     */
    @Override
    public byte[] errorBody(Rendering rendering, Vars vars, String message, String requestId) {
        if (rendering.type() != null && "content_filter".equals(rendering.code())) {
            return contentFilterError(rendering, vars, message, requestId);
        }
        if (rendering.type() != null) {
            return openAi.errorBody(rendering, vars, message, requestId);
        }
        if (AzureShapes.BARE.equals(rendering.code())) {
            return Json.bytes(Json.object().put("statusCode", rendering.status()).put("message", message));
        }
        ObjectNode root = Json.object();
        root.putObject("error").put("code", rendering.code()).put("message", message);
        return Json.bytes(root);
    }

    /**
     * A prompt the content filter refused: OpenAI's envelope plus Azure's {@code innererror}, the policy and the
     * verdict per category (learn.microsoft.com, "Content filtering": the example of a filtered prompt).
     */
    private byte[] contentFilterError(Rendering rendering, Vars vars, String message, String requestId) {
        ObjectNode root = (ObjectNode) Json.tryParse(new String(openAi.errorBody(rendering, vars, message, requestId),
                java.nio.charset.StandardCharsets.UTF_8)).orElseThrow();
        ObjectNode error = (ObjectNode) root.get("error");
        error.put("status", rendering.status());
        ObjectNode inner = error.putObject("innererror");
        inner.put("code", "ResponsibleAIPolicyViolation");
        ObjectNode result = inner.putObject("content_filter_result");
        for (String category : new String[] {"hate", "self_harm", "sexual", "violence"}) {
            boolean flagged = category.equals("violence");
            result.putObject(category).put("filtered", flagged).put("severity", flagged ? "high" : "safe");
        }
        result.putObject("jailbreak").put("filtered", false).put("detected", false);
        return Json.bytes(root);
    }

    @Override
    public void commonHeaders(long processingMs, BiConsumer<String, String> header) {
        header.accept("x-ms-region", "Sweden Central"); // modelled: the region of the resource
    }

    /** Azure sends the remaining counts and both retry hints; it documents no limit or reset headers. */
    @Override
    public void throttleHeaders(Throttle t, BiConsumer<String, String> header) {
        header.accept("x-ratelimit-remaining-requests", Long.toString(t.requestsRemaining()));
        header.accept("x-ratelimit-remaining-tokens", Long.toString(t.tokensRemaining()));
        if (t.retryAfterMs() >= 0) {
            header.accept("retry-after", Long.toString(t.retryAfterSeconds()));
            header.accept("retry-after-ms", Long.toString(t.retryAfterMs()));
        }
    }
}
