package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.aws.EventStreamEncoder;
import dev.llmfault.server.internal.aws.SigV4;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.json.Json;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.function.BiConsumer;

/**
 * AWS Bedrock Runtime: {@code POST /model/{modelId}/converse}, {@code /converse-stream} (AWS event-stream
 * framing, see {@link EventStreamEncoder}) and {@code /invoke} with an Anthropic Messages body, as the AWS
 * SDK for Java v2 calls them with an {@code endpointOverride}. The model id is the path parameter
 * (percent-encoded by the SDK: {@code anthropic.claude-3-haiku-20240307-v1%3A0}).
 *
 * <p>Credentials: a SigV4 {@code Authorization} header, checked for shape, scope, {@code X-Amz-Date} skew and
 * the session token of a temporary key ({@link SigV4}); the access key id is the credential the policies and the
 * journal see (the secret never travels). A Bedrock API key ({@code Authorization: Bearer}) is accepted too.
 * Errors: {@code {"message":"..."}} with the error code in {@code x-amzn-ErrorType} (from the catalogue rows);
 * a fault inside a stream is an {@code exception} message ({@code modelStreamErrorException}).
 *
 * <pre>{@code
 * BedrockRuntimeClient.builder().endpointOverride(server.baseUrl(Provider.BEDROCK))
 *         .region(Region.US_EAST_1).credentialsProvider(StaticCredentialsProvider.create(...)).build();
 * }</pre>
 */
public final class BedrockDialect implements Dialect {
    /** The SigV4 signing name of Bedrock Runtime (the scope's service). */
    static final String SIGNING_NAME = "bedrock";
    private static final String CONVERSE_STREAM = "/model/{modelId}/converse-stream";
    private static final String INVOKE = "/model/{modelId}/invoke";
    private static final List<Route> ROUTES = List.of(
            new Route("POST", "/model/{modelId}/converse", Route.Kind.CHAT),
            new Route("POST", CONVERSE_STREAM, Route.Kind.CHAT),
            new Route("POST", INVOKE, Route.Kind.CHAT));
    private static final String PATH_PREFIX = "/model/";
    private static final List<ModelSpec> MODELS = List.of(
            new ModelSpec("anthropic.claude-3-haiku-20240307-v1:0", 200_000),
            new ModelSpec("anthropic.claude-3-5-sonnet-20240620-v1:0", 200_000),
            new ModelSpec("us.anthropic.claude-sonnet-4-20250514-v1:0", 200_000),
            new ModelSpec("amazon.nova-lite-v1:0", 300_000),
            new ModelSpec("amazon.nova-pro-v1:0", 300_000),
            new ModelSpec("meta.llama3-1-8b-instruct-v1:0", 128_000));
    /** Anthropic-on-Bedrock bodies are Anthropic's Messages shape, answered in it too. */
    private final AnthropicDialect anthropic = new AnthropicDialect();

    @Override
    public Provider provider() {
        return Provider.BEDROCK;
    }

    @Override
    public List<Route> routes() {
        return ROUTES;
    }

    /** {@code /model/...} is Bedrock's alone; a SigV4 header too. */
    @Override
    public int claim(IncomingRequest request) {
        String auth = request.header("authorization");
        if (auth != null && auth.trim().startsWith(SigV4.ALGORITHM)) {
            return CLAIM_HEADER;
        }
        return request.path().startsWith(PATH_PREFIX) ? PATH_PREFIX.length() : 0;
    }

    @Override
    public List<ModelSpec> defaultModels() {
        return MODELS;
    }

    @Override
    public String requestIdHeader() {
        return "x-amzn-RequestId";
    }

    /** Converse's {@code toolUseId}: {@code tooluse_} and 22 base-62 characters; seeded for reply rules. */
    @Override
    public String toolCallId(long seed) {
        return Ids.seeded("tooluse_", 22, seed);
    }

    @Override
    public String newRequestId() {
        return UUID.randomUUID().toString();
    }

