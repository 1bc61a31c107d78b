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

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Ollama's native API: {@code POST /api/chat} and {@code POST /api/generate}, streamed as NDJSON unless the body
 * says {@code "stream": false} (streaming is Ollama's default), {@code GET /api/tags}, {@code POST /api/show} and
 * {@code GET /api/version}. Errors are {@code {"error":"..."}}; a mid-stream error is one more NDJSON line with
 * only {@code error} (docs.ollama.com/api/errors). No credential by default: a credential policy makes the server
 * demand a bearer token, as a reverse proxy in front of Ollama does. Ollama's OpenAI-compatible {@code /v1} paths
 * are the OpenAI dialect's.
 *
 * <pre>{@code
 * curl -d '{"model":"llama3.2","messages":[{"role":"user","content":"hi"}],"stream":false}' \
 *      http://127.0.0.1:PORT/api/chat
 * }</pre>
 */
public final class OllamaDialect implements Dialect {
    private static final String CHAT = "/api/chat";
    private static final String GENERATE = "/api/generate";
    private static final List<Route> ROUTES = List.of(
            new Route("POST", CHAT, Route.Kind.CHAT),
            new Route("POST", GENERATE, Route.Kind.CHAT),
            new Route("GET", "/api/tags", Route.Kind.MODELS),
            new Route("POST", "/api/show", Route.Kind.RESOURCE),
            new Route("GET", "/api/version", Route.Kind.RESOURCE));
    private static final List<ModelSpec> MODELS = List.of(new ModelSpec("llama3.2", 131_072),
            new ModelSpec("qwen3", 40_960), new ModelSpec("gemma3", 131_072), new ModelSpec("mistral", 32_768));
    /** The version {@code /api/version} reports. */
    static final String VERSION = "0.12.6";

    @Override
    public Provider provider() {
        return Provider.OLLAMA;
    }

    @Override
    public List<Route> routes() {
        return ROUTES;
    }

    /**
     * Ollama refuses no chat for its length: the runner cuts the prompt to the context ({@code num_ctx}) and logs
     * "truncating input prompt" (server/routes.go, runner.go), so a computed CONTEXT_LENGTH_EXCEEDED never happens.
     */
    @Override
    public ContextCheck contextCheck() {
        return ContextCheck.TRUNCATE;
    }

    @Override
    public int claim(IncomingRequest request) {
        return request.path().startsWith("/api/") && !request.path().startsWith("/api/paas/") ? "/api/".length() : 0;
    }

    @Override
    public List<ModelSpec> defaultModels() {
        return MODELS;
    }

    /** Modelled: Ollama sends no request id; the kit's journal needs one. */
    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    /** {@code call_} and 8 lower-case letters or digits (server/routes.go toolCallId); seeded for reply rules. */
    @Override
    public String toolCallId(long seed) {
        return Ids.seededLower("call_", 8, seed);
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
    public boolean credentialRequired() {
        return false;
    }

    /** Ollama accepts {@code model} and its older name {@code name}, and tags ({@code llama3.2:latest}). */
    @Override
    public String model(RouteMatch route, JsonNode body) {
        if (body == null || !body.isObject()) {
            return null;
        }
        JsonNode m = body.hasNonNull("model") ? body.get("model") : body.get("name");
        return m != null && m.isTextual() ? stripLatest(m.asText()) : null;
    }

    private static String stripLatest(String model) {
        return model.endsWith(":latest") ? model.substring(0, model.length() - ":latest".length()) : model;
    }

    @Override
    public Rejection checkBody(RouteMatch route, JsonNode body) {
        Rejection r = BodyRules.requireObject(body);
        if (r == null && route.kind() == Route.Kind.RESOURCE) {
            return body.hasNonNull("model") || body.hasNonNull("name") ? null : BodyRules.requireString(body, "model");
        }
        if (r == null) r = BodyRules.requireString(body, "model");
        if (r == null && isChat(route)) {
            JsonNode messages = body.get("messages");
            if (messages != null && !messages.isNull() && !messages.isArray()) {
                r = BodyRules.invalid("messages", "json: cannot unmarshal " + messages.getNodeType().name().toLowerCase()
                        + " into Go struct field ChatRequest.messages of type []api.Message");
            }
        }
        if (r == null && !isChat(route)) {
            JsonNode prompt = body.get("prompt");
            if (prompt != null && !prompt.isNull() && !prompt.isTextual()) {
                r = BodyRules.invalid("prompt", "json: cannot unmarshal " + prompt.getNodeType().name().toLowerCase()
                        + " into Go struct field GenerateRequest.prompt of type string");
            }
        }
        if (r == null) r = BodyRules.optionalBoolean(body, "stream");
        return r;
    }

    private static boolean isChat(RouteMatch route) {
        return route.route().pattern().equals(CHAT);
    }

    /**
     * {@code /api/chat}: OpenAI-like messages (arguments as objects, calls without ids before 0.12, tool messages
     * naming the tool); {@code /api/generate}: its {@code system} and {@code prompt}. {@code format} is
     * {@code "json"} (any object) or a JSON Schema.
     */
    /** {@code format} on both routes; {@code tool_choice} as the chat route's messages shape reads it. */
    @Override
    public boolean mayAskForStructuredOutput(RouteMatch route, JsonNode body) {
        return body.has("format") || isChat(route) && ChatMessagesConversation.mayAskForStructuredOutput(body);
    }

    @Override
    public Conversation conversation(RouteMatch route, JsonNode body) {
        ConversationBuilder b;
        if (isChat(route)) {
            b = ChatMessagesConversation.read(body);
        } else {
            b = new ConversationBuilder();
            JsonNode system = body.get("system");
            if (system != null && system.isTextual()) {
                b.system(system.asText());
            }
            b.user(ConversationBuilder.text(body.get("prompt")));
        }
        JsonNode format = body.get("format");
        if (format != null && format.isObject()) {
            b.outputSchema(format);
        } else if (format != null && "json".equals(format.asText())) {
            b.outputSchema(ConversationBuilder.anyObject());
        }
        return b.build();
    }

    /** Streaming unless {@code "stream": false}; {@code options.num_predict} reserves output tokens. */
    @Override
    public ChatCall readCall(RouteMatch route, IncomingRequest request, JsonNode body) {
        JsonNode s = body.get("stream");
        boolean stream = s == null || s.isNull() || s.asBoolean(true);
        int prompt = isChat(route) ? TokenCounter.textTokens(body.get("messages"))
                : TokenCounter.textTokens(body.get("system"), body.get("prompt"));
        int reserved = Math.max(body.path("options").path("num_predict").asInt(0), 0);
        return new ChatCall(body, route, model(route, body), stream, false, prompt, reserved);
    }

    /**
     * The whole answer in one object; a chat answer's tool calls are {@code message.tool_calls}, each
     * {@code {"id":"call_...","function":{"index","name","arguments":{...}}}} with the arguments as an object.
     * Verified against ollama's api/types.go ({@code ToolCall}, {@code ToolCallFunction}) and server/routes.go
     * ({@code toolCallId()}: {@code call_} and 8 lower-case letters or digits). {@code /api/generate} has no tools.
     */
    @Override
    public byte[] chatResponse(ChatCall call, Answer reply, String requestId) {
        ObjectNode root = line(call, reply.text());
        if (isChat(call.route()) && !reply.toolCalls().isEmpty()) {
            List<String> ids = callIds(reply);
            ArrayNode calls = ((ObjectNode) root.get("message")).putArray("tool_calls");
            for (int i = 0; i < reply.toolCalls().size(); i++) {
                Conversation.ToolCall c = reply.toolCalls().get(i);
                calls.add(toolCall(ids.get(i), i, c.name(), c.arguments()));
            }
        }
        done(root, call, reply);
        return Json.bytes(root);
    }

    /** Ollama's tool call ids: {@code call_} and 8 lower-case letters or digits (server/routes.go toolCallId). */
    private static List<String> callIds(Answer reply) {
        return reply.callIds(c -> Ids.lowerAlnum("call_", 8));
    }

    private static ObjectNode toolCall(String id, int index, String name, JsonNode arguments) {
        ObjectNode call = Json.object().put("id", id);
        call.putObject("function").put("index", index).put("name", name)
                .set("arguments", arguments != null && arguments.isObject() ? arguments : Json.object());
        return call;
    }

    @Override
    public String streamContentType(ChatCall call) {
        return "application/x-ndjson";
    }

    /**
     * One NDJSON line per text delta ({@code "done":false}); a tool call comes whole in one line ({@code content}
     * "" and {@code tool_calls} with that call), written with its last argument piece (see {@link WholeCalls});
     * then the {@code "done":true} line with the counts.
     */
    @Override
    public StreamFramer streamFramer(ChatCall call, Answer reply, String requestId) {
        WholeCalls calls = new WholeCalls(reply);
        List<String> ids = callIds(reply);
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
                if (d instanceof Delta.ToolArguments a) {
                    JsonNode args = calls.add(a);
                    if (args == null || !isChat(call.route())) {
                        return new byte[0];
                    }
                    ObjectNode line = line(call, "").put("done", false);
                    ((ObjectNode) line.get("message")).putArray("tool_calls")
                            .add(toolCall(ids.get(a.index()), a.index(), reply.toolCalls().get(a.index()).name(), args));
                    return ndjson(line);
                }
                return ndjson(line(call, Delta.text(d)).put("done", false));
            }

            @Override
            public List<byte[]> closing() {
                ObjectNode last = line(call, "");
                done(last, call, reply);
                return List.of(ndjson(last));
            }

            @Override
            public byte[] error(Rendering rendering, String message) {
                return ndjson(Json.object().put("error", message));
            }
        };
    }

    /** An NDJSON line with text in {@code message.content} or {@code response}, or tool calls. */
    @Override
    public boolean isContentDelta(byte[] frame) {
        try {
            JsonNode line = Json.MAPPER.readTree(frame);
            String text = line.path("message").path("content").asText(line.path("response").asText(""));
            return !text.isEmpty() || line.path("message").has("tool_calls");
        } catch (java.io.IOException notJson) {
            return false;
        }
    }

    /** A chat line carries {@code message}, a generate line {@code response}. */
    private static ObjectNode line(ChatCall call, String text) {
        ObjectNode root = Json.object();
        root.put("model", call.model());
        root.put("created_at", Instant.now().toString());
        if (isChat(call.route())) {
            root.putObject("message").put("role", "assistant").put("content", text);
        } else {
            root.put("response", text);
        }
        return root;
    }

    /**
     * The closing fields: Ollama's counts are its usage ({@code prompt_eval_count}, {@code eval_count}).
     * {@code done_reason} is "stop" or "length" (llm/server.go DoneReason): a tool call ends with "stop", and
     * Ollama has no content filter, so a filtered answer ends with "stop" too.
     */
    private static void done(ObjectNode root, ChatCall call, Answer reply) {
        root.put("done", true);
        root.put("done_reason", reply.finish() == Finish.LENGTH ? "length" : "stop");
        root.put("total_duration", 1_000_000L);
        root.put("load_duration", 100_000L);
        root.put("prompt_eval_count", call.promptTokens());
        root.put("prompt_eval_duration", 200_000L);
        root.put("eval_count", reply.completionTokens());
        root.put("eval_duration", 700_000L);
    }

    private static byte[] ndjson(ObjectNode json) {
        return (Json.text(json) + "\n").getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public ObjectNode modelList(List<String> models) {
        ObjectNode root = Json.object();
        ArrayNode list = root.putArray("models");
        for (String id : models) {
            String tagged = id.contains(":") ? id : id + ":latest";
            ObjectNode m = list.addObject();
            m.put("name", tagged);
            m.put("model", tagged);
            m.put("modified_at", "2025-10-01T12:00:00.000000Z");
            m.put("size", 2_019_393_189L);
            m.put("digest", Ids.hex("", 64));
            m.set("details", details());
        }
        return root;
    }

    private static ObjectNode details() {
        ObjectNode d = Json.object();
        d.put("parent_model", "");
        d.put("format", "gguf");
        d.put("family", "llama");
        d.putArray("families").add("llama");
        d.put("parameter_size", "3.2B");
        d.put("quantization_level", "Q4_K_M");
        return d;
    }

    /** {@code /api/show} (an unknown model is the 404 of MODEL_NOT_FOUND) and {@code /api/version}. */
    @Override
    public ResourceAnswer resource(RouteMatch route, IncomingRequest request, JsonNode body, List<String> models) {
        if (route.route().pattern().equals("/api/version")) {
            return ResourceAnswer.ok(Json.bytes(Json.object().put("version", VERSION)));
        }
        String model = model(route, body);
        if (!models.contains(model)) {
            return ResourceAnswer.refused(Rejection.of(Fault.MODEL_NOT_FOUND, "retired_model",
                    Vars.of(Placeholder.MODEL, model), "validation: unknown model " + model));
        }
        ObjectNode root = Json.object();
        root.put("modelfile", "# Modelfile generated by the fake Ollama\nFROM " + model + "\n");
        root.put("parameters", "stop \"<|eot_id|>\"");
        root.put("template", "{{ .Prompt }}");
        root.set("details", details());
        root.putObject("model_info").put("general.architecture", "llama")
                .put("llama.context_length", contextWindow(model));
        root.putArray("capabilities").add("completion");
        root.put("modified_at", "2025-10-01T12:00:00.000000Z");
        return ResourceAnswer.ok(Json.bytes(root));
    }

    private static int contextWindow(String model) {
        return MODELS.stream().filter(m -> m.id().equals(model)).mapToInt(ModelSpec::contextWindow).findFirst()
                .orElse(131_072);
    }

    @Override
    public byte[] errorBody(Rendering rendering, Vars vars, String message, String requestId) {
        return Json.bytes(Json.object().put("error", message));
    }

    @Override
    public void requestVars(IncomingRequest request, Vars vars) {
        vars.put(Placeholder.FIELD, "model");
    }

    @Override
    public RetryHint retryHint() {
        return RetryHint.NONE;
    }

    /** Ollama sends no rate-limit headers; a 429 from a proxy or ollama.com carries none we could verify. */
    @Override
    public void throttleHeaders(Throttle throttle, BiConsumer<String, String> header) {
    }
}
