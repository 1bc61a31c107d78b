package dev.llmfault.server.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Reply;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.internal.json.Json;

import java.util.ArrayList;
import java.util.List;

/**
 * Reads and writes the JSON shape of a reply rule, the one of the admin API ({@code /__admin/replies}) and the
 * config file ({@code replies:}). Strict like {@link ScenarioCodec}: an unknown field, a wrong type or a bad value
 * is an {@link InputException} naming the field, and nothing is built. The values themselves are checked by
 * {@link Reply} and {@link ReplyRule.Builder#build()}, the one check of every way in.
 *
 * <pre>
 * {"provider": "OPENAI", "match": {"lastUserMessage": "weather", "turn": 1},
 *  "toolCalls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}
 * {"sequence": [{"toolCalls": [{"name": "get_weather", "arguments": {"city": "Paris"}}]}, {"text": "18°C"}]}
 * </pre>
 */
public final class ReplyCodec {
    static final List<String> FIELDS = List.of("id", "provider", "priority", "match", "text", "toolCalls", "json",
            "sequence");
    static final List<String> REPLY_FIELDS = List.of("text", "toolCalls", "json");
    static final List<String> CALL_FIELDS = List.of("name", "arguments", "id");
    static final List<String> MATCH_FIELDS = List.of("path", "model", "apiKey", "apiKeyFingerprint", "apiKeyMask",
            "headers", "lastUserMessage", "lastUserMessageRegex", "turn", "hasToolResult");

    private ReplyCodec() {
    }

