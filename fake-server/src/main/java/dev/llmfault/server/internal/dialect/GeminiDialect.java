package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Google Gemini API (generativelanguage): {@code POST /v1beta/models/{model}:generateContent},
 * {@code :streamGenerateContent?alt=sse}, {@code :countTokens}, {@code GET /v1beta/models} and
 * {@code /v1beta/models/{model}}, the same under {@code /v1} (google-genai 2.x calls {@code /v1}, LangChain4j
 * {@code /v1beta}). The key comes in {@code x-goog-api-key}, as the documented {@code ?key=} query parameter,
 * or as an OAuth bearer token.
 *
 * <p>Errors are Google's {@code {"error":{"code","message","status","details":[...]}}}: the catalogue row's
 * {@code type} is the status ({@code RESOURCE_EXHAUSTED}), its {@code code} the {@code google.rpc.ErrorInfo}
 * reason ({@code API_KEY_INVALID}); a throttled answer carries {@code google.rpc.QuotaFailure}, {@code Help}
 * and {@code google.rpc.RetryInfo} with the hint as {@code retryDelay}, and no {@code Retry-After} header, as
 * Gemini sends none. Sources: google-genai 2.3.0 ({@code ApiClient}, {@code errors.ApiException},
 * {@code ResponseStream}), LangChain4j 1.19 {@code GeminiService}, ai.google.dev/gemini-api/docs/troubleshooting.
 *
 * <pre>{@code
 * curl -H 'x-goog-api-key: AIza...' -d '{"contents":[{"parts":[{"text":"hi"}]}]}' \
 *      http://127.0.0.1:PORT/v1beta/models/gemini-2.5-flash:generateContent
 * }</pre>
 */
