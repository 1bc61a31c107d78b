package dev.llmfault.junit.internal;

import dev.llmfault.server.Conversation;
import dev.llmfault.server.Conversation.Message;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The first way a retry's conversation differs from the attempt it repeats, compared by meaning: messages by role,
 * text, tool calls (name and arguments as JSON values) and the call a tool result answers; then the offered tools,
 * the output schema and the forced tool. Tool call ids may differ when they differ consistently (a provider whose
 * calls carry no id, a client that renames them): the first id met on one side must stay paired with the same id on
 * the other.
 *
 * <pre>{@code
 * ConversationDiff.first(attempt.conversation(), retry.conversation())
 *         // Optional[lost message 3 of 3: TOOL result for call_1 "18°C"]
 * }</pre>
 */
public final class ConversationDiff {
    private final Map<String, String> ids = new HashMap<>();
    private final Map<String, String> idsBack = new HashMap<>();

    private ConversationDiff() {
    }

    /** The first difference, said in words, or empty when the retry sent the same conversation. */
    public static Optional<String> first(Conversation attempt, Conversation retry) {
        return new ConversationDiff().compare(attempt, retry);
    }

    private Optional<String> compare(Conversation a, Conversation b) {
        List<Message> am = a.messages();
        List<Message> bm = b.messages();
        int n = Math.min(am.size(), bm.size());
        for (int i = 0; i < n; i++) {
            if (!same(am.get(i), bm.get(i))) {
                return Optional.of(messageDifference(am, bm, i));
            }
        }
        if (am.size() > bm.size()) {
            return Optional.of("lost message " + (n + 1) + " of " + am.size() + ": " + describe(am.get(n)));
        }
        if (bm.size() > am.size()) {
            return Optional.of(added(am, bm, n));
        }
        if (a.tools().size() != b.tools().size()) {
            return Optional.of("offered " + b.tools().size() + " tool(s) instead of " + a.tools().size() + ": "
                    + names(b.tools()) + " instead of " + names(a.tools()));
        }
        for (int i = 0; i < a.tools().size(); i++) {
            Conversation.Tool at = a.tools().get(i);
            Conversation.Tool bt = b.tools().get(i);
            if (!at.name().equals(bt.name()) || !ModelCalls.sameJson(at.parameters(), bt.parameters())) {
                return Optional.of("tool " + (i + 1) + " changed: " + bt.name() + " " + bt.parameters()
                        + " instead of " + at.name() + " " + at.parameters());
            }
        }
        if (!ModelCalls.sameJson(a.outputSchema(), b.outputSchema())) {
            return Optional.of("asked for the output schema " + b.outputSchema() + " instead of " + a.outputSchema());
        }
        if (!Objects.equals(a.forcedTool(), b.forcedTool())) {
            return Optional.of("forced the tool " + b.forcedTool() + " instead of " + a.forcedTool());
        }
        return Optional.empty();
    }

    /** A lost or added message when the rest lines up again after it, else the two messages side by side. */
    private String messageDifference(List<Message> am, List<Message> bm, int i) {
        if (am.size() == bm.size() + 1 && alignedFrom(am, i + 1, bm, i)) {
            return "lost message " + (i + 1) + " of " + am.size() + ": " + describe(am.get(i));
        }
        if (bm.size() == am.size() + 1 && alignedFrom(am, i, bm, i + 1)) {
            return added(am, bm, i);
        }
        return "message " + (i + 1) + " is " + describe(bm.get(i)) + " instead of " + describe(am.get(i));
    }

    private String added(List<Message> am, List<Message> bm, int i) {
        Message extra = bm.get(i);
        for (int k = 0; k < bm.size(); k++) {
            if (k != i && sameIgnoringIds(bm.get(k), extra)) {
                return "duplicated message " + (k + 1) + " as message " + (i + 1) + ": " + describe(extra);
            }
        }
        return "added message " + (i + 1) + " (the attempt had " + am.size() + "): " + describe(extra);
    }

    private boolean alignedFrom(List<Message> am, int ai, List<Message> bm, int bi) {
        for (; ai < am.size() && bi < bm.size(); ai++, bi++) {
            if (!sameIgnoringIds(am.get(ai), bm.get(bi))) {
                return false;
            }
        }
        return true;
    }

    private boolean same(Message a, Message b) {
        if (a.role() != b.role() || !a.text().equals(b.text()) || a.toolCalls().size() != b.toolCalls().size()) {
            return false;
        }
        for (int i = 0; i < a.toolCalls().size(); i++) {
            Conversation.ToolCall ac = a.toolCalls().get(i);
            Conversation.ToolCall bc = b.toolCalls().get(i);
            if (!ModelCalls.sameCall(ac, bc) || !pairIds(ac.id(), bc.id())) {
                return false;
            }
        }
        return a.toolCallId() == null ? b.toolCallId() == null : pairIds(a.toolCallId(), b.toolCallId());
    }

    private static boolean sameIgnoringIds(Message a, Message b) {
        if (a.role() != b.role() || !a.text().equals(b.text()) || a.toolCalls().size() != b.toolCalls().size()) {
            return false;
        }
        for (int i = 0; i < a.toolCalls().size(); i++) {
            if (!ModelCalls.sameCall(a.toolCalls().get(i), b.toolCalls().get(i))) {
                return false;
            }
        }
        return (a.toolCallId() == null) == (b.toolCallId() == null);
    }

    /** Pairs an id of the attempt with one of the retry; false when either is already paired otherwise. */
    private boolean pairIds(String a, String b) {
        if (a == null || b == null) {
            return a == b;
        }
        String known = ids.get(a);
        String knownBack = idsBack.get(b);
        if (known == null && knownBack == null) {
            ids.put(a, b);
            idsBack.put(b, a);
            return true;
        }
        return b.equals(known) && a.equals(knownBack);
    }

    private static String names(List<Conversation.Tool> tools) {
        return tools.stream().map(Conversation.Tool::name).toList().toString();
    }

    /** {@code USER "hi"}, {@code ASSISTANT calling get_weather({"city":"Paris"}) [call_1]}, {@code TOOL result for call_1 "18°C"}. */
    public static String describe(Message m) {
        StringBuilder out = new StringBuilder(m.role().name());
        if (m.role() == Conversation.Role.TOOL) {
            out.append(" result for ").append(m.toolCallId());
        }
        if (!m.text().isEmpty() || m.toolCalls().isEmpty()) {
            out.append(' ').append(Texts.quote(m.text()));
        }
        if (!m.toolCalls().isEmpty()) {
            out.append(" calling ");
            for (int i = 0; i < m.toolCalls().size(); i++) {
                Conversation.ToolCall c = m.toolCalls().get(i);
                out.append(i == 0 ? "" : ", ").append(ModelCalls.describe(c)).append(" [").append(c.id()).append(']');
            }
        }
        return out.toString();
    }
}
