package dev.llmfault.server.internal.reply;

import dev.llmfault.server.Conversation;
import dev.llmfault.server.Reply;
import dev.llmfault.server.internal.dialect.Answer;
import dev.llmfault.server.internal.dialect.Dialect;

import java.util.ArrayList;
import java.util.List;

/**
 * Turns a chosen {@link Reply} into the fake model's {@link Answer}, giving each tool call without an id one in
 * the provider's format. The ids are deterministic: derived from the server's seed, the rule, the turn and the
 * call's position, so a run repeats itself and a retried request gets the very same ids.
 *
 * <pre>{@code
 * Answer a = ReplyAnswers.answer(choice, dialect, settings.seed());   // OpenAI: call_ + 24 characters
 * }</pre>
 */
public final class ReplyAnswers {
    private ReplyAnswers() {
    }

    public static Answer answer(ReplyEngine.Choice choice, Dialect dialect, long serverSeed) {
        Reply reply = choice.reply();
        if (reply.toolCalls().isEmpty()) {
            return Answer.of(reply.answerText());
        }
        List<Conversation.ToolCall> calls = new ArrayList<>(reply.toolCalls().size());
        for (int i = 0; i < reply.toolCalls().size(); i++) {
            Conversation.ToolCall c = reply.toolCalls().get(i);
            String id = c.id() != null ? c.id()
                    : dialect.toolCallId(c.name(), seed(serverSeed, choice.rule().id(), choice.turn(), i));
            calls.add(new Conversation.ToolCall(id, c.name(), c.arguments()));
        }
        return Answer.toolCalls(reply.answerText(), calls);
    }

    /** SplitMix64's finalizer over the inputs: well spread, and the same for the same inputs on every JVM. */
    static long seed(long serverSeed, String ruleId, int turn, int index) {
        long z = mix(serverSeed);
        z = mix(z ^ ruleId.hashCode());
        z = mix(z ^ turn);
        return mix(z ^ index);
    }

    private static long mix(long x) {
        long z = x + 0x9E3779B97F4A7C15L;
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
