package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.BiFunction;
import java.util.function.Function;
import dev.llmfault.server.Conversation;

/**
 * The OpenAI chat-completions shapes, shared by OpenAI and by Zhipu GLM (whose API follows them) and by
 * whichever dialect speaks them: reading a call, the completion, the chunk stream. A dialect adds its own
 * top-level fields: a completion's {@code request_id} (Zhipu's), a chunk's through {@code decorate}.
 */
final class OpenAiChatFormat {
    private OpenAiChatFormat() {
    }

    /** The model of a chat body, or null. */
    static String model(JsonNode body) {
        JsonNode model = body == null ? null : body.get("model");
        return model != null && model.isTextual() ? model.asText() : null;
    }

    /** Reads a chat-completions call: stream flag, usage option, the messages' tokens, max_tokens or its newer name. */
    static ChatCall readCall(RouteMatch route, JsonNode body) {
        JsonNode s = body.get("stream");
        JsonNode options = body.get("stream_options");
        boolean includeUsage = options != null && options.path("include_usage").asBoolean(false);
        return new ChatCall(body, route, model(body), s != null && s.asBoolean(false), includeUsage,
                TokenCounter.textTokens(body.get("messages")),
                reservedTokens(body, "max_tokens", "max_completion_tokens"));
    }

    /** The conversation of a chat-completions body (OpenAI, Azure, Zhipu): messages, tools, {@code response_format}. */
    static Conversation conversation(JsonNode body) {
        return ChatMessagesConversation.read(body)
                .outputSchema(ChatMessagesConversation.responseFormat(body.get("response_format"))).build();
    }

    /** The first of these fields that holds a positive integer, else 0. */
    static int reservedTokens(JsonNode body, String... fields) {
        for (String field : fields) {
            JsonNode v = body.get(field);
            if (v != null && v.canConvertToInt() && v.asInt() > 0) {
                return v.asInt();
            }
        }
        return 0;
    }

    /** OpenAI's names of the finish reasons (Azure's too; Zhipu names a filtered answer its own way). */
    static String finishReason(Finish finish) {
        return switch (finish) {
            case STOP -> "stop";
            case LENGTH -> "length";
            case TOOL_CALLS -> "tool_calls";
            case CONTENT_FILTER -> "content_filter";
        };
    }

    /** OpenAI's chat completion (see the next). */
    static byte[] completion(ChatCall call, Answer reply, String id) {
        return completion(call, reply, id, null, OpenAiChatFormat::finishReason);
    }

    /**
     * A chat completion: the text in {@code message.content} (null when the model only calls tools, as OpenAI
     * sends it), the calls in {@code message.tool_calls} with their arguments as JSON text, the finish reason
     * named by {@code finishNames}; {@code requestId}, when not null, as a last top-level {@code request_id}
     * (Zhipu's). Written straight to bytes: every plain success goes through here.
     */
    static byte[] completion(ChatCall call, Answer reply, String id, String requestId, Function<Finish, String> finishNames) {
        return Json.write(g -> {
            g.writeStartObject();
            g.writeStringField("id", id);
            g.writeStringField("object", "chat.completion");
            g.writeNumberField("created", nowSeconds());
            g.writeStringField("model", call.model());
            g.writeArrayFieldStart("choices");
            g.writeStartObject();
            g.writeNumberField("index", 0);
            g.writeObjectFieldStart("message");
            g.writeStringField("role", "assistant");
            g.writeStringField("content", onlyToolCalls(reply) ? null : reply.text());
            g.writeNullField("refusal");
            if (!reply.toolCalls().isEmpty()) {
                g.writeArrayFieldStart("tool_calls");
                List<String> ids = callIds(reply);
                for (int i = 0; i < reply.toolCalls().size(); i++) {
                    Conversation.ToolCall c = reply.toolCalls().get(i);
                    g.writeStartObject();
                    g.writeStringField("id", ids.get(i));
                    g.writeStringField("type", "function");
                    g.writeObjectFieldStart("function");
                    g.writeStringField("name", c.name());
                    g.writeStringField("arguments", Answer.argumentsJson(c));
                    g.writeEndObject();
                    g.writeEndObject();
                }
                g.writeEndArray();
            }
            g.writeEndObject(); // message
            g.writeNullField("logprobs");
            g.writeStringField("finish_reason", finishNames.apply(reply.finish()));
            g.writeEndObject();
            g.writeEndArray(); // choices
            g.writeObjectFieldStart("usage");
            g.writeNumberField("prompt_tokens", call.promptTokens());
            g.writeNumberField("completion_tokens", reply.completionTokens());
            g.writeNumberField("total_tokens", call.promptTokens() + reply.completionTokens());
            g.writeEndObject();
            g.writeNullField("system_fingerprint");
            if (requestId != null) {
                g.writeStringField("request_id", requestId);
            }
            g.writeEndObject();
        });
    }

    /**
     * The chunk stream: a role delta, one chunk per content delta, a finish chunk, a usage chunk when asked
     * for, {@code [DONE]}. The error frame is a data line with the dialect's error envelope.
     */
    static StreamFramer framer(ChatCall call, Answer reply, String id, Consumer<ObjectNode> decorate,
                               BiFunction<Rendering, String, ObjectNode> errorEnvelope) {
        return framer(call, reply, id, decorate, errorEnvelope, OpenAiChatFormat::finishReason);
    }

