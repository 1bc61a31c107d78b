package dev.llmfault.server.internal.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.dialect.Answer;
import dev.llmfault.server.internal.dialect.Delta;
import dev.llmfault.server.internal.dialect.Finish;
import dev.llmfault.server.internal.dialect.TokenCounter;
import dev.llmfault.server.internal.json.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The model's own failures ({@link Fault.Kind#MODEL_OUTPUT}) as answers: what the fake model says instead of its
 * normal answer when a scenario makes it stop at the token limit, get filtered, write JSON that does not parse or
 * call a tool wrongly. Provider-neutral: each dialect renders the answer (its finish reason, its tool calls) as
 * for any other answer, plain and streamed.
 *
 * <ul>
 *   <li>LENGTH_TRUNCATED: the first {@code afterChunks} pieces of the normal answer (2 unless set) and half of the
 *       next one, so the cut falls mid-word (mid-JSON for structured output); finish LENGTH; the completion
 *       tokens are the request's {@code max_tokens} when it sets one.</li>
 *   <li>CONTENT_FILTERED: the first {@code afterChunks} pieces (none unless set), finish CONTENT_FILTER.</li>
 *   <li>INVALID_JSON_OUTPUT: the normal answer as a JSON document cut in half (a text answer is wrapped as
 *       {@code {"answer": ...}} first), finish STOP: the model believes it is done.</li>
 *   <li>UNKNOWN_TOOL_CALL: a call of {@value #UNKNOWN_TOOL} (or that name with a digit, if the request offers
 *       it), finish TOOL_CALLS.</li>
 *   <li>INVALID_TOOL_ARGUMENTS: a call of the first offered tool whose arguments leave out its first required
 *       property and give every other declared property a value of the wrong type; with no tool offered, the
 *       same call of {@value #UNKNOWN_TOOL}.</li>
 * </ul>
 *
 * <pre>{@code
 * Answer cut = ModelFailures.answer(Fault.LENGTH_TRUNCATED, Answer.of("one two three four"), conversation, null, 0,
 *         name -> dialect.toolCallId(name, seed));
 * // "one two th", Finish.LENGTH
 * }</pre>
 */
public final class ModelFailures {
    /** The tool an UNKNOWN_TOOL_CALL calls: a plausible name no test offers by chance. */
    public static final String UNKNOWN_TOOL = "lookup_internal_records";
    static final int DEFAULT_TRUNCATED_PIECES = 2;

    private ModelFailures() {
    }

    /**
     * The failing answer.
     *
     * @param normal         what the model would have answered
     * @param afterChunks    the scenario's {@code afterChunks}, or null
     * @param reservedTokens the output tokens the request reserves ({@code max_tokens}), 0 if none
     * @param callId         the id of a call of the named tool, in the provider's format (null: the dialect's own)
     */
    public static Answer answer(Fault fault, Answer normal, Conversation conversation, Integer afterChunks,
                                int reservedTokens, UnaryOperator<String> callId) {
        return switch (fault) {
            case LENGTH_TRUNCATED -> truncated(normal, afterChunks == null ? DEFAULT_TRUNCATED_PIECES : afterChunks,
                    reservedTokens);
            case CONTENT_FILTERED -> filtered(normal, afterChunks == null ? 0 : afterChunks);
            case INVALID_JSON_OUTPUT -> brokenJson(normal);
            case UNKNOWN_TOOL_CALL -> unknownTool(conversation, callId);
            case INVALID_TOOL_ARGUMENTS -> invalidArguments(conversation, callId);
            default -> throw new IllegalArgumentException(fault + " is not one of the model's own failures");
        };
    }

    static Answer truncated(Answer normal, int pieces, int reservedTokens) {
        String text = normal.text();
        int keep = prefixLength(normal, pieces);
        // half of the next piece: the cut falls inside a word (or a JSON token), never at a clean boundary
        int next = keep < text.length() ? nextPieceEnd(normal, keep) : keep;
        int cut = keep + Math.max(1, (next - keep) / 2);
        if (cut >= text.length()) {
            cut = Math.max(1, text.length() - 1); // a short answer still loses its last character
        }
        String kept = text.substring(0, Math.min(cut, text.length()));
        Answer a = Answer.of(kept);
        int tokens = reservedTokens > 0 ? reservedTokens : TokenCounter.tokens(kept);
        return new Answer(kept, List.of(), Finish.LENGTH, a.deltas(), tokens);
    }

    static Answer filtered(Answer normal, int pieces) {
        String kept = normal.text().substring(0, prefixLength(normal, pieces));
        List<Delta> deltas = kept.isEmpty() ? List.of() : Answer.of(kept).deltas();
        return new Answer(kept, List.of(), Finish.CONTENT_FILTER, deltas, TokenCounter.tokens(kept));
    }

    static Answer brokenJson(Answer normal) {
        String doc = normal.text().trim();
        if (!looksLikeJson(doc)) {
            ObjectNode wrapped = Json.object();
            wrapped.put("answer", normal.text());
            doc = Json.text(wrapped);
        }
        String broken = doc.substring(0, Math.max(1, doc.length() / 2));
        Answer a = Answer.of(broken);
        return new Answer(broken, List.of(), Finish.STOP, a.deltas(), a.completionTokens());
    }

    static Answer unknownTool(Conversation conversation, UnaryOperator<String> callId) {
        String name = UNKNOWN_TOOL;
        for (int i = 2; conversation.tool(name).isPresent(); i++) {
            name = UNKNOWN_TOOL + i;
        }
        ObjectNode args = Json.object();
        args.put("query", conversation.lastUserMessage());
        return Answer.toolCalls("", List.of(new Conversation.ToolCall(callId.apply(name), name, args)));
    }

    static Answer invalidArguments(Conversation conversation, UnaryOperator<String> callId) {
        if (conversation.tools().isEmpty()) {
            return unknownTool(conversation, callId);
        }
        Conversation.Tool tool = conversation.tools().get(0);
        return Answer.toolCalls("", List.of(new Conversation.ToolCall(callId.apply(tool.name()), tool.name(),
                breaking(tool.parameters()))));
    }

    /**
     * Arguments that break the schema: the first required property left out, every other declared property of the
     * wrong type; a schema that declares nothing gets a property it cannot expect.
     */
    static ObjectNode breaking(JsonNode schema) {
        ObjectNode args = Json.object();
        JsonNode properties = schema == null ? null : schema.get("properties");
        String firstRequired = schema == null ? null : schema.path("required").path(0).asText(null);
        if (properties != null && properties.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = properties.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> p = it.next();
                if (!p.getKey().equals(firstRequired)) {
                    args.set(p.getKey(), wrongValue(p.getValue().path("type").asText("")));
                }
            }
        }
        if (args.isEmpty() && firstRequired == null) {
            args.put("unexpected_argument", true);
        }
        return args;
    }

    private static JsonNode wrongValue(String type) {
        JsonNodeFactory f = JsonNodeFactory.instance;
        return switch (type) {
            case "string" -> f.numberNode(42);
            case "integer", "number" -> f.textNode("not a number");
            case "boolean" -> f.textNode("yes");
            case "array" -> f.objectNode();
            case "object" -> f.arrayNode();
            default -> f.nullNode();
        };
    }

    /** The length of the text in the first {@code pieces} text deltas of the answer. */
    private static int prefixLength(Answer a, int pieces) {
        int length = 0;
        int counted = 0;
        for (Delta d : a.deltas()) {
            if (counted >= pieces) {
                break;
            }
            if (d instanceof Delta.Text t) {
                length += t.text().length();
                counted++;
            }
        }
        return Math.min(length, a.text().length());
    }

    private static int nextPieceEnd(Answer a, int from) {
        int at = 0;
        for (Delta d : a.deltas()) {
            if (d instanceof Delta.Text t) {
                at += t.text().length();
                if (at > from) {
                    return at;
                }
            }
        }
        return a.text().length();
    }

    private static boolean looksLikeJson(String s) {
        return s.startsWith("{") && s.endsWith("}") || s.startsWith("[") && s.endsWith("]");
    }
}