public final class GeminiDialect implements Dialect {
    private static final String GENERATE = ":generateContent";
    private static final String STREAM = ":streamGenerateContent";
    private static final String COUNT = ":countTokens";
    private static final List<Route> ROUTES = routes("/v1beta", "/v1");
    private static final int OUTPUT_LIMIT = 65_536;
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("gemini-2.5-flash", 1_048_576),
            new ModelSpec("gemini-2.5-pro", 1_048_576), new ModelSpec("gemini-2.5-flash-lite", 1_048_576),
            new ModelSpec("gemini-2.0-flash", 1_048_576));

    private static List<Route> routes(String... versions) {
        List<Route> routes = new ArrayList<>();
        for (String v : versions) {
            routes.add(new Route("POST", v + "/models/{model}" + GENERATE, Route.Kind.CHAT));
            routes.add(new Route("POST", v + "/models/{model}" + STREAM, Route.Kind.CHAT));
            routes.add(new Route("POST", v + "/models/{model}" + COUNT, Route.Kind.RESOURCE));
            routes.add(new Route("GET", v + "/models", Route.Kind.MODELS));
            routes.add(new Route("GET", v + "/models/{model}", Route.Kind.MODEL));
        }
        return List.copyOf(routes);
    }

    @Override
    public Provider provider() {
        return Provider.GEMINI;
    }

    @Override
    public List<Route> routes() {
        return ROUTES;
    }

    /** Gemini counts the input alone against the model's input token limit; maxOutputTokens is capped, not refused. */
    @Override
    public ContextCheck contextCheck() {
        return ContextCheck.PROMPT_ONLY;
    }

    /**
     * {@code /v1beta/} is Gemini's alone. {@code /v1/} is shared with OpenAI ({@code GET /v1/models/{id}}): there
     * a Google key header, Google's client header or the {@code key} query parameter (without an Authorization
     * header: an OpenAI client that also puts its key in the query stays OpenAI's) makes the request Gemini's.
     */
    @Override
    public int claim(IncomingRequest request) {
        if (request.header("x-goog-api-key") != null || request.header("x-goog-api-client") != null
                || request.queryParam("key") != null && request.header("authorization") == null) {
            return CLAIM_HEADER;
        }
        String path = request.path();
        if (path.contains(GENERATE) || path.contains(STREAM) || path.contains(COUNT)) {
            return CLAIM_HEADER;
        }
        return path.startsWith("/v1beta/") ? "/v1beta/".length() : 0;
    }

    @Override
    public List<ModelSpec> defaultModels() {
        return MODELS;
    }

    /** Modelled: Gemini documents no request-id header; its answers carry {@code responseId} in the body. */
    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    /** Gemini's {@code functionCall} parts carry no id unless one is given: a reply rule's calls go without. */
    @Override
    public String toolCallId(String toolName, long seed) {
        return null;
    }

    @Override
    public String newRequestId() {
        return Ids.base62("", 22);
    }

    /** {@code x-goog-api-key} (both SDKs), else the {@code key} query parameter (REST docs), else a bearer token. */
    @Override
    public String credential(IncomingRequest request) {
        String key = request.header("x-goog-api-key");
        if (key != null) {
            return key;
        }
        key = request.queryParam("key");
        return key != null ? key : request.bearer();
    }

    @Override
    public String model(RouteMatch route, JsonNode body) {
        return route.param("model");
    }

    @Override
    public Rejection checkBody(RouteMatch route, JsonNode body) {
        Rejection r = BodyRules.requireObject(body);
        if (r != null) {
            return r;
        }
        if (route.kind() == Route.Kind.RESOURCE && body.has("generateContentRequest")) {
            return checkBody(route, body.get("generateContentRequest")); // countTokens' other form
        }
        JsonNode contents = body.get("contents");
        if (contents == null || contents.isNull() || contents.isArray() && contents.isEmpty()) {
            return Rejection.of(Fault.MISSING_FIELD, "", Vars.of(Placeholder.FIELD, "contents"),
                    "validation: contents is not specified");
        }
        if (!contents.isArray()) {
            return BodyRules.invalid("contents", "expected an array of Content, got " + contents.getNodeType());
        }
        for (int i = 0; i < contents.size(); i++) {
            JsonNode content = contents.get(i);
            JsonNode role = content.get("role");
            if (role != null && !role.isNull() && !("user".equals(role.asText()) || "model".equals(role.asText()))) {
                return BodyRules.invalid("contents[" + i + "].role",
                        "Please use a valid role: user, model. (got " + role + ")");
            }
            if (!content.path("parts").isArray()) {
                return BodyRules.invalid("contents[" + i + "].parts", "expected an array of Part");
            }
        }
        return route.kind() == Route.Kind.CHAT ? AgentRules.gemini(body) : null;
    }

    @Override
    public Conversation conversation(RouteMatch route, JsonNode body) {
        return GeminiConversation.read(body);
    }

    @Override
    public boolean mayAskForStructuredOutput(RouteMatch route, JsonNode body) {
        return GeminiConversation.mayAskForStructuredOutput(body);
    }

    @Override
    public ChatCall readCall(RouteMatch route, IncomingRequest request, JsonNode body) {
        boolean stream = route.route().pattern().endsWith(STREAM);
        int prompt = TokenCounter.textTokens(body.get("contents"), body.get("systemInstruction"));
        int reserved = body.path("generationConfig").path("maxOutputTokens").asInt(0);
        return new ChatCall(body, route, route.param("model"), stream, false, prompt, Math.max(reserved, 0));
    }

    /**
     * One candidate whose parts are the text (left out when the model only calls tools) and a
     * {@code functionCall} part per call ({@code name}, {@code args} as an object, {@code id} only when the reply
     * names one: the Gemini Developer API sends none). Verified against google-genai 2.3.0 ({@code FunctionCall}:
     * id, args, name; {@code FinishReason}) and the function-calling guide (ai.google.dev/gemini-api/docs/
     * function-calling), whose answers end with {@code finishReason: STOP} also when they call functions.
     */
    @Override
    public byte[] chatResponse(ChatCall call, Answer reply, String requestId) {
        ObjectNode root = Json.object();
        String text = reply.text().isEmpty() && !reply.toolCalls().isEmpty() ? null : reply.text();
        ArrayNode parts = candidate(root, finishReason(reply.finish()), text);
        for (Conversation.ToolCall c : reply.toolCalls()) {
            functionCall(parts, c, c.arguments());
        }
        root.set("usageMetadata", usage(call.promptTokens(), reply.completionTokens()));
        root.put("modelVersion", call.model());
        root.put("responseId", requestId);
        return Json.bytes(root);
    }

    /**
     * Gemini's name of a finish: a function call ends with STOP like any complete answer; a content filter is
     * SAFETY (google-genai's FinishReason: STOP, MAX_TOKENS, SAFETY, ...).
     */
    static String finishReason(Finish f) {
        return switch (f) {
            case STOP, TOOL_CALLS -> "STOP";
            case LENGTH -> "MAX_TOKENS";
            case CONTENT_FILTER -> "SAFETY";
        };
    }

    /**
     * {@code data: <GenerateContentResponse>} per delta, no opening frame; the closing frame carries
     * {@code finishReason} and the usage. Gemini has no terminal event: a cut stream and a complete one differ
     * only by that last chunk. A tool call arrives whole in one chunk (one {@code functionCall} part), written
     * with its last argument piece: see {@link WholeCalls} for what {@code afterChunks} then shows.
     */
    @Override
    public StreamFramer streamFramer(ChatCall call, Answer reply, String requestId) {
        WholeCalls calls = new WholeCalls(reply);
        return new StreamFramer() {
            @Override
            public List<byte[]> opening() {
                return List.of();
            }

            @Override
            public byte[] delta(Delta d) {
                if (d instanceof Delta.ToolCallStart) {
                    return new byte[0];
                }
                ObjectNode chunk = Json.object();
                if (d instanceof Delta.ToolArguments a) {
                    JsonNode args = calls.add(a);
                    if (args == null) {
                        return new byte[0];
                    }
                    functionCall(candidate(chunk, null, null), reply.toolCalls().get(a.index()), args);
                } else {
                    candidate(chunk, null, Delta.text(d));
                }
                chunk.set("usageMetadata", usage(call.promptTokens(), 0));
                chunk.put("modelVersion", call.model());
                chunk.put("responseId", requestId);
                return Sse.data(chunk);
            }

            @Override
            public List<byte[]> closing() {
                ObjectNode last = Json.object();
                candidate(last, finishReason(reply.finish()), "");
                last.set("usageMetadata", usage(call.promptTokens(), reply.completionTokens()));
                last.put("modelVersion", call.model());
                last.put("responseId", requestId);
                return List.of(Sse.data(last));
            }

            /** What google-genai's ResponseStream turns into an ApiException: an {@code error} object in a data frame. */
            @Override
            public byte[] error(Rendering rendering, String message) {
                return Sse.data(envelope(rendering, new Vars(), message));
            }
        };
    }

    /** A chunk whose first candidate has a non-empty text or a function call (what the SDKs hand the caller). */
    @Override
    public boolean isContentDelta(byte[] frame) {
        JsonNode data = Sse.dataJson(frame);
        if (data == null) {
            return false;
        }
        for (JsonNode part : data.path("candidates").path(0).path("content").path("parts")) {
            if (part.path("text").isTextual() && !part.path("text").asText().isEmpty() || part.has("functionCall")) {
                return true;
            }
        }
        return false;
    }

    /**
     * The first candidate with its parts (a text part unless {@code text} is null) and, when the answer ends here,
     * its finish reason; returns the parts to add function calls to. A SAFETY finish also rates the content.
     */
    private static ArrayNode candidate(ObjectNode root, String finishReason, String text) {
        ObjectNode candidate = root.putArray("candidates").addObject();
        ObjectNode content = candidate.putObject("content");
        ArrayNode parts = content.putArray("parts");
        if (text != null) {
            parts.addObject().put("text", text);
        }
        content.put("role", "model");
        if (finishReason != null) {
            candidate.put("finishReason", finishReason);
        }
        if ("SAFETY".equals(finishReason)) {
            candidate.putArray("safetyRatings").addObject().put("category", "HARM_CATEGORY_DANGEROUS_CONTENT")
                    .put("probability", "HIGH").put("blocked", true);
        }
        candidate.put("index", 0);
        return parts;
    }

    private static void functionCall(ArrayNode parts, Conversation.ToolCall c, JsonNode args) {
        ObjectNode fc = parts.addObject().putObject("functionCall");
        if (c.id() != null && !c.id().isEmpty()) {
            fc.put("id", c.id());
        }
        fc.put("name", c.name());
        fc.set("args", args != null && args.isObject() ? args : Json.object());
    }

    private static ObjectNode usage(int prompt, int completion) {
        ObjectNode u = Json.object();
        u.put("promptTokenCount", prompt);
        if (completion > 0) {
            u.put("candidatesTokenCount", completion);
        }
        u.put("totalTokenCount", prompt + completion);
        u.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", prompt);
        return u;
    }

    @Override
    public ObjectNode modelEntry(String id) {
        for (ModelSpec m : MODELS) {
            if (m.id().equals(id)) {
                return model(m.id(), m.contextWindow());
            }
        }
        return null;
    }

    /** Configured models are listed with the defaults' limits when they are none of the defaults. */
    @Override
    public ObjectNode modelList(List<String> models) {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("models");
        for (String id : models) {
            ObjectNode known = modelEntry(id);
            list.add(known != null ? known : model(id, 1_048_576));
        }
        return root;
    }

    private static ObjectNode model(String id, int inputLimit) {
        ObjectNode m = Json.object();
        m.put("name", "models/" + id);
        m.put("version", "001");
        m.put("displayName", id);
        m.put("description", "A model of the fake Gemini API");
        m.put("inputTokenLimit", inputLimit);
        m.put("outputTokenLimit", OUTPUT_LIMIT);
        m.putArray("supportedGenerationMethods").add("generateContent").add("countTokens");
        m.put("temperature", 1.0);
        m.put("topP", 0.95);
        m.put("topK", 64);
        m.put("maxTemperature", 2.0);
        return m;
    }

    /** {@code :countTokens}: {@code {"totalTokens":N}} for {@code contents} or a whole {@code generateContentRequest}. */
    @Override
    public ResourceAnswer resource(RouteMatch route, IncomingRequest request, JsonNode body, List<String> models) {
        JsonNode request1 = body.has("generateContentRequest") ? body.get("generateContentRequest") : body;
        int tokens = TokenCounter.textTokens(request1.get("contents"), request1.get("systemInstruction"));
        ObjectNode root = Json.object().put("totalTokens", tokens);
        root.putArray("promptTokensDetails").addObject().put("modality", "TEXT").put("tokenCount", tokens);
        return ResourceAnswer.ok(Json.bytes(root));
    }

    @Override
    public byte[] errorBody(Rendering rendering, Vars vars, String message, String requestId) {
        return Json.bytes(envelope(rendering, vars, message));
    }

    /**
     * {@code {"error":{"code","message","status","details"}}}. {@code code} is the HTTP status the status name
     * stands for, so a mid-stream error frame (sent after a 200) still says 500, as google-genai reads it.
     */
    private static ObjectNode envelope(Rendering rendering, Vars vars, String message) {
        ObjectNode root = Json.object();
        ObjectNode error = root.putObject("error");
        String status = rendering.type() == null ? "UNKNOWN" : rendering.type();
        error.put("code", rendering.status() >= 400 ? rendering.status() : httpCode(status));
        error.put("message", message);
        error.put("status", status);
        ArrayNode details = Json.object().putArray("details");
        if (rendering.code() != null) {
            ObjectNode info = details.addObject();
            info.put("@type", "type.googleapis.com/google.rpc.ErrorInfo");
            info.put("reason", rendering.code());
            info.put("domain", "googleapis.com");
            info.putObject("metadata").put("service", "generativelanguage.googleapis.com");
            details.addObject().put("@type", "type.googleapis.com/google.rpc.LocalizedMessage")
                    .put("locale", "en-US").put("message", message);
        }
        if (rendering.fault() == Fault.RATE_LIMITED || rendering.fault() == Fault.QUOTA_EXCEEDED) {
            quotaDetails(details, rendering, vars);
        }
        String retryMs = vars.get(Placeholder.RETRY_MS);
        if (retryMs != null) { // the wait the answer asks: Gemini has no Retry-After header
            details.addObject().put("@type", "type.googleapis.com/google.rpc.RetryInfo")
                    .put("retryDelay", protobufDuration(Long.parseLong(retryMs)));
        }
        String field = vars.get(Placeholder.FIELD);
        if (rendering.fault() == Fault.MALFORMED_BODY && "invalid_type".equals(rendering.variant()) && field != null) {
            details.addObject().put("@type", "type.googleapis.com/google.rpc.BadRequest")
                    .putArray("fieldViolations").addObject().put("field", field).put("description", message);
        }
        if (!details.isEmpty()) {
            error.set("details", details);
        }
        return root;
    }

    /** QuotaFailure (which quota) and Help, as Gemini's 429s carry them. */
    private static void quotaDetails(ArrayNode details, Rendering rendering, Vars vars) {
        boolean daily = rendering.fault() == Fault.QUOTA_EXCEEDED;
        boolean tokens = "tokens".equals(rendering.variant());
        ObjectNode violation = details.addObject().put("@type", "type.googleapis.com/google.rpc.QuotaFailure")
                .putArray("violations").addObject();
        violation.put("quotaMetric", tokens ? "generativelanguage.googleapis.com/generate_content_free_tier_input_token_count"
                : "generativelanguage.googleapis.com/generate_content_free_tier_requests");
        violation.put("quotaId", daily ? "GenerateRequestsPerDayPerProjectPerModel-FreeTier"
                : tokens ? "GenerateContentInputTokensPerModelPerMinute-FreeTier"
                : "GenerateRequestsPerMinutePerProjectPerModel-FreeTier");
        ObjectNode dimensions = violation.putObject("quotaDimensions").put("location", "global");
        String model = vars.get(Placeholder.MODEL);
        if (model != null) {
            dimensions.put("model", model);
        }
        String limit = vars.get(Placeholder.LIMIT);
        if (limit != null) {
            violation.put("quotaValue", limit);
        }
        details.addObject().put("@type", "type.googleapis.com/google.rpc.Help").putArray("links").addObject()
                .put("description", "Learn more about Gemini API quotas")
                .put("url", "https://ai.google.dev/gemini-api/docs/rate-limits");
    }

    /** A protobuf Duration in JSON: seconds with up to 9 decimals and an {@code s} ({@code 20s}, {@code 1.100s}). */
    static String protobufDuration(long ms) {
        return ms % 1000 == 0 ? ms / 1000 + "s" : String.format(java.util.Locale.ROOT, "%d.%03ds", ms / 1000, ms % 1000);
    }

    /** The HTTP status each canonical Google status stands for (google.rpc.Code). */
    private static int httpCode(String status) {
        return switch (status) {
            case "INVALID_ARGUMENT", "FAILED_PRECONDITION", "OUT_OF_RANGE" -> 400;
            case "UNAUTHENTICATED" -> 401;
            case "PERMISSION_DENIED" -> 403;
            case "NOT_FOUND" -> 404;
            case "ABORTED", "ALREADY_EXISTS" -> 409;
            case "RESOURCE_EXHAUSTED" -> 429;
            case "CANCELLED" -> 499;
            case "UNIMPLEMENTED" -> 501;
            case "UNAVAILABLE" -> 503;
            case "DEADLINE_EXCEEDED" -> 504;
            default -> 500;
        };
    }

    /** The field an injected MISSING_FIELD names, and the API version of the path for the not-found messages. */
    @Override
    public void requestVars(IncomingRequest request, Vars vars) {
        vars.put(Placeholder.FIELD, "contents");
        String path = request.path();
        vars.putIfAbsent(Placeholder.VERSION, path.startsWith("/v1beta/") ? "v1beta"
                : path.startsWith("/v1/") ? "v1" : path.split("/").length > 1 ? path.split("/")[1] : "v1beta");
    }

    @Override
    public RetryHint retryHint() {
        return RetryHint.BODY;
    }

    /** Gemini sends no rate-limit or retry headers: its retry hint is RetryInfo in the error body. */
    @Override
    public void throttleHeaders(Throttle throttle, BiConsumer<String, String> header) {
    }
}