    /**
     * The chunk stream with tool calls as OpenAI streams them: a call's first chunk carries its {@code index},
     * {@code id}, {@code type} and {@code function.name} with empty arguments, the next ones only the index and a
     * piece of {@code function.arguments}; parallel calls follow each other by index. The finish chunk names
     * the answer's finish reason.
     */
    static StreamFramer framer(ChatCall call, Answer reply, String id, Consumer<ObjectNode> decorate,
                               BiFunction<Rendering, String, ObjectNode> errorEnvelope,
                               Function<Finish, String> finishNames) {
        long created = nowSeconds();
        List<String> ids = callIds(reply);
        return new StreamFramer() {
            @Override
            public List<byte[]> opening() {
                ObjectNode first = chunk(call, id, created, decorate);
                ObjectNode firstDelta = OpenAiChatFormat.delta(first, null);
                firstDelta.put("role", "assistant");
                if (onlyToolCalls(reply)) {
                    firstDelta.putNull("content");
                } else {
                    firstDelta.put("content", "");
                }
                firstDelta.putNull("refusal");
                return List.of(Sse.data(first));
            }

            @Override
            public byte[] delta(Delta d) {
                ObjectNode c = chunk(call, id, created, decorate);
                ObjectNode delta = OpenAiChatFormat.delta(c, null);
                if (d instanceof Delta.ToolCallStart start) {
                    ObjectNode tc = delta.putArray("tool_calls").addObject();
                    tc.put("index", start.index());
                    tc.put("id", ids.get(start.index()));
                    tc.put("type", "function");
                    tc.putObject("function").put("name", start.name()).put("arguments", "");
                } else if (d instanceof Delta.ToolArguments args) {
                    ObjectNode tc = delta.putArray("tool_calls").addObject();
                    tc.put("index", args.index());
                    tc.putObject("function").put("arguments", args.fragment());
                } else {
                    delta.put("content", Delta.text(d));
                }
                return Sse.data(c);
            }

            @Override
            public List<byte[]> closing() {
                List<byte[]> frames = new ArrayList<>(3);
                ObjectNode last = chunk(call, id, created, decorate);
                OpenAiChatFormat.delta(last, finishNames.apply(reply.finish()));
                frames.add(Sse.data(last));
                if (call.includeUsage()) {
                    ObjectNode usage = chunk(call, id, created, decorate);
                    usage.putArray("choices");
                    usage.set("usage", usage(call, reply));
                    frames.add(Sse.data(usage));
                }
                frames.add(Sse.rawData("[DONE]"));
                return frames;
            }

            @Override
            public byte[] error(Rendering rendering, String message) {
                return Sse.data(errorEnvelope.apply(rendering, message));
            }
        };
    }

    /** The calls' ids: a reply rule's (seeded), or {@code call_} and 24 characters minted for a call without one. */
    static List<String> callIds(Answer reply) {
        return reply.callIds(c -> Ids.base62("call_", 24));
    }

    /** A model that only calls tools sends {@code content: null}, not "". */
    private static boolean onlyToolCalls(Answer reply) {
        return !reply.toolCalls().isEmpty() && reply.text().isEmpty();
    }

    private static ObjectNode chunk(ChatCall call, String id, long created, Consumer<ObjectNode> decorate) {
        ObjectNode c = Json.object();
        c.put("id", id);
        c.put("object", "chat.completion.chunk");
        c.put("created", created);
        c.put("model", call.model());
        c.putNull("system_fingerprint");
        if (call.includeUsage()) {
            c.putNull("usage"); // OpenAI sends "usage": null on every chunk but the last when usage is asked for
        }
        decorate.accept(c);
        return c;
    }

    private static ObjectNode delta(ObjectNode chunk, String finishReason) {
        ObjectNode choice = chunk.putArray("choices").addObject();
        choice.put("index", 0);
        ObjectNode delta = choice.putObject("delta");
        choice.putNull("logprobs");
        if (finishReason == null) {
            choice.putNull("finish_reason");
        } else {
            choice.put("finish_reason", finishReason);
        }
        return delta;
    }

    private static ObjectNode usage(ChatCall call, Answer reply) {
        ObjectNode usage = Json.object();
        usage.put("prompt_tokens", call.promptTokens());
        usage.put("completion_tokens", reply.completionTokens());
        usage.put("total_tokens", call.promptTokens() + reply.completionTokens());
        return usage;
    }

    /**
     * Whether a chat-completions chunk (or a Responses API event) carries content: text or tool-call
     * arguments in {@code choices[0].delta}, or an {@code output_text} / {@code function_call_arguments} delta.
     */
    static boolean isContentDelta(byte[] frame) {
        JsonNode data = Sse.dataJson(frame);
        if (data == null) {
            return false;
        }
        String type = data.path("type").asText("");
        if (type.equals("response.output_text.delta") || type.equals("response.function_call_arguments.delta")) {
            return true;
        }
        JsonNode delta = data.path("choices").path(0).path("delta");
        if (delta.path("content").isTextual() && !delta.path("content").asText().isEmpty()) {
            return true;
        }
        // a call's first chunk (id and name, arguments "") is no content: afterChunks counts argument pieces
        for (JsonNode call : delta.path("tool_calls")) {
            if (!call.path("function").path("arguments").asText("").isEmpty()) {
                return true;
            }
        }
        return false;
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