    /**
     * The access key id of a SigV4 header; the key of a Bedrock API key ({@code Bearer}); else the header's first
     * word, so that a header that is neither still names its caller and is refused by {@link #checkHeaders}.
     */
    @Override
    public String credential(IncomingRequest request) {
        String bearer = request.bearer();
        if (bearer != null) {
            return bearer;
        }
        String auth = request.header("authorization");
        if (auth == null) {
            return null;
        }
        String keyId = SigV4.accessKeyId(auth);
        if (keyId != null) {
            return keyId.isBlank() ? "" : keyId; // a blank key id is no credential at all
        }
        String trimmed = auth.trim();
        int space = trimmed.indexOf(' ');
        return space < 0 ? trimmed : trimmed.substring(0, space);
    }

    /** What an AWS front end checks before the service: the signature's shape, scope, time and session token. */
    @Override
    public Rejection checkHeaders(IncomingRequest request) {
        if (request.bearer() != null) {
            return null; // a Bedrock API key: no signature to check
        }
        SigV4.Result r = SigV4.check(request.header("authorization"), request.header("x-amz-date"),
                request.header("x-amz-security-token"), SIGNING_NAME, Instant.now());
        if (!(r instanceof SigV4.Refused refused)) {
            return null;
        }
        Vars detail = Vars.of(Placeholder.DETAIL, refused.message());
        String reason = "validation: SigV4 " + refused.problem().name().toLowerCase(java.util.Locale.ROOT) + ": "
                + refused.message();
        return switch (refused.problem()) {
            case MISSING -> Rejection.of(Fault.MISSING_TOKEN, "", detail, reason);
            case INCOMPLETE -> Rejection.of(Fault.INVALID_TOKEN, "incomplete_signature", detail, reason);
            case BAD_SCOPE -> Rejection.of(Fault.INVALID_TOKEN, "signature_scope", detail, reason);
            case EXPIRED -> Rejection.of(Fault.EXPIRED_TOKEN, "signature_expired", detail, reason);
            case MISSING_SESSION_TOKEN -> Rejection.of(Fault.INVALID_TOKEN, "", detail, reason);
        };
    }

    @Override
    public String model(RouteMatch route, JsonNode body) {
        return route.param("modelId");
    }

    private static boolean isInvoke(RouteMatch route) {
        return route.route().pattern().equals(INVOKE);
    }

    @Override
    public Rejection checkBody(RouteMatch route, JsonNode body) {
        Rejection r = BodyRules.requireObject(body);
        if (isInvoke(route)) {
            // Anthropic's Messages body, with its version in the body and no model (the path names it)
            if (r == null) r = requiredForInvoke(body, "anthropic_version");
            if (r == null) r = requiredForInvoke(body, "max_tokens");
            if (r == null) r = requiredForInvoke(body, "messages");
            if (r == null) r = BodyRules.requireString(body, "anthropic_version");
            if (r == null) r = BodyRules.requireInteger(body, "max_tokens");
            if (r == null) r = BodyRules.requireArray(body, "messages");
            return r;
        }
        if (r == null) r = BodyRules.requireArray(body, "messages");
        if (r == null) {
            for (JsonNode message : body.get("messages")) {
                if (!message.isObject() || !message.path("role").isTextual() || !message.path("content").isArray()) {
                    return BodyRules.invalid("messages", "each message needs a 'role' and a 'content' array");
                }
            }
        }
        JsonNode config = body.get("inferenceConfig");
        if (r == null && config != null && !config.isObject()) {
            r = BodyRules.invalid("inferenceConfig", "expected an object");
        }
        return r != null ? r : AgentRules.bedrock(body);
    }

