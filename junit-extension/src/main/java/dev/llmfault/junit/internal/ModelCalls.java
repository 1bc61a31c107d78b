package dev.llmfault.junit.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.JournalEntry;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The model calls of a journal as the agent assertions see them: each request to a provider's model endpoint with
 * its conversation read back by the provider's dialect ({@link JournalEntry#conversation()}) and what the server
 * answered ({@link JournalEntry#modelCall()}). Retries, tool results and repeated calls are found from these, never
 * from bytes: two requests that differ only in key order, white space or the ids a provider lets change hold the
 * same conversation.
 *
 * <pre>{@code
 * List<ModelCalls.Call> calls = ModelCalls.of(journal.entries());
 * ModelCalls.Call retry = ModelCalls.retryOf(calls, 0); // the call after a failed one, same provider and path
 * }</pre>
 */
public final class ModelCalls {
    private ModelCalls() {
    }

    /** One model call: the entry and its conversation, read once. */
    public record Call(JournalEntry entry, Conversation conversation) {
        public long sequence() {
            return entry.sequence();
        }

        /** Whether the answer was no full answer: a fault, an error status, or no answer at all. */
        public boolean failed() {
            return entry.fault() != null || entry.status() < 200 || entry.status() >= 300;
        }

        /** The tool calls the model answered, when the answer got through whole; else empty. */
        public List<Conversation.ToolCall> answeredToolCalls() {
            JournalEntry.ModelCall m = entry.modelCall();
            return m == null || failed() ? List.of() : m.toolCalls();
        }

        /** {@code #3 (429 RATE_LIMITED)}. */
        public String label() {
            return "#" + entry.sequence() + " (" + answer(entry) + ")";
        }
    }

    /** The entries that are model calls (a conversation read back, or a model call the server counted), in order. */
    public static List<Call> of(List<JournalEntry> entries) {
        List<Call> out = new ArrayList<>();
        for (JournalEntry e : entries) {
            if (e.provider() == null || Attempts.isTokenRequest(e)) {
                continue;
            }
            Conversation c = e.conversation();
            if (!c.messages().isEmpty() || e.modelCall() != null) {
                out.add(new Call(e, c));
            }
        }
        return out;
    }

    /** The next model call after the one at {@code index} to the same provider and path, or null. */
    public static Call next(List<Call> calls, int index) {
        Call from = calls.get(index);
        for (int i = index + 1; i < calls.size(); i++) {
            Call c = calls.get(i);
            if (c.entry().provider() == from.entry().provider() && c.entry().path().equals(from.entry().path())) {
                return c;
            }
        }
        return null;
    }

    /**
     * The result a conversation carries for a tool call the model answered: by the call's id, else (providers whose
     * calls have no id, or a client that renamed it) through the call the conversation echoes with the same name and
     * arguments.
     */
    public static Optional<Conversation.Message> resultFor(Conversation c, Conversation.ToolCall answered) {
        Optional<Conversation.Message> byId = answered.id() == null ? Optional.empty() : c.toolResult(answered.id());
        if (byId.isPresent()) {
            return byId;
        }
        for (Conversation.ToolCall echoed : c.toolCalls()) {
            if (sameCall(echoed, answered)) {
                Optional<Conversation.Message> result = c.toolResult(echoed.id());
                if (result.isPresent()) {
                    return result;
                }
            }
        }
        return Optional.empty();
    }

    /** The calls of a conversation that have a result, in the order of their results. */
    public static List<Conversation.ToolCall> completed(Conversation c) {
        List<Conversation.ToolCall> out = new ArrayList<>();
        for (Conversation.Message m : c.messages()) {
            if (m.role() == Conversation.Role.TOOL) {
                c.toolCalls().stream().filter(t -> Objects.equals(t.id(), m.toolCallId())).findFirst().ifPresent(out::add);
            }
        }
        return out;
    }

    /** The same tool asked with the same arguments (JSON compared by value), whatever the ids. */
    public static boolean sameCall(Conversation.ToolCall a, Conversation.ToolCall b) {
        return Objects.equals(a.name(), b.name()) && sameJson(a.arguments(), b.arguments());
    }

    static boolean sameJson(JsonNode a, JsonNode b) {
        boolean aEmpty = a == null || a.isNull() || a.isMissingNode();
        boolean bEmpty = b == null || b.isNull() || b.isMissingNode();
        return aEmpty || bEmpty ? aEmpty == bEmpty : a.equals(b);
    }

    /** {@code get_weather({"city":"Paris"})}. */
    public static String describe(Conversation.ToolCall call) {
        JsonNode args = call.arguments();
        return call.name() + "(" + (args == null || args.isNull() ? "" : Texts.cut(args.toString())) + ")";
    }

    /** {@code 429 RATE_LIMITED}, {@code 200}, {@code no answer}. */
    public static String answer(JournalEntry e) {
        return (e.status() == 0 ? "no answer" : String.valueOf(e.status())) + (e.fault() == null ? "" : " " + e.fault());
    }
}
