package dev.llmfault.junit.internal;

import dev.llmfault.junit.LlmReplies;
import dev.llmfault.junit.LlmReply;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Reply;
import dev.llmfault.server.ReplyRule;

import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;

/**
 * Turns {@link LlmReply} annotations into reply rules. Every value is checked where the builder and the admin API
 * check it ({@code Reply.of} and {@code ReplyRule.Builder#build()}); the error adds the annotation, the place it
 * was declared and the element's value.
 *
 * <pre>{@code
 * List<ReplyRule> rules = ReplyAnnotations.forTest(testClass, method);   // class ones first
 * }</pre>
 */
public final class ReplyAnnotations {
    private static final String NAME = "LlmReply";

    private ReplyAnnotations() {
    }

    /** The rules declared for a test, class ones first (so a method's, added later, wins); fails on a wrong value. */
    public static List<ReplyRule> forTest(Class<?> testClass, Method method) {
        List<ReplyRule> out = new ArrayList<>();
        for (Declared<LlmReply> d : Declared.forTest(testClass, method, LlmReply.class, LlmReplies.class,
                LlmReplies::value)) {
            out.addAll(toRules(d));
        }
        return out;
    }

    static List<ReplyRule> toRules(Declared<LlmReply> declared) {
        LlmReply a = declared.annotation();
        String origin = declared.origin();
        List<Provider> providers = new ArrayList<>(new LinkedHashSet<>(List.of(a.provider())));
        if (providers.isEmpty()) {
            providers.add(null);
        }
        List<ReplyRule> out = new ArrayList<>();
        for (Provider provider : providers) {
            try {
                out.add(rule(a, provider, providers.size() > 1));
            } catch (IllegalArgumentException e) {
                String message = e.getMessage();
                int colon = message.indexOf(':');
                String field = colon > 0 ? message.substring(0, colon) : "text";
                throw ConfigErrors.invalid(NAME, field, valueOf(a, field), origin, message);
            }
        }
        return out;
    }

    private static ReplyRule rule(LlmReply a, Provider provider, boolean perProvider) {
        ReplyRule.Builder b = ReplyRule.builder();
        if (provider != null) b.provider(provider);
        boolean single = !a.text().isEmpty() || a.toolCalls().length > 0 || !a.json().isEmpty();
        if (a.sequence().length > 0) {
            if (single) {
                throw new IllegalArgumentException("sequence: a rule gives either one reply (text, toolCalls, json) or a"
                        + " sequence of them, not both");
            }
            List<Reply> replies = new ArrayList<>();
            for (int i = 0; i < a.sequence().length; i++) {
                LlmReply.Turn t = a.sequence()[i];
                try {
                    replies.add(reply(t.text(), t.toolCalls(), t.json()));
                } catch (IllegalArgumentException e) {
                    throw new IllegalArgumentException("sequence[" + i + "]." + e.getMessage(), e);
                }
            }
            b.sequence(replies);
        } else if (single) {
            b.reply(reply(a.text(), a.toolCalls(), a.json()));
        } else {
            throw new IllegalArgumentException("text: a reply rule needs what to answer: give text, toolCalls, json or"
                    + " a sequence");
        }
        if (a.priority() != LlmReply.UNSET) b.priority(a.priority());
        if (!a.id().isEmpty()) {
            b.id(perProvider ? a.id() + "-" + provider.name().toLowerCase(Locale.ROOT) : a.id());
        }
        LlmReply.Match m = a.match();
        if (!m.path().isEmpty()) b.matchPath(m.path());
        if (!m.model().isEmpty()) b.matchModel(m.model());
        if (!m.apiKey().isEmpty()) b.matchApiKey(m.apiKey());
        for (String line : m.headers()) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException("match.headers: invalid value '" + line + "', expected \"Name: value\"");
            }
            b.matchHeader(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
        if (!m.lastUserMessage().isEmpty()) b.matchLastUserMessage(m.lastUserMessage());
        if (!m.lastUserMessageRegex().isEmpty()) b.matchLastUserMessageRegex(m.lastUserMessageRegex());
        if (m.turn() != 0) b.matchTurn(m.turn());
        if (m.hasToolResult() != LlmReply.ToolResult.ANY) b.matchHasToolResult(m.hasToolResult() == LlmReply.ToolResult.YES);
        return b.build();
    }

    private static Reply reply(String text, LlmReply.ToolCall[] toolCalls, String json) {
        List<Conversation.ToolCall> calls = new ArrayList<>();
        for (int i = 0; i < toolCalls.length; i++) {
            LlmReply.ToolCall c = toolCalls[i];
            Reply parsed;
            try {
                parsed = Reply.toolCall(c.name(), c.arguments()); // the one check of a call's name and arguments
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(e.getMessage().replaceFirst("^toolCalls\\[0]", "toolCalls[" + i + "]"), e);
            }
            calls.add(new Conversation.ToolCall(c.id().isEmpty() ? null : c.id(), c.name(),
                    parsed.toolCalls().get(0).arguments()));
        }
        return Reply.of(text.isEmpty() ? null : text, calls, json.isEmpty() ? null : json);
    }

    /** The annotation's value at a field path named by the check ("match.turn", "sequence[1].toolCalls[0].name"). */
    static Object valueOf(LlmReply a, String field) {
        try {
            Object target = a;
            for (String part : field.split("\\.")) {
                int bracket = part.indexOf('[');
                String name = bracket < 0 ? part : part.substring(0, bracket);
                if (name.equals("apiKeyFingerprint")) {
                    return "***";
                }
                target = target.getClass().getMethod(name).invoke(target);
                if (bracket >= 0) {
                    target = Array.get(target, Integer.parseInt(part.substring(bracket + 1, part.indexOf(']'))));
                }
            }
            return target;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }
}
