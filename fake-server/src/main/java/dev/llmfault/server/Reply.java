package dev.llmfault.server;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.config.Checks;
import dev.llmfault.server.internal.json.Json;
import org.apiguardian.api.API;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * What the fake model answers a request a {@link ReplyRule} matches: a text, one or more tool calls (several
 * are parallel calls), a text followed by tool calls (as Claude and GPT models do: "Let me check." then the
 * call), or a JSON document (structured output, sent as the answer's text). Every provider renders the same
 * reply in its own wire format, plain and streamed: OpenAI {@code tool_calls}, Anthropic {@code tool_use}
 * blocks, Gemini {@code functionCall} parts, and so on. Immutable; each factory checks its input at once.
 *
 * <pre>{@code
 * Reply.text("It is 18°C in Paris.")
 * Reply.toolCall("get_weather", Map.of("city", "Paris"))                 // finish reason: tool calls
 * Reply.toolCall("get_weather", Map.of("city", "Paris"))
 *      .andToolCall("get_time", Map.of("zone", "Europe/Paris"))          // two parallel calls
 * Reply.text("Let me check.").andToolCall("get_weather", Map.of("city", "Paris"))
 * Reply.json("{\"name\":\"Ada\",\"age\":36}")                           // structured output
 * }</pre>
 *
 * <p>A tool call's id is generated in the provider's format ({@code call_} and 24 characters on OpenAI),
 * deterministic for a server's seed, the rule and the turn, so a retried request gets the same ids; pass
 * {@link Conversation.ToolCall}s with ids to {@link #toolCalls(List)} to choose them.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Reply {
    /** OpenAI's and Anthropic's rule for tool names, with Gemini's dots. */
    private static final String TOOL_NAME = "[A-Za-z0-9_.-]{1,64}";

    private final String text;
    private final List<Conversation.ToolCall> toolCalls;
    private final JsonNode json;

    private Reply(String text, List<Conversation.ToolCall> toolCalls, JsonNode json) {
        if (text == null && toolCalls.isEmpty() && json == null) {
            throw Checks.invalid("text", null, "a string (or give toolCalls or json)");
        }
        if (json != null && (text != null || !toolCalls.isEmpty())) {
            throw new IllegalArgumentException("json: a JSON reply is the whole answer (structured output): it takes no "
                    + (text != null ? "text" : "toolCalls") + "; send text and toolCalls without json instead");
        }
        for (int i = 0; i < toolCalls.size(); i++) {
            check(i, toolCalls.get(i));
        }
        this.text = text;
        this.toolCalls = List.copyOf(toolCalls);
        this.json = json == null ? null : json.deepCopy();
    }

    /**
     * The general form, where each part may be absent (null or empty): a text, tool calls after it, or a JSON
     * document alone. The admin API, the config file and {@code @LlmReply} read replies through it, so every way
     * in meets the same checks.
     *
     * <pre>{@code
     * Reply.of("Let me check.", List.of(new Conversation.ToolCall(null, "get_weather", args)), null)
     * }</pre>
     *
     * @throws IllegalArgumentException when nothing is given, a JSON document comes with a text or tool calls, the
     *                                  document does not parse, or a tool call is wrong (naming {@code toolCalls[i]})
     */
    public static Reply of(String text, List<Conversation.ToolCall> toolCalls, String json) {
        return new Reply(text, toolCalls == null ? List.of() : toolCalls, json == null ? null : parse("json", json));
    }

    /** A text answer (finish reason: stop). Streams split it after each run of white space. */
    public static Reply text(String text) {
        if (text == null) {
            throw Checks.invalid("text", null, "a string");
        }
        return new Reply(text, List.of(), null);
    }

    /**
     * A call of one tool, its arguments given as a map (or anything Jackson writes as a JSON object).
     *
     * @throws IllegalArgumentException naming {@code toolCalls[0].name} or {@code .arguments} when one is wrong
     */
    public static Reply toolCall(String name, Map<String, ?> arguments) {
        return new Reply(null, List.of(call(null, name, arguments)), null);
    }

    /** A call of one tool, its arguments given as JSON text, for example {@code {"city":"Paris"}}. */
    public static Reply toolCall(String name, String argumentsJson) {
        return new Reply(null, List.of(new Conversation.ToolCall(null, name, parse("toolCalls[0].arguments",
                argumentsJson))), null);
    }

    /**
     * Tool calls as given, in order (parallel calls); a call whose id is null gets a generated one, a call with
     * an id keeps it (a test can then name it: {@code toolResult("call_weather")}).
     */
    public static Reply toolCalls(List<Conversation.ToolCall> calls) {
        Objects.requireNonNull(calls, "calls");
        if (calls.isEmpty()) {
            throw Checks.invalid("toolCalls", "[]", "at least one tool call");
        }
        return new Reply(null, calls, null);
    }

    /** A JSON document as the answer's text (structured output); refused when it does not parse. */
    public static Reply json(String document) {
        return new Reply(null, List.of(), parse("json", document));
    }

    /** A value Jackson writes as JSON (a map, a list, a record) as the answer's text (structured output). */
    public static Reply json(Object document) {
        if (document instanceof String s) {
            return json(s);
        }
        return new Reply(null, List.of(), tree("json", document));
    }

    /** This reply followed by one more tool call (a parallel call, or a call after the text). */
    public Reply andToolCall(String name, Map<String, ?> arguments) {
        return andCall(call(null, name, arguments));
    }

    /** This reply followed by one more tool call, its arguments as JSON text. */
    public Reply andToolCall(String name, String argumentsJson) {
        return andCall(new Conversation.ToolCall(null, name, parse("toolCalls[" + toolCalls.size() + "].arguments",
                argumentsJson)));
    }

    /** This reply followed by these tool calls, in order; a call whose id is null gets a generated one. */
    public Reply andToolCalls(List<Conversation.ToolCall> calls) {
        List<Conversation.ToolCall> all = new ArrayList<>(toolCalls);
        all.addAll(calls);
        return new Reply(text, all, json);
    }

    private Reply andCall(Conversation.ToolCall call) {
        List<Conversation.ToolCall> calls = new ArrayList<>(toolCalls);
        calls.add(call);
        return new Reply(text, calls, json);
    }

    /** The text, or null when the reply is only tool calls or a JSON document. */
    public String text() {
        return text;
    }

    /** The tool calls in order; an id is null when the server generates it. */
    public List<Conversation.ToolCall> toolCalls() {
        return toolCalls;
    }

    /** The JSON document of a structured-output reply, or null. */
    public JsonNode json() {
        return json == null ? null : json.deepCopy();
    }

    /** The text the model sends: the text, the compact JSON document, or "" for tool calls alone. */
    public String answerText() {
        return json != null ? Json.text(json) : text == null ? "" : text;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Reply r && Objects.equals(text, r.text) && toolCalls.equals(r.toolCalls)
                && Objects.equals(json, r.json);
    }

    @Override
    public int hashCode() {
        return Objects.hash(text, toolCalls, json);
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder("Reply{");
        if (text != null) s.append("text=\"").append(text.length() > 40 ? text.substring(0, 37) + "..." : text).append('"');
        for (Conversation.ToolCall c : toolCalls) {
            if (s.length() > 6) s.append(", ");
            s.append(c.name()).append(Json.text(c.arguments()));
        }
        if (json != null) s.append("json=").append(Json.text(json));
        return s.append('}').toString();
    }

    private static Conversation.ToolCall call(String id, String name, Map<String, ?> arguments) {
        return new Conversation.ToolCall(id, name, tree("toolCalls[0].arguments",
                arguments == null ? Map.of() : arguments));
    }

    private static void check(int i, Conversation.ToolCall call) {
        String at = "toolCalls[" + i + "]";
        if (call == null) {
            throw Checks.invalid(at, null, "a tool call");
        }
        if (call.name() == null || !call.name().matches(TOOL_NAME)) {
            throw Checks.invalid(at + ".name", call.name(), "a tool name of 1 to 64 of A-Z a-z 0-9 _ . -");
        }
        if (call.arguments() != null && !call.arguments().isNull() && !call.arguments().isObject()) {
            throw Checks.invalid(at + ".arguments", Json.text(call.arguments()), "a JSON object (the providers send "
                    + "tool arguments as an object)");
        }
        if (call.id() != null && !call.id().matches("[A-Za-z0-9_.:-]{1,64}")) {
            throw Checks.invalid(at + ".id", call.id(), "1 to 64 of A-Z a-z 0-9 _ . : - (or none, to have one generated)");
        }
    }

    private static JsonNode parse(String field, String json) {
        if (json == null) {
            throw Checks.invalid(field, null, "JSON text");
        }
        try {
            JsonNode node = Json.MAPPER.readTree(json);
            if (node == null || node.isMissingNode()) {
                throw Checks.invalid(field, json, "JSON text, got nothing");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw Checks.invalid(field, json, "valid JSON (" + e.getOriginalMessage() + ")");
        }
    }

    private static JsonNode tree(String field, Object value) {
        try {
            return Json.MAPPER.valueToTree(value);
        } catch (IllegalArgumentException e) {
            throw Checks.invalid(field, String.valueOf(value), "a value Jackson can write as JSON (" + e.getMessage() + ")");
        }
    }
}
