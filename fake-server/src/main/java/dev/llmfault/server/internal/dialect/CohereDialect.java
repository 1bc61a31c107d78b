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

    /** The tool's name, {@code _} and 12 lower-case letters or digits, as Cohere v2 names calls; seeded for reply rules. */
    @Override
    public String toolCallId(String toolName, long seed) {
        return Ids.seededLower(toolName + "_", 12, seed);
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

    /** Cohere v2: OpenAI-like messages and tools, {@code tool_plan}, documents as tool results, {@code response_format.json_schema}. */
    @Override
    public Conversation conversation(RouteMatch route, JsonNode body) {
        return ChatMessagesConversation.read(body)
                .outputSchema(ChatMessagesConversation.responseFormat(body.get("response_format"))).build();
    }

    @Override
    public boolean mayAskForStructuredOutput(RouteMatch route, JsonNode body) {
        return ChatMessagesConversation.mayAskForStructuredOutput(body);
    }

    @Override
    public ChatCall readCall(RouteMatch route, IncomingRequest request, JsonNode body) {
        JsonNode s = body.get("stream");
        return new ChatCall(body, route, OpenAiChatFormat.model(body), s != null && s.asBoolean(false), false,
                TokenCounter.textTokens(body.get("messages")), OpenAiChatFormat.reservedTokens(body, "max_tokens"));
    }

    /**
     * {@code message.content} holds the text; an answer that calls tools has instead {@code message.tool_plan}
     * (the text before the calls) and {@code message.tool_calls}, each {@code {id, type: "function", function:
     * {name, arguments}}} with the arguments as JSON text. Verified against the v2 API reference
     * (docs.cohere.com/reference/chat) and cohere-python's generated types ({@code ToolCallV2},
     * {@code ChatFinishReason}: COMPLETE, STOP_SEQUENCE, MAX_TOKENS, TOOL_CALL, ERROR, TIMEOUT).
     */
    @Override
    public byte[] chatResponse(ChatCall call, Answer reply, String requestId) {
        ObjectNode root = Json.object();
        root.put("id", requestId);
        root.put("finish_reason", finishReason(reply.finish()));
        ObjectNode message = root.putObject("message");
        message.put("role", "assistant");
        if (reply.toolCalls().isEmpty()) {
            message.putArray("content").addObject().put("type", "text").put("text", reply.text());
        } else {
            message.put("tool_plan", reply.text());
            ArrayNode calls = message.putArray("tool_calls");
            List<String> ids = callIds(reply);
            for (int i = 0; i < reply.toolCalls().size(); i++) {
                Conversation.ToolCall c = reply.toolCalls().get(i);
                ObjectNode tc = calls.addObject().put("id", ids.get(i)).put("type", "function");
                tc.putObject("function").put("name", c.name()).put("arguments", Answer.argumentsJson(c));
            }
        }
        root.set("usage", usage(call, reply));
        return Json.bytes(root);
    }

    /**
     * Cohere's name of a finish. Cohere documents no content-filter finish (its safety modes shape the text):
     * a filtered answer ends with ERROR, the one reason a client must not take for a complete answer (modelled).
     */
    static String finishReason(Finish f) {
        return switch (f) {
            case STOP -> "COMPLETE";
            case LENGTH -> "MAX_TOKENS";
            case TOOL_CALLS -> "TOOL_CALL";
            case CONTENT_FILTER -> "ERROR";
        };
    }

    /** Tool call ids as the docs' examples show them: the tool's name, {@code _} and 12 lower-case letters or digits. */
    private static List<String> callIds(Answer reply) {
        return reply.callIds(c -> Ids.lowerAlnum(c.name() + "_", 12));
    }

    /** message-start, content-start; a content-delta per delta; content-end, message-end (tool events: see the framer). */
    @Override
    public boolean isContentDelta(byte[] frame) {
        com.fasterxml.jackson.databind.JsonNode data = Sse.dataJson(frame);
        String type = data == null ? "" : data.path("type").asText("");
        return type.equals("content-delta") || type.equals("tool-call-delta") || type.equals("tool-plan-delta");
    }

    /**
     * A text answer: message-start, content-start, a content-delta per piece, content-end, message-end. An answer
     * that calls tools: message-start, its text as tool-plan-delta pieces, then per call tool-call-start (id, name,
     * arguments ""), a tool-call-delta per argument piece and tool-call-end; message-end carries the finish
     * reason. Verified against docs.cohere.com/docs/tool-use-streaming and cohere-python's
     * {@code ChatToolCallStartEvent}/{@code ChatToolCallDeltaEvent}/{@code ChatToolPlanDeltaEvent} types.
     */
    @Override
    public StreamFramer streamFramer(ChatCall call, Answer reply, String requestId) {
        boolean tools = !reply.toolCalls().isEmpty();
        List<String> ids = callIds(reply);
        return new StreamFramer() {
            /** The tool call now open (-1: none). */
            private int open = -1;

            @Override
            public List<byte[]> opening() {
                ObjectNode start = Json.object().put("id", requestId).put("type", "message-start");
                ObjectNode startMessage = start.putObject("delta").putObject("message");
                startMessage.put("role", "assistant");
                startMessage.putArray("content");
                startMessage.put("tool_plan", "");
                startMessage.putArray("tool_calls");
                startMessage.putArray("citations");
                if (tools) {
                    return List.of(Sse.event("message-start", start));
                }
                ObjectNode contentStart = Json.object().put("type", "content-start").put("index", 0);
                contentStart.putObject("delta").putObject("message").putObject("content").put("type", "text").put("text", "");
                return List.of(Sse.event("message-start", start), Sse.event("content-start", contentStart));
            }

            @Override
            public byte[] delta(Delta d) {
                if (d instanceof Delta.ToolCallStart s) {
                    byte[] end = open >= 0 ? callEnd(open) : new byte[0];
                    open = s.index();
                    ObjectNode start = Json.object().put("type", "tool-call-start").put("index", s.index());
                    ObjectNode tc = start.putObject("delta").putObject("message").putObject("tool_calls")
                            .put("id", ids.get(s.index())).put("type", "function");
                    tc.putObject("function").put("name", s.name()).put("arguments", "");
                    return StreamFramer.concat(end, Sse.event("tool-call-start", start));
                }
                if (d instanceof Delta.ToolArguments a) {
                    ObjectNode delta = Json.object().put("type", "tool-call-delta").put("index", a.index());
                    delta.putObject("delta").putObject("message").putObject("tool_calls").putObject("function")
                            .put("arguments", a.fragment());
                    return Sse.event("tool-call-delta", delta);
                }
                if (tools) {
                    ObjectNode plan = Json.object().put("type", "tool-plan-delta");
                    plan.putObject("delta").putObject("message").put("tool_plan", Delta.text(d));
                    return Sse.event("tool-plan-delta", plan);
                }
                ObjectNode delta = Json.object().put("type", "content-delta").put("index", 0);
                delta.putObject("delta").putObject("message").putObject("content").put("text", Delta.text(d));
                return Sse.event("content-delta", delta);
            }

            @Override
            public List<byte[]> closing() {
                ObjectNode end = Json.object().put("type", "message-end");
                ObjectNode endDelta = end.putObject("delta");
                endDelta.put("finish_reason", finishReason(reply.finish()));
                endDelta.set("usage", usage(call, reply));
                byte[] last = tools ? (open >= 0 ? callEnd(open) : new byte[0])
                        : Sse.event("content-end", Json.object().put("type", "content-end").put("index", 0));
                return List.of(last, Sse.event("message-end", end));
            }

            @Override
            public byte[] error(Rendering rendering, String message) {
                ObjectNode root = Json.object().put("type", "error").put("id", requestId).put("message", message);
                return Sse.event("error", root); // modelled: no real Cohere mid-stream error was seen
            }
        };
    }

    private static byte[] callEnd(int index) {
        return Sse.event("tool-call-end", Json.object().put("type", "tool-call-end").put("index", index));
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
