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

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Anthropic: {@code POST /v1/messages}, plain and streamed (every SSE frame has an {@code event:} line,
 * which anthropic-java needs). Requires {@code anthropic-version}; the key comes as {@code x-api-key} or
 * {@code Authorization: Bearer} (anthropic-java 3.14 sends the latter). Errors:
 * {@code {"type":"error","error":{"type","message"},"request_id"}} plus a {@code request-id} header.
 */
public final class AnthropicDialect implements Dialect {
    private static final List<Route> ROUTES = List.of(
            new Route("POST", "/v1/messages", Route.Kind.CHAT),
            // Shared with OpenAI: a request carrying anthropic-version comes here (see Dialects).
            new Route("GET", "/v1/models", Route.Kind.MODELS),
            new Route("GET", "/v1/models/{model}", Route.Kind.MODEL));
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("claude-sonnet-4-5", 200_000),
            new ModelSpec("claude-opus-4-1", 200_000), new ModelSpec("claude-3-5-haiku-latest", 200_000));
    /** The versions the API knows (https://docs.claude.com/en/api/versioning); any other value is a 400. */
    static final List<String> KNOWN_VERSIONS = List.of("2023-01-01", "2023-06-01", "2026-10-21");
    /** A fixed creation time: anthropic-java requires created_at (RFC 3339) on every model. */
    private static final String MODEL_CREATED_AT = "2025-09-29T00:00:00Z";

    @Override
    public Provider provider() {
        return Provider.ANTHROPIC;
    }

    @Override
    public List<Route> routes() {
        return ROUTES;
    }

    /** Every Anthropic client sends anthropic-version, and no OpenAI client does: it settles {@code GET /v1/models}. */
    @Override
    public int claim(IncomingRequest request) {
        if (request.header("anthropic-version") != null) {
            return CLAIM_HEADER;
        }
        return request.header("x-api-key") != null ? CLAIM_HEADER / 2 : 0;
    }

    @Override
    public List<ModelSpec> defaultModels() {
        return MODELS;
    }

    @Override
    public String requestIdHeader() {
        return "request-id";
    }

    /** {@code toolu_01} and 22 base-62 characters, as the API mints them; seeded for reply rules. */
    @Override
    public String toolCallId(long seed) {
        return Ids.seeded("toolu_01", 22, seed);
    }

    @Override
    public String newRequestId() {
        return Ids.base62("req_011C", 20);
    }

    @Override
    public String credential(IncomingRequest request) {
        String key = request.header("x-api-key");
        return key != null ? key.trim() : request.bearer();
    }

    /**
     * A missing version and a version the API does not know are refused as the API refuses them (a 400
     * {@code invalid_request_error}); which of the known versions are accepted is the version policy's business.
     */
    @Override
    public Rejection checkHeaders(IncomingRequest request) {
        String version = request.header("anthropic-version");
        if (version == null || version.isBlank()) {
            return Rejection.of(Fault.OLD_API_VERSION, "missing_version", new Vars(),
                    "validation: missing anthropic-version header");
        }
        if (!KNOWN_VERSIONS.contains(version.trim())) {
            return Rejection.of(Fault.OLD_API_VERSION, "unknown_version", Vars.of(Placeholder.VERSION, version.trim()),
                    "validation: unknown anthropic-version " + version.trim() + ", known: " + KNOWN_VERSIONS);
        }
        return null;
    }

    @Override
    public void requestVars(IncomingRequest request, Vars vars) {
        Dialect.super.requestVars(request, vars);
        vars.put(Placeholder.VERSION, request.header("anthropic-version"));
        vars.put(Placeholder.SUPPORTED, String.join(", ", KNOWN_VERSIONS));
    }

    @Override
    public String model(RouteMatch route, JsonNode body) {
        return OpenAiChatFormat.model(body);
    }

    @Override
    public Rejection checkBody(RouteMatch route, JsonNode body) {
        Rejection r = BodyRules.chat(body, "max_tokens");
        return r != null ? r : AgentRules.anthropic(body);
    }

    @Override
    public Conversation conversation(RouteMatch route, JsonNode body) {
        return AnthropicConversation.read(body);
    }

    @Override
    public boolean mayAskForStructuredOutput(RouteMatch route, JsonNode body) {
        return AnthropicConversation.mayAskForStructuredOutput(body);
    }

    @Override
    public ChatCall readCall(RouteMatch route, IncomingRequest request, JsonNode body) {
        JsonNode s = body.get("stream");
        return new ChatCall(body, route, OpenAiChatFormat.model(body), s != null && s.asBoolean(false), false,
                TokenCounter.textTokens(body.get("messages"), body.get("system")),
                OpenAiChatFormat.reservedTokens(body, "max_tokens"));
    }

    /**
     * A text block (left out when the model only calls tools), then a {@code tool_use} block per call with its
     * {@code input} as an object; {@code stop_reason} names the finish. Verified against anthropic-java 3.14
     * ({@code ToolUseBlock} requires id, name, input and caller; {@code StopReason}: end_turn, max_tokens,
     * stop_sequence, tool_use, pause_turn, refusal, model_context_window_exceeded).
     */
    @Override
    public byte[] chatResponse(ChatCall call, Answer reply, String requestId) {
        ObjectNode root = message(call, Ids.base62("msg_01", 22));
        ArrayNode content = root.putArray("content");
        if (!reply.text().isEmpty() || reply.toolCalls().isEmpty()) {
            content.addObject().put("type", "text").put("text", reply.text());
        }
        List<String> ids = callIds(reply);
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            Conversation.ToolCall c = reply.toolCalls().get(i);
            ObjectNode block = toolUse(ids.get(i), c.name());
            content.add(block);
            block.set("input", c.arguments() != null && c.arguments().isObject() ? c.arguments() : Json.object());
        }
        root.put("stop_reason", stopReason(reply.finish()));
        root.putNull("stop_sequence");
        ObjectNode usage = usage(call.promptTokens());
        usage.put("output_tokens", reply.completionTokens());
        usage.put("service_tier", "standard");
        root.set("usage", usage);
        return Json.bytes(root);
    }

    /** The Messages API's name of a finish; a content filter is {@code refusal} (StopReason.REFUSAL). */
    static String stopReason(Finish f) {
        return switch (f) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "refusal";
        };
    }

    /** Tool-use ids: {@code toolu_01} and 22 base-62 characters, as the API mints them. */
    static List<String> callIds(Answer reply) {
        return reply.callIds(c -> Ids.base62("toolu_01", 22));
    }

    /** A {@code tool_use} block without its input; {@code caller} says the model itself called (DirectCaller). */
    private static ObjectNode toolUse(String id, String name) {
        ObjectNode block = Json.object().put("type", "tool_use").put("id", id).put("name", name);
        block.putObject("caller").put("type", "direct");
        return block;
    }

    /** message_start, content_block_start, ping; a content_block_delta per delta; content_block_stop, message_delta, message_stop. */
    @Override
    public boolean isContentDelta(byte[] frame) {
        com.fasterxml.jackson.databind.JsonNode data = Sse.dataJson(frame);
        return data != null && data.path("type").asText("").equals("content_block_delta");
    }

    /**
     * A text block streams as text_delta pieces; each tool call opens its own block (the next index, after the
     * text block is stopped) with {@code content_block_start} ({@code tool_use}, {@code input: {}}), streams its
     * arguments as {@code input_json_delta} {@code partial_json} pieces and is stopped when the next block starts
     * or the message ends. The {@code message_delta} carries the stop reason. Verified against the streaming
     * docs (docs.claude.com/en/docs/build-with-claude/streaming) and anthropic-java's event classes.
     */
    @Override
    public StreamFramer streamFramer(ChatCall call, Answer reply, String requestId) {
        boolean opensWithText = reply.deltas().isEmpty() || reply.deltas().get(0) instanceof Delta.Text;
        List<String> ids = callIds(reply);
        return new StreamFramer() {
            /** The block now open (-1: none); blocks are numbered from 0 in the order they start. */
            private int block = opensWithText ? 0 : -1;

            @Override
            public List<byte[]> opening() {
                ObjectNode start = Json.object().put("type", "message_start");
                ObjectNode message = message(call, Ids.base62("msg_01", 22));
                message.putArray("content");
                message.putNull("stop_reason");
                message.putNull("stop_sequence");
                message.set("usage", usage(call.promptTokens()).put("output_tokens", 1));
                start.set("message", message);
                byte[] ping = Sse.event("ping", Json.object().put("type", "ping"));
                if (!opensWithText) {
                    return List.of(Sse.event("message_start", start), ping);
                }
                ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", 0);
                blockStart.putObject("content_block").put("type", "text").put("text", "");
                return List.of(Sse.event("message_start", start), Sse.event("content_block_start", blockStart), ping);
            }

            @Override
            public byte[] delta(Delta d) {
                if (d instanceof Delta.ToolCallStart s) {
                    byte[] stop = block >= 0 ? blockStop(block) : new byte[0];
                    block++;
                    ObjectNode blockStart = Json.object().put("type", "content_block_start").put("index", block);
                    blockStart.set("content_block", toolUse(ids.get(s.index()), s.name()).set("input", Json.object()));
                    return StreamFramer.concat(stop, Sse.event("content_block_start", blockStart));
                }
                ObjectNode delta = Json.object().put("type", "content_block_delta").put("index", Math.max(block, 0));
                if (d instanceof Delta.ToolArguments a) {
                    delta.putObject("delta").put("type", "input_json_delta").put("partial_json", a.fragment());
                } else {
                    delta.putObject("delta").put("type", "text_delta").put("text", Delta.text(d));
                }
                return Sse.event("content_block_delta", delta);
            }

            @Override
            public List<byte[]> closing() {
                ObjectNode messageDelta = Json.object().put("type", "message_delta");
                messageDelta.putObject("delta").put("stop_reason", stopReason(reply.finish())).putNull("stop_sequence");
                messageDelta.putObject("usage").put("output_tokens", reply.completionTokens());
                byte[] end = Sse.event("message_delta", messageDelta);
                byte[] stop = Sse.event("message_stop", Json.object().put("type", "message_stop"));
                return block >= 0 ? List.of(blockStop(block), end, stop) : List.of(end, stop);
            }

            @Override
            public byte[] error(Rendering rendering, String message) {
                ObjectNode root = Json.object().put("type", "error");
                root.putObject("error").put("type", rendering.type()).put("message", message);
                return Sse.event("error", root);
            }
        };
    }

    private static byte[] blockStop(int index) {
        return Sse.event("content_block_stop", Json.object().put("type", "content_block_stop").put("index", index));
    }

    /**
     * {@code GET /v1/models}: {@code {"data":[...],"has_more":false,"first_id","last_id"}}; {@code GET
     * /v1/models/{id}}: one model, or null when it is not listed. anthropic-java 3.14 requires type,
     * id, display_name, created_at and lifecycle on each model.
     */
    @Override
    public ObjectNode modelEntry(String id) {
        return model(id);
    }

    @Override
    public ObjectNode modelList(List<String> models) {
        ObjectNode root = Json.object();
        var data = root.putArray("data");
        models.forEach(id -> data.add(model(id)));
        root.put("has_more", false);
        if (models.isEmpty()) {
            root.putNull("first_id");
            root.putNull("last_id");
        } else {
            root.put("first_id", models.get(0));
            root.put("last_id", models.get(models.size() - 1));
        }
        return root;
    }

    private static ObjectNode model(String id) {
        ObjectNode m = Json.object();
        m.put("type", "model");
        m.put("id", id);
        m.put("display_name", id);
        m.put("created_at", MODEL_CREATED_AT);
        m.put("lifecycle", "active");
        return m;
    }

    private static ObjectNode message(ChatCall call, String id) {
        ObjectNode m = Json.object();
        m.put("id", id);
        m.put("type", "message");
        m.put("role", "assistant");
        m.put("model", call.model());
        return m;
    }

    private static ObjectNode usage(int inputTokens) {
        ObjectNode usage = Json.object();
        usage.put("input_tokens", inputTokens);
        usage.put("cache_creation_input_tokens", 0);
        usage.put("cache_read_input_tokens", 0);
        return usage;
    }

    @Override
    public byte[] errorBody(Rendering rendering, Vars vars, String message, String requestId) {
        ObjectNode root = Json.object().put("type", "error");
        root.putObject("error").put("type", rendering.type()).put("message", message);
        root.put("request_id", requestId);
        return Json.bytes(root);
    }

    @Override
    public void throttleHeaders(Throttle t, BiConsumer<String, String> header) {
        Instant now = Instant.now();
        String requestsReset = now.plusMillis(t.requestsResetMs()).truncatedTo(ChronoUnit.SECONDS).toString();
        String tokensReset = now.plusMillis(t.tokensResetMs()).truncatedTo(ChronoUnit.SECONDS).toString();
        header.accept("anthropic-ratelimit-requests-limit", Long.toString(t.requestLimit()));
        header.accept("anthropic-ratelimit-requests-remaining", Long.toString(t.requestsRemaining()));
        header.accept("anthropic-ratelimit-requests-reset", requestsReset);
        for (String kind : new String[] {"tokens", "input-tokens", "output-tokens"}) {
            header.accept("anthropic-ratelimit-" + kind + "-limit", Long.toString(t.tokenLimit()));
            header.accept("anthropic-ratelimit-" + kind + "-remaining", Long.toString(t.tokensRemaining()));
            header.accept("anthropic-ratelimit-" + kind + "-reset", tokensReset);
        }
        if (t.retryAfterMs() >= 0) {
            header.accept("retry-after", Long.toString(t.retryAfterSeconds()));
        }
    }
}