    public static ReplyRule read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InputException(null, "a reply rule must be a JSON object, got " + ScenarioCodec.describe(node));
        }
        ScenarioCodec.checkFields(node, FIELDS, null);
        ReplyRule.Builder b = ReplyRule.builder();
        ScenarioCodec.text(node, "id", b::id);
        if (ScenarioCodec.present(node, "provider")) b.provider(ScenarioCodec.parseEnum("provider", node.get("provider"), Provider::parse));
        ScenarioCodec.integer(node, "priority", v -> b.priority(ScenarioCodec.toInt("priority", v)));
        boolean single = REPLY_FIELDS.stream().anyMatch(f -> ScenarioCodec.present(node, f));
        if (ScenarioCodec.present(node, "sequence")) {
            if (single) {
                throw new InputException("sequence", "sequence: a rule gives either one reply (text, toolCalls, json) or a "
                        + "sequence of them, not both");
            }
            JsonNode seq = node.get("sequence");
            if (!seq.isArray() || seq.isEmpty()) throw ScenarioCodec.wrongType("sequence", seq, "a non-empty list of replies");
            List<Reply> replies = new ArrayList<>();
            for (int i = 0; i < seq.size(); i++) {
                try {
                    replies.add(readReply(seq.get(i), true));
                } catch (InputException e) {
                    throw e.within("sequence[" + i + "]");
                }
            }
            b.sequence(replies);
        } else if (single) {
            b.reply(readReply(node, false)); // the rule's own fields were checked above
        } else {
            throw new InputException(null, "a reply rule needs what to answer: text, toolCalls, json, or a sequence "
                    + "of them; fields allowed: " + FIELDS);
        }
        JsonNode match = node.get("match");
        if (match != null && !match.isNull()) {
            if (!match.isObject()) throw new InputException("match", "match: expected an object, got " + ScenarioCodec.describe(match));
            ScenarioCodec.checkFields(match, MATCH_FIELDS, "match");
            try {
                ScenarioCodec.readRequestMatch(match, new ScenarioCodec.RequestMatch(b::matchPath, b::matchModel,
                        b::matchApiKey, b::matchApiKeyFingerprint, b::matchHeader));
                ScenarioCodec.text(match, "lastUserMessage", b::matchLastUserMessage);
                ScenarioCodec.text(match, "lastUserMessageRegex", b::matchLastUserMessageRegex);
                ScenarioCodec.integer(match, "turn", v -> b.matchTurn(ScenarioCodec.toInt("turn", v)));
                ScenarioCodec.bool(match, "hasToolResult", b::matchHasToolResult);
            } catch (InputException e) {
                throw e.within("match");
            }
        }
        return built(b::build);
    }

    /** One reply: {@code text}, {@code toolCalls} (after the text, if both), or {@code json}. */
    private static Reply readReply(JsonNode node, boolean alone) {
        if (node == null || !node.isObject()) {
            throw new InputException(null, "a reply must be a JSON object with " + REPLY_FIELDS + ", got "
                    + ScenarioCodec.describe(node));
        }
        if (alone) {
            ScenarioCodec.checkFields(node, REPLY_FIELDS, null);
        }
        String json = null;
        if (ScenarioCodec.present(node, "json")) {
            JsonNode doc = node.get("json");
            if (!doc.isContainerNode()) {
                throw ScenarioCodec.wrongType("json", doc, "a JSON object or array (the document itself, not a string)");
            }
            json = Json.text(doc);
        }
        String[] text = {null};
        ScenarioCodec.text(node, "text", v -> text[0] = v);
        List<Conversation.ToolCall> calls = new ArrayList<>();
        if (ScenarioCodec.present(node, "toolCalls")) {
            JsonNode list = node.get("toolCalls");
            if (!list.isArray() || list.isEmpty()) {
                throw ScenarioCodec.wrongType("toolCalls", list, "a non-empty list of {\"name\", \"arguments\"}");
            }
            for (int i = 0; i < list.size(); i++) {
                try {
                    calls.add(readCall(list.get(i)));
                } catch (InputException e) {
                    throw e.within("toolCalls[" + i + "]");
                }
            }
        }
        String document = json;
        return built(() -> Reply.of(text[0], calls, document));
    }

    private static Conversation.ToolCall readCall(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InputException(null, "a tool call must be a JSON object with " + CALL_FIELDS + ", got "
                    + ScenarioCodec.describe(node));
        }
        ScenarioCodec.checkFields(node, CALL_FIELDS, null);
        if (!ScenarioCodec.present(node, "name")) {
            throw new InputException("name", "name: is required (the tool's name)");
        }
        String[] name = {null};
        String[] id = {null};
        ScenarioCodec.text(node, "name", v -> name[0] = v);
        ScenarioCodec.text(node, "id", v -> id[0] = v);
        JsonNode args = node.get("arguments");
        if (args != null && args.isTextual()) {
            // OpenAI's own shape carries arguments as JSON text: accept it, parsed
            args = Json.tryParse(args.asText()).orElseThrow(() -> ScenarioCodec.wrongType("arguments", node.get("arguments"),
                    "a JSON object (or JSON text of one)"));
        }
        return new Conversation.ToolCall(id[0], name[0], args == null || args.isNull() ? Json.object() : args);
    }

    private static <T> T built(java.util.function.Supplier<T> build) {
        return InputException.fromBuild(build);
    }

    /** The JSON shape of a rule; the API key appears only as its mask and fingerprint. */
    public static ObjectNode write(ReplyRule r) {
        ObjectNode n = Json.object();
        if (r.id() != null) n.put("id", r.id());
        if (r.provider() != null) n.put("provider", r.provider().name());
        if (r.priority() != ReplyRule.DEFAULT_PRIORITY) n.put("priority", r.priority());
        ReplyRule.Match m = r.match();
        ObjectNode match = ScenarioCodec.writeRequestMatch(m.path(), m.model(), m.apiKeyFingerprint(), m.apiKeyMask(),
                m.headers());
        if (m.lastUserMessage() != null) match.put("lastUserMessage", m.lastUserMessage());
        if (m.lastUserMessageRegex() != null) match.put("lastUserMessageRegex", m.lastUserMessageRegex().pattern());
        if (m.turn() != null) match.put("turn", m.turn());
        if (m.hasToolResult() != null) match.put("hasToolResult", m.hasToolResult());
        if (!match.isEmpty()) n.set("match", match);
        if (r.isSequence()) {
            ArrayNode seq = n.putArray("sequence");
            r.replies().forEach(reply -> seq.add(writeReply(reply)));
        } else {
            n.setAll(writeReply(r.replies().get(0)));
        }
        return n;
    }

    private static ObjectNode writeReply(Reply reply) {
        ObjectNode n = Json.object();
        if (reply.json() != null) {
            n.set("json", reply.json());
            return n;
        }
        if (reply.text() != null) n.put("text", reply.text());
        if (!reply.toolCalls().isEmpty()) {
            ArrayNode calls = n.putArray("toolCalls");
            for (Conversation.ToolCall c : reply.toolCalls()) {
                ObjectNode call = calls.addObject();
                call.put("name", c.name());
                call.set("arguments", c.arguments() == null ? Json.object() : c.arguments().deepCopy());
                if (c.id() != null) call.put("id", c.id());
            }
        }
        return n;
    }
}
