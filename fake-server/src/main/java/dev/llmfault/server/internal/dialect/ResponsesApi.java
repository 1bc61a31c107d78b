package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.json.Json;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * OpenAI's Responses API ({@code POST /v1/responses}, {@code GET} and {@code DELETE /v1/responses/{id}}), part
 * of the OpenAI dialect and of every dialect that speaks it (Azure's {@code /openai/v1/responses}). Shapes
 * checked against openai-java's models ({@code Response}, {@code ResponseStreamEvent} and its events, whose
 * required fields are all sent). Stored responses live per server, bounded, and chain by
 * {@code previous_response_id}; an unknown id is OpenAI's 404.
 *
 * <pre>{@code
 * POST /v1/responses {"model":"gpt-4o-mini","input":"Say hello","stream":true}
 * event: response.created ... event: response.output_text.delta ... event: response.completed
 * }</pre>
 */
final class ResponsesApi {
    static final String CREATE = "/responses";
    private static final int STORE_LIMIT = 1000;
    private static final Set<String> FORMATS = Set.of("text", "json_object", "json_schema");
    /** OpenAI refuses fewer output tokens than this. */
    static final int MIN_OUTPUT_TOKENS = 16;

    /** Stored responses by id, oldest first; bounded so a long test run cannot fill the heap. */
    private final Map<String, ObjectNode> stored = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, ObjectNode> eldest) {
            return size() > STORE_LIMIT;
        }
    };

    /**
     * What each stored response was asked ({@code input}, {@code previous_response_id}), by response id, bounded
     * like {@link #stored} and guarded by its lock: a chained call's conversation is the chain's inputs and outputs.
     */
    private final Map<String, JsonNode> asked = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, JsonNode> eldest) {
            return size() > STORE_LIMIT;
        }
    };

    /** The routes under a base path ({@code /v1}, {@code /openai/v1}). */
    static List<Route> routes(String base) {
        return List.of(new Route("POST", base + CREATE, Route.Kind.CHAT),
                new Route("GET", base + CREATE + "/{responseId}", Route.Kind.RESOURCE),
                new Route("DELETE", base + CREATE + "/{responseId}", Route.Kind.RESOURCE));
    }

    static boolean serves(RouteMatch route) {
        return route.route().pattern().endsWith(CREATE) || route.param("responseId") != null;
    }

    void reset() {
        synchronized (stored) {
            stored.clear();
            asked.clear();
        }
    }

    /**
     * The conversation of a call as the model sees it: with {@code previous_response_id}, the stored chain's inputs
     * and outputs (messages, function calls) come first, so the turn counts the earlier answers and a sequence of
     * reply rules goes on instead of starting over. A chain whose start was not stored (or was forgotten) is read
     * from where it is known.
     */
    Conversation conversation(JsonNode body) {
        JsonNode previous = body.get("previous_response_id");
        if (previous == null || !previous.isTextual()) {
            return ResponsesConversation.read(body);
        }
        java.util.Deque<JsonNode[]> chain = new java.util.ArrayDeque<>();
        synchronized (stored) {
            String id = previous.asText();
            while (id != null && chain.size() < STORE_LIMIT) {
                ObjectNode response = stored.get(id);
                JsonNode request = asked.get(id);
                if (response == null || request == null) {
                    break;
                }
                chain.addFirst(new JsonNode[] {request, response});
                JsonNode before = request.get("previous_response_id");
                id = before != null && before.isTextual() ? before.asText() : null;
            }
        }
        ArrayNode input = Json.MAPPER.createArrayNode();
        for (JsonNode[] turn : chain) {
            addInput(input, turn[0].get("input"));
            addInput(input, turn[1].path("output"));
        }
        addInput(input, body.get("input"));
        ObjectNode whole = ((ObjectNode) body).deepCopy();
        whole.set("input", input);
        whole.remove("previous_response_id");
        return ResponsesConversation.read(whole);
    }

    /** A string input is one user message; a list of items goes as it is. */
    private static void addInput(ArrayNode input, JsonNode items) {
        if (items == null || items.isNull()) {
            return;
        }
        if (items.isTextual()) {
            input.addObject().put("role", "user").put("content", items.asText());
        } else if (items.isArray()) {
            input.addAll((ArrayNode) items);
        }
    }

    // ---- reading ----

    /**
     * The documented shape: {@code model} a string; {@code input} a string or a list of items; {@code
     * instructions} a string; {@code max_output_tokens} an integer of at least 16; {@code text.format} of a
     * known type ({@code json_schema} with a name and a schema); {@code previous_response_id} a stored response.
     */
    Rejection check(JsonNode body) {
        Rejection r = BodyRules.requireObject(body);
        if (r == null) r = BodyRules.requireString(body, "model");
        if (r == null) r = input(body.get("input"));
        if (r == null) r = optional(body, "instructions", JsonNode::isTextual, "a string");
        if (r == null) r = maxOutputTokens(body.get("max_output_tokens"));
        if (r == null) r = textFormat(body.path("text").get("format"));
        if (r == null) r = BodyRules.optionalBoolean(body, "stream");
        if (r == null) r = previous(body.get("previous_response_id"));
        if (r == null) r = ToolSchemaRules.openAi(body, false);
        // a chained call answers calls stored with the previous response: only a whole conversation is paired here
        if (r == null && !body.hasNonNull("previous_response_id")) r = AgentRules.responses(body);
        return r;
    }

    private static Rejection input(JsonNode input) {
        if (input == null || input.isNull() || input.isTextual()) {
            return null;
        }
        if (!input.isArray()) {
            return BodyRules.invalid("input", "expected a string or an array of input items, got " + BodyRules.kind(input));
        }
        for (int i = 0; i < input.size(); i++) {
            JsonNode item = input.get(i);
            if (!item.isObject()) {
                return BodyRules.invalid("input[" + i + "]", "expected an object, got " + BodyRules.kind(item));
            }
            if (!item.has("type") && !(item.has("role") && item.has("content"))) {
                return Rejection.of(Fault.MISSING_FIELD, "", Vars.of(Placeholder.FIELD, "input[" + i + "].content"),
                        "validation: missing required field 'input[" + i + "].content'");
            }
        }
        return null;
    }

    private static Rejection optional(JsonNode body, String field, java.util.function.Predicate<JsonNode> type,
                                      String expected) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !type.test(v)) {
            return BodyRules.invalid(field, "expected " + expected + ", got " + BodyRules.kind(v));
        }
        return null;
    }

    private static Rejection maxOutputTokens(JsonNode v) {
        if (v == null || v.isNull()) {
            return null;
        }
        if (!v.isIntegralNumber()) {
            return BodyRules.invalid("max_output_tokens", "expected an integer, got " + BodyRules.kind(v));
        }
        if (v.asLong() < MIN_OUTPUT_TOKENS) {
            return invalidValue("max_output_tokens", "integer below minimum value. Expected a value >= "
                    + MIN_OUTPUT_TOKENS + ", but got " + v.asLong() + " instead.");
        }
        return null;
    }

    private static Rejection textFormat(JsonNode format) {
        if (format == null || format.isNull()) {
            return null;
        }
        if (!format.isObject()) {
            return BodyRules.invalid("text.format", "expected an object, got " + BodyRules.kind(format));
        }
        JsonNode type = format.get("type");
        if (type == null || !type.isTextual()) {
            return Rejection.of(Fault.MISSING_FIELD, "", Vars.of(Placeholder.FIELD, "text.format.type"),
                    "validation: missing required field 'text.format.type'");
        }
        if (!FORMATS.contains(type.asText())) {
            return invalidValue("text.format.type", "'" + type.asText()
                    + "'. Supported values are: 'text', 'json_object', and 'json_schema'.");
        }
        if (type.asText().equals("json_schema")) {
            for (String field : List.of("name", "schema")) {
                if (!format.hasNonNull(field)) {
                    return Rejection.of(Fault.MISSING_FIELD, "", Vars.of(Placeholder.FIELD, "text.format." + field),
                            "validation: missing required field 'text.format." + field + "'");
                }
            }
        }
        return null;
    }

    private Rejection previous(JsonNode id) {
        if (id == null || id.isNull()) {
            return null;
        }
        if (!id.isTextual()) {
            return BodyRules.invalid("previous_response_id", "expected a string, got " + BodyRules.kind(id));
        }
        if (find(id.asText()) == null) {
            return Rejection.of(Fault.MODEL_NOT_FOUND, "previous_response_not_found",
                    Vars.of(Placeholder.DETAIL, id.asText()),
                    "validation: previous_response_id " + id.asText() + " is not a stored response");
        }
        return null;
    }

    private static Rejection invalidValue(String field, String detail) {
        return Rejection.of(Fault.MALFORMED_BODY, "invalid_value",
                new Vars().put(Placeholder.FIELD, field).put(Placeholder.DETAIL, detail),
                "validation: " + field + ": " + detail);
    }

    /** Prompt tokens: the input, the instructions and, when chained, the stored conversation's. */
    ChatCall readCall(RouteMatch route, JsonNode body) {
        JsonNode s = body.get("stream");
        int prompt = TokenCounter.textTokens(body.get("input"), body.get("instructions"));
        JsonNode previous = body.get("previous_response_id");
        if (previous != null && previous.isTextual()) {
            ObjectNode before = find(previous.asText());
            if (before != null) {
                prompt += before.path("usage").path("total_tokens").asInt(0);
            }
        }
        return new ChatCall(body, route, OpenAiChatFormat.model(body), s != null && s.asBoolean(false), false, prompt,
                OpenAiChatFormat.reservedTokens(body, "max_output_tokens"));
    }

    // ---- answering ----

    /**
     * A finished response, stored unless {@code store: false}: a message item with the text (when there is text or
     * no tool call), then one {@code function_call} item per tool call. A finish at the token limit or by the
     * content filter is {@code status: "incomplete"} with {@code incomplete_details.reason}.
     */
    byte[] complete(ChatCall call, Answer reply) {
        Ids ids = new Ids();
        ObjectNode response = finished(call, reply, ids.response);
        ArrayNode output = response.withArray("output");
        if (hasMessage(reply)) {
            output.add(message(ids.message, "completed", reply.text()));
        }
        List<String> callIds = OpenAiChatFormat.callIds(reply);
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            Conversation.ToolCall c = reply.toolCalls().get(i);
            output.add(functionCall(Ids.item(), callIds.get(i), c, Answer.argumentsJson(c), "completed"));
        }
        store(call, response);
        return Json.bytes(response);
    }

    /** The response at its end: status and incomplete_details from the finish, usage. */
    private static ObjectNode finished(ChatCall call, Answer reply, String id) {
        String reason = incompleteReason(reply.finish());
        ObjectNode response = response(call, id, reason == null ? "completed" : "incomplete");
        if (reason != null) {
            response.putObject("incomplete_details").put("reason", reason);
        }
        response.set("usage", usage(call, reply));
        return response;
    }

    /** openai-java's Response.IncompleteDetails.Reason: max_output_tokens, content_filter; null when complete. */
    private static String incompleteReason(Finish finish) {
        return switch (finish) {
            case LENGTH -> "max_output_tokens";
            case CONTENT_FILTER -> "content_filter";
            case STOP, TOOL_CALLS -> null;
        };
    }

    /** A model that only calls tools answers no message item. */
    private static boolean hasMessage(Answer reply) {
        return reply.toolCalls().isEmpty() || !reply.text().isEmpty();
    }

    /** A {@code function_call} output item (fields openai-java's ResponseFunctionToolCall requires: arguments, call_id, name, type). */
    private static ObjectNode functionCall(String itemId, String callId, Conversation.ToolCall call, String arguments,
                                           String status) {
        ObjectNode item = Json.object();
        item.put("id", itemId);
        item.put("type", "function_call");
        item.put("status", status);
        item.put("arguments", arguments);
        item.put("call_id", callId);
        item.put("name", call.name());
        return item;
    }

    /** GET: the stored response; DELETE: forgets it. An unknown id is OpenAI's 404. */
    ResourceAnswer resource(RouteMatch route, IncomingRequest request) {
        String id = route.param("responseId");
        ObjectNode found = find(id);
        if (found == null) {
            return ResourceAnswer.refused(Rejection.of(Fault.MODEL_NOT_FOUND, "response_not_found",
                    Vars.of(Placeholder.DETAIL, id), "validation: no stored response " + id));
        }
        if (request.method().equals("DELETE")) {
            synchronized (stored) {
                stored.remove(id);
            }
            return ResourceAnswer.ok(Json.bytes(Json.object().put("id", id).put("object", "response").put("deleted", true)));
        }
        return ResourceAnswer.ok(Json.bytes(found));
    }

    /**
     * The typed event stream, each event with its {@code sequence_number}: response.created,
     * response.in_progress; for the text, response.output_item.added, response.content_part.added, a
     * response.output_text.delta per delta, response.output_text.done, response.content_part.done,
     * response.output_item.done; per tool call, response.output_item.added (arguments ""), a
     * response.function_call_arguments.delta per piece, response.function_call_arguments.done,
     * response.output_item.done; then response.completed (or response.incomplete at the token limit or the
     * content filter). A failure mid-stream is an {@code error} event then response.failed.
     */
    StreamFramer framer(ChatCall call, Answer reply) {
        Ids ids = new Ids();
        boolean withMessage = hasMessage(reply);
        List<String> callIds = OpenAiChatFormat.callIds(reply);
        return new StreamFramer() {
            private int sequence;
            private final StringBuilder text = new StringBuilder();
            /** The items done so far, in output order. */
            private final ArrayNode output = Json.MAPPER.createArrayNode();
            private boolean messageOpen = withMessage;
            /** The tool call being streamed: its item id, output index, call and arguments so far; null when none. */
            private String callItem;
            private int callIndex;
            private Conversation.ToolCall callNow;
            private String callIdNow;
            private final StringBuilder arguments = new StringBuilder();

            private byte[] event(String type, ObjectNode data) {
                ObjectNode e = Json.object().put("type", type);
                e.setAll(data);
                e.put("sequence_number", sequence++);
                return Sse.event(type, e);
            }

            private ObjectNode at(ObjectNode data) {
                return data.put("item_id", ids.message).put("output_index", 0).put("content_index", 0);
            }

            @Override
            public List<byte[]> opening() {
                ObjectNode created = response(call, ids.response, "in_progress");
                List<byte[]> frames = new ArrayList<>(4);
                frames.add(event("response.created", Json.object().set("response", created)));
                frames.add(event("response.in_progress", Json.object().set("response", created)));
                if (withMessage) {
                    frames.add(event("response.output_item.added", Json.object().put("output_index", 0)
                            .set("item", message(ids.message, "in_progress", null))));
                    frames.add(event("response.content_part.added", at(Json.object()).set("part", outputText(""))));
                }
                return frames;
            }

            @Override
            public byte[] delta(Delta d) {
                if (d instanceof Delta.ToolCallStart start) {
                    List<byte[]> frames = new ArrayList<>(6);
                    closeOpenItems(frames);
                    callItem = Ids.item();
                    callIndex = (withMessage ? 1 : 0) + start.index();
                    callNow = reply.toolCalls().get(start.index());
                    callIdNow = callIds.get(start.index());
                    arguments.setLength(0);
                    frames.add(event("response.output_item.added", Json.object().put("output_index", callIndex)
                            .set("item", functionCall(callItem, callIdNow, callNow, "", "in_progress"))));
                    return concat(frames);
                }
                if (d instanceof Delta.ToolArguments piece) {
                    arguments.append(piece.fragment());
                    return event("response.function_call_arguments.delta", Json.object().put("item_id", callItem)
                            .put("output_index", callIndex).put("delta", piece.fragment()));
                }
                String piece = Delta.text(d);
                text.append(piece);
                ObjectNode delta = at(Json.object()).put("delta", piece);
                delta.putArray("logprobs");
                return event("response.output_text.delta", delta);
            }

            /** Ends the message or the tool call being streamed: their done events, and the item into the output. */
            private void closeOpenItems(List<byte[]> frames) {
                if (messageOpen) {
                    messageOpen = false;
                    ObjectNode done = at(Json.object()).put("text", text.toString());
                    done.putArray("logprobs");
                    ObjectNode item = message(ids.message, "completed", text.toString());
                    frames.add(event("response.output_text.done", done));
                    frames.add(event("response.content_part.done", at(Json.object()).set("part", outputText(text.toString()))));
                    frames.add(event("response.output_item.done", Json.object().put("output_index", 0).set("item", item)));
                    output.add(item);
                }
                if (callItem != null) {
                    ObjectNode item = functionCall(callItem, callIdNow, callNow, arguments.toString(), "completed");
                    frames.add(event("response.function_call_arguments.done", Json.object().put("item_id", callItem)
                            .put("output_index", callIndex).put("name", callNow.name())
                            .put("arguments", arguments.toString())));
                    frames.add(event("response.output_item.done", Json.object().put("output_index", callIndex)
                            .set("item", item)));
                    output.add(item);
                    callItem = null;
                }
            }

            @Override
            public List<byte[]> closing() {
                List<byte[]> frames = new ArrayList<>(8);
                closeOpenItems(frames);
                ObjectNode finished = finished(call, reply, ids.response);
                finished.set("output", output.deepCopy());
                store(call, finished);
                String type = finished.path("status").asText().equals("incomplete") ? "response.incomplete" : "response.completed";
                frames.add(event(type, Json.object().set("response", finished)));
                return frames;
            }

            @Override
            public byte[] error(Rendering rendering, String message) {
                String code = rendering.code() != null ? rendering.code() : rendering.type();
                ObjectNode error = Json.object().put("code", code).put("message", message).putNull("param");
                ObjectNode failed = response(call, ids.response, "failed");
                failed.set("error", Json.object().put("code", code).put("message", message));
                return concat(List.of(event("error", error), event("response.failed", Json.object().set("response", failed))));
            }
        };
    }

    private static byte[] concat(List<byte[]> frames) {
        return StreamFramer.concat(frames.toArray(new byte[0][]));
    }

    /** Ids of one response and its one message. */
    private static final class Ids {
        final String response = dev.llmfault.server.internal.dialect.Ids.hex("resp_", 50);
        final String message = dev.llmfault.server.internal.dialect.Ids.hex("msg_", 50);

        /** A function_call item's id (its call_id is the tool call's id). */
        static String item() {
            return dev.llmfault.server.internal.dialect.Ids.hex("fc_", 50);
        }
    }

    /** The response object, echoing the request's settings as OpenAI does; every field openai-java requires. */
    private static ObjectNode response(ChatCall call, String id, String status) {
        JsonNode body = call.body();
        ObjectNode r = Json.object();
        r.put("id", id);
        r.put("object", "response");
        r.put("created_at", OpenAiChatFormat.nowSeconds());
        r.put("status", status);
        r.put("background", false);
        r.putNull("error");
        r.putNull("incomplete_details");
        echo(r, body, "instructions");
        echo(r, body, "max_output_tokens");
        r.put("model", call.model());
        r.putArray("output");
        r.put("parallel_tool_calls", body.path("parallel_tool_calls").asBoolean(true));
        echo(r, body, "previous_response_id");
        ObjectNode reasoning = r.putObject("reasoning");
        reasoning.putNull("effort");
        reasoning.putNull("summary");
        r.put("store", body.path("store").asBoolean(true));
        r.put("temperature", body.path("temperature").asDouble(1.0));
        ObjectNode text = r.putObject("text");
        JsonNode format = body.path("text").get("format");
        if (format != null && format.isObject()) {
            text.set("format", format.deepCopy());
        } else {
            text.putObject("format").put("type", "text");
        }
        r.set("tool_choice", body.hasNonNull("tool_choice") ? body.get("tool_choice").deepCopy() : Json.MAPPER.getNodeFactory().textNode("auto"));
        r.set("tools", body.path("tools").isArray() ? body.get("tools").deepCopy() : Json.MAPPER.createArrayNode());
        r.put("top_p", body.path("top_p").asDouble(1.0));
        r.put("truncation", body.path("truncation").asText("disabled"));
        r.putNull("usage");
        echo(r, body, "user");
        r.set("metadata", body.path("metadata").isObject() ? body.get("metadata").deepCopy() : Json.object());
        return r;
    }

    private static void echo(ObjectNode r, JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            r.putNull(field);
        } else {
            r.set(field, v.deepCopy());
        }
    }

    private static ObjectNode message(String id, String status, String text) {
        ObjectNode m = Json.object();
        m.put("id", id);
        m.put("type", "message");
        m.put("status", status);
        m.put("role", "assistant");
        ArrayNode content = m.putArray("content");
        if (text != null) {
            content.add(outputText(text));
        }
        return m;
    }

    private static ObjectNode outputText(String text) {
        ObjectNode part = Json.object().put("type", "output_text").put("text", text);
        part.putArray("annotations");
        part.putArray("logprobs");
        return part;
    }

    private static ObjectNode usage(ChatCall call, Answer reply) {
        ObjectNode u = Json.object();
        u.put("input_tokens", call.promptTokens());
        // openai-java 4.101 requires cache_write_tokens (ResponseUsage.InputTokensDetails.validate())
        u.putObject("input_tokens_details").put("cached_tokens", 0).put("cache_write_tokens", 0);
        u.put("output_tokens", reply.completionTokens());
        u.putObject("output_tokens_details").put("reasoning_tokens", 0);
        u.put("total_tokens", call.promptTokens() + reply.completionTokens());
        return u;
    }

    private void store(ChatCall call, ObjectNode response) {
        if (call.body().path("store").asBoolean(true)) {
            ObjectNode request = Json.object();
            for (String field : List.of("input", "previous_response_id")) {
                if (call.body().hasNonNull(field)) {
                    request.set(field, call.body().get(field));
                }
            }
            synchronized (stored) {
                stored.put(response.get("id").asText(), response);
                asked.put(response.get("id").asText(), request);
            }
        }
    }

    private ObjectNode find(String id) {
        synchronized (stored) {
            return stored.get(id);
        }
    }
}