    /** A field the model's own schema requires: Bedrock reports it as "Malformed input request" (the invoke variant). */
    private static Rejection requiredForInvoke(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Rejection.of(Fault.MISSING_FIELD, "invoke", Vars.of(Placeholder.FIELD, field),
                    "validation: missing required field '" + field + "'");
        }
        return null;
    }

    /** Converse's blocks, or on {@code invoke} the Anthropic Messages body a Claude model takes. */
    @Override
    public Conversation conversation(RouteMatch route, JsonNode body) {
        return isInvoke(route) ? AnthropicConversation.read(body) : BedrockConversation.read(body);
    }

    @Override
    public boolean mayAskForStructuredOutput(RouteMatch route, JsonNode body) {
        return isInvoke(route) ? AnthropicConversation.mayAskForStructuredOutput(body)
                : BedrockConversation.mayAskForStructuredOutput(body);
    }

    @Override
    public ChatCall readCall(RouteMatch route, IncomingRequest request, JsonNode body) {
        boolean stream = route.route().pattern().equals(CONVERSE_STREAM);
        if (isInvoke(route)) {
            return new ChatCall(body, route, model(route, body), false, false,
                    TokenCounter.textTokens(body.get("messages"), body.get("system")),
                    OpenAiChatFormat.reservedTokens(body, "max_tokens"));
        }
        JsonNode maxTokens = body.path("inferenceConfig").path("maxTokens");
        return new ChatCall(body, route, model(route, body), stream, true,
                TokenCounter.textTokens(body.get("messages"), body.get("system")),
                maxTokens.canConvertToInt() ? Math.max(0, maxTokens.asInt()) : 0);
    }

    /**
     * Converse's {@code output.message} (a text block, left out when the model only calls tools, then a
     * {@code toolUse} block per call: toolUseId, name, input as a document), {@code stopReason}, {@code usage},
     * {@code metrics}; invoke answers as Anthropic. Verified against the AWS SDK for Java v2 2.59.1 model
     * ({@code ToolUseBlock}, {@code StopReason}).
     */
    @Override
    public byte[] chatResponse(ChatCall call, Answer reply, String requestId) {
        if (isInvoke(call.route())) {
            return anthropic.chatResponse(call, reply, requestId);
        }
        ObjectNode root = Json.object();
        ObjectNode message = root.putObject("output").putObject("message").put("role", "assistant");
        ArrayNode content = message.putArray("content");
        if (!reply.text().isEmpty() || reply.toolCalls().isEmpty()) {
            content.addObject().put("text", reply.text());
        }
        List<String> ids = callIds(reply);
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            Conversation.ToolCall c = reply.toolCalls().get(i);
            ObjectNode toolUse = content.addObject().putObject("toolUse").put("toolUseId", ids.get(i)).put("name", c.name());
            toolUse.set("input", c.arguments() != null && !c.arguments().isNull() ? c.arguments() : Json.object());
        }
        root.put("stopReason", stopReason(reply.finish()));
        root.set("usage", usage(call, reply));
        root.putObject("metrics").put("latencyMs", 1);
        return Json.bytes(root);
    }

    /**
     * Converse's name of a finish (StopReason: end_turn, tool_use, max_tokens, stop_sequence, guardrail_intervened,
     * content_filtered, ...). The model's own filter is {@code content_filtered}; {@code guardrail_intervened} is
     * for a guardrail the request configured, which the fake does not model.
     */
    static String stopReason(Finish f) {
        return switch (f) {
            case STOP -> "end_turn";
            case LENGTH -> "max_tokens";
            case TOOL_CALLS -> "tool_use";
            case CONTENT_FILTER -> "content_filtered";
        };
    }

    /** Tool-use ids as Bedrock mints them: {@code tooluse_} and 22 characters. */
    private static List<String> callIds(Answer reply) {
        return reply.callIds(c -> Ids.base62("tooluse_", 22));
    }

    private static ObjectNode usage(ChatCall call, Answer reply) {
        return Json.object().put("inputTokens", call.promptTokens()).put("outputTokens", reply.completionTokens())
                .put("totalTokens", call.promptTokens() + reply.completionTokens());
    }

    @Override
    public String streamContentType(ChatCall call) {
        return EventStreamEncoder.CONTENT_TYPE;
    }

    /**
     * messageStart; text as contentBlockDelta {@code delta.text} pieces in block 0 (no contentBlockStart for text,
     * as Bedrock sends none); each tool call opens the next block with contentBlockStart
     * {@code start.toolUse {toolUseId, name}} (after a contentBlockStop of the block before) and streams its
     * arguments as contentBlockDelta {@code delta.toolUse.input} pieces; then contentBlockStop, messageStop with
     * the stop reason, metadata (usage). Verified against the SDK's ConverseStreamOutput event classes
     * ({@code ContentBlockStartEvent}, {@code ToolUseBlockStart}, {@code ToolUseBlockDelta}).
     */
    @Override
    public StreamFramer streamFramer(ChatCall call, Answer reply, String requestId) {
        List<String> ids = callIds(reply);
        boolean opensWithText = reply.deltas().isEmpty() || reply.deltas().get(0) instanceof Delta.Text;
        return new StreamFramer() {
            /** The block now open (-1: none). */
            private int block = opensWithText ? 0 : -1;

            @Override
            public List<byte[]> opening() {
                return List.of(event("messageStart", Json.object().put("role", "assistant")));
            }

            @Override
            public byte[] delta(Delta d) {
                if (d instanceof Delta.ToolCallStart s) {
                    byte[] stop = block >= 0 ? blockStop(block) : new byte[0];
                    block++;
                    ObjectNode start = Json.object();
                    start.putObject("start").putObject("toolUse").put("toolUseId", ids.get(s.index())).put("name", s.name());
                    start.put("contentBlockIndex", block);
                    return StreamFramer.concat(stop, event("contentBlockStart", start));
                }
                ObjectNode delta = Json.object();
                if (d instanceof Delta.ToolArguments a) {
                    delta.putObject("delta").putObject("toolUse").put("input", a.fragment());
                } else {
                    delta.putObject("delta").put("text", Delta.text(d));
                }
                delta.put("contentBlockIndex", Math.max(block, 0));
                return event("contentBlockDelta", delta);
            }

            @Override
            public List<byte[]> closing() {
                ObjectNode metadata = Json.object();
                metadata.set("usage", usage(call, reply));
                metadata.putObject("metrics").put("latencyMs", 1);
                byte[] stop = event("messageStop", Json.object().put("stopReason", stopReason(reply.finish())));
                return block >= 0 ? List.of(blockStop(block), stop, event("metadata", metadata))
                        : List.of(stop, event("metadata", metadata));
            }

            /** An {@code exception} message whose type is the row's ({@code modelStreamErrorException}). */
            @Override
            public byte[] error(Rendering rendering, String message) {
                ObjectNode payload = Json.object().put("message", message);
                return EventStreamEncoder.exception(rendering.type(), Json.bytes(payload));
            }
        };
    }

    private static byte[] blockStop(int index) {
        return event("contentBlockStop", Json.object().put("contentBlockIndex", index));
    }

    /** An event-stream message whose {@code :event-type} is {@code contentBlockDelta}. */
    @Override
    public boolean isContentDelta(byte[] frame) {
        return "contentBlockDelta".equals(EventStreamEncoder.eventType(frame));
    }

    private static byte[] event(String type, ObjectNode payload) {
        return EventStreamEncoder.event(type, Json.bytes(payload));
    }

    /** {@code {"message":"..."}}: the SDK reads the error code from {@code x-amzn-ErrorType} (set by the rows). */
    @Override
    public byte[] errorBody(Rendering rendering, Vars vars, String message, String requestId) {
        return Json.bytes(Json.object().put("message", message));
    }

    /** Bedrock sends no rate-limit or retry headers: the SDK's backoff is its own. */
    @Override
    public void throttleHeaders(Throttle throttle, BiConsumer<String, String> header) {
    }
}
