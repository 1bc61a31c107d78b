package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.internal.json.Json;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * The OpenAI chat-completions shapes, shared by OpenAI and by Zhipu GLM, whose API follows them.
 * {@code decorate} lets a dialect add its own top-level fields (Zhipu's {@code request_id}).
 */
final class OpenAiChatFormat {
    private OpenAiChatFormat() {
    }

    static byte[] completion(ChatCall call, Reply reply, String id, Consumer<ObjectNode> decorate) {
        ObjectNode root = Json.object();
        root.put("id", id);
        root.put("object", "chat.completion");
        root.put("created", nowSeconds());
        root.put("model", call.model());
        ArrayNode choices = root.putArray("choices");
        ObjectNode choice = choices.addObject();
        choice.put("index", 0);
        ObjectNode message = choice.putObject("message");
        message.put("role", "assistant");
        message.put("content", reply.text());
        message.putNull("refusal");
        choice.putNull("logprobs");
        choice.put("finish_reason", "stop");
        root.set("usage", usage(call, reply));
        root.putNull("system_fingerprint");
        decorate.accept(root);
        return Json.bytes(root);
    }

    static List<byte[]> chunks(ChatCall call, Reply reply, String id, Consumer<ObjectNode> decorate) {
        long created = nowSeconds();
        List<byte[]> frames = new ArrayList<>(reply.chunks().size() + 4);
        ObjectNode first = chunk(call, id, created, decorate);
        ObjectNode firstDelta = delta(first, null);
        firstDelta.put("role", "assistant");
        firstDelta.put("content", "");
        firstDelta.putNull("refusal");
        frames.add(frame(first));
        for (String piece : reply.chunks()) {
            ObjectNode c = chunk(call, id, created, decorate);
            delta(c, null).put("content", piece);
            frames.add(frame(c));
        }
        ObjectNode last = chunk(call, id, created, decorate);
        delta(last, "stop");
        frames.add(frame(last));
        if (call.includeUsage()) {
            ObjectNode usage = chunk(call, id, created, decorate);
            usage.putArray("choices");
            usage.set("usage", usage(call, reply));
            frames.add(frame(usage));
        }
        frames.add("data: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
        return frames;
    }

    static byte[] errorFrame(ObjectNode error) {
        return frame(error);
    }

    static byte[] frame(ObjectNode json) {
        return ("data: " + Json.text(json) + "\n\n").getBytes(StandardCharsets.UTF_8);
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

    private static ObjectNode usage(ChatCall call, Reply reply) {
        ObjectNode usage = Json.object();
        usage.put("prompt_tokens", call.promptTokens());
        usage.put("completion_tokens", reply.completionTokens());
        usage.put("total_tokens", call.promptTokens() + reply.completionTokens());
        return usage;
    }

    static long nowSeconds() {
        return System.currentTimeMillis() / 1000;
    }
}
