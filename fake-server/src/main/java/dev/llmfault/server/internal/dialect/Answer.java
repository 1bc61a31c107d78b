package dev.llmfault.server.internal.dialect;

import dev.llmfault.server.Conversation;
import dev.llmfault.server.internal.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * What the fake model answers, in no provider's shape: its text, the tool calls it makes, why it stopped,
 * and the same content as the deltas a stream carries. Every dialect renders the same answer plain and
 * streamed; stream faults count its deltas.
 *
 * <pre>{@code
 * Answer.of("Hello from the fake model")                        // text, finish STOP
 * Answer.toolCalls("", List.of(new ToolCall("call_1", "get_weather", args)))  // finish TOOL_CALLS
 * }</pre>
 *
 * @param text             the whole text ("" when the model only calls tools)
 * @param toolCalls        the tool calls, in order (empty for a text answer)
 * @param finish           why the model stopped
 * @param deltas           the content as stream deltas: text pieces, then per tool call its start and argument pieces
 * @param completionTokens the answer's tokens (see {@link TokenCounter})
 */
public record Answer(String text, List<Conversation.ToolCall> toolCalls, Finish finish, List<Delta> deltas,
                     int completionTokens) {

    public Answer {
        toolCalls = List.copyOf(toolCalls);
        deltas = List.copyOf(deltas);
    }

    /** The last text answer made: most servers answer one configured text, so splitting it per request is waste. */
    private static volatile Answer last = new Answer("", List.of(), Finish.STOP, List.of(new Delta.Text("")), 0);

    /** A text answer that stops normally. */
    public static Answer of(String text) {
        Answer a = last;
        if (a.text().equals(text) && a.finish() == Finish.STOP && a.toolCalls().isEmpty()) {
            return a;
        }
        a = new Answer(text, List.of(), Finish.STOP, textDeltas(text), TokenCounter.tokens(text));
        last = a;
        return a;
    }

    /** An answer that calls tools, after an optional text ("" for none); finish TOOL_CALLS. */
    public static Answer toolCalls(String text, List<Conversation.ToolCall> calls) {
        List<Delta> deltas = text.isEmpty() ? new ArrayList<>() : new ArrayList<>(textDeltas(text));
        int tokens = TokenCounter.tokens(text);
        for (int i = 0; i < calls.size(); i++) {
            Conversation.ToolCall call = calls.get(i);
            String arguments = argumentsJson(call);
            deltas.add(new Delta.ToolCallStart(i, call.id(), call.name()));
            for (String piece : argumentPieces(arguments)) {
                deltas.add(new Delta.ToolArguments(i, piece));
            }
            tokens += TokenCounter.tokens(call.name()) + TokenCounter.tokens(arguments);
        }
        return new Answer(text, calls, Finish.TOOL_CALLS, deltas, tokens);
    }

    /** The same answer with another finish reason (a fault that stops the model early). */
    public Answer withFinish(Finish f) {
        return new Answer(text, toolCalls, f, deltas, completionTokens);
    }

    /**
     * The id of each tool call, in order: the call's own id when the reply gave one, else a fresh one in the
     * provider's format from {@code mint} ({@code toolu_01...}, {@code tooluse_...}, {@code call_...}). A dialect
     * asks once per answer, so a plain body and every frame of a stream name a call alike.
     */
    public List<String> callIds(Function<Conversation.ToolCall, String> mint) {
        List<String> ids = new ArrayList<>(toolCalls.size());
        for (Conversation.ToolCall call : toolCalls) {
            ids.add(call.id() != null && !call.id().isEmpty() ? call.id() : mint.apply(call));
        }
        return List.copyOf(ids);
    }

    /** The arguments of a call as the compact JSON text the providers send ({@code "{}"} when there are none). */
    public static String argumentsJson(Conversation.ToolCall call) {
        return call.arguments() == null || call.arguments().isNull() ? "{}" : Json.text(call.arguments());
    }

    /** The text pieces of a stream: split after each run of white space, so they concatenate back exactly. */
    static List<Delta> textDeltas(String text) {
        List<Delta> out = new ArrayList<>();
        for (String piece : chunk(text)) {
            out.add(new Delta.Text(piece));
        }
        return out;
    }

    /**
     * Argument JSON in the pieces a stream carries: OpenAI and Anthropic send a call's arguments in fragments
     * that are not JSON on their own, so a client must join them before parsing. Cut after each comma and colon.
     */
    static List<String> argumentPieces(String json) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < json.length(); i++) {
            char c = json.charAt(i);
            if ((c == ',' || c == ':') && i + 1 < json.length()) {
                out.add(json.substring(start, i + 1));
                start = i + 1;
            }
        }
        out.add(json.substring(start));
        return out;
    }

    /** Splits after each run of white space, so the chunks concatenate back to the text exactly. */
    static List<String> chunk(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int i = 0;
        while (i < text.length()) {
            if (Character.isWhitespace(text.charAt(i))) {
                while (i < text.length() && Character.isWhitespace(text.charAt(i))) {
                    i++;
                }
                out.add(text.substring(start, i));
                start = i;
            } else {
                i++;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        if (out.isEmpty()) {
            out.add("");
        }
        return List.copyOf(out);
    }
}
