package dev.llmfault.server.internal.reply;

import dev.llmfault.server.Conversation;
import dev.llmfault.server.Conversation.Message;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Reply;
import dev.llmfault.server.ReplyRule;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/** Which rule answers: priority, then the newest; sequences by turn; the conversation read once, and only when needed. */
class ReplyEngineTest {
    private final ReplyEngine engine = new ReplyEngine();
    private final AtomicInteger conversationReads = new AtomicInteger();

    private ReplyEngine.Choice choose(Conversation c) {
        return choose(Provider.OPENAI, "gpt-4o", c);
    }

    private ReplyEngine.Choice choose(Provider p, String model, Conversation c) {
        return engine.choose(new ReplyEngine.Request(p, "/v1/chat/completions", Map.of("x-team", "blue"), null, model,
                () -> {
                    conversationReads.incrementAndGet();
                    return c;
                }));
    }

    private static Conversation user(String text) {
        return new Conversation(List.of(Message.user(text)), List.of(), null);
    }

    /** Turn 2 after a tool call: user, assistant with the call, the tool's result. */
    private static Conversation afterToolCall(String text) {
        Conversation.ToolCall call = new Conversation.ToolCall("call_1", "get_weather", null);
        return new Conversation(List.of(Message.user(text), Message.assistant("", List.of(call)),
                Message.toolResult("call_1", "18°C")), List.of(), null);
    }

    private static String text(ReplyEngine.Choice c) {
        return c == null ? null : c.reply().answerText();
    }

    @Test
    void noRuleMeansTheDefaultReplyAndNoConversationIsRead() {
        assertThat(choose(user("hi"))).isNull();
        engine.add(ReplyRule.builder().provider(Provider.ANTHROPIC).reply(Reply.text("a")).build());
        assertThat(choose(user("hi"))).isNull();
        assertThat(conversationReads).hasValue(0);
    }

    @Test
    void theNewestOfTheSamePriorityWinsAsInWireMock() {
        engine.add(ReplyRule.of(Reply.text("class default")));
        engine.add(ReplyRule.of(Reply.text("test override")));
        assertThat(text(choose(user("hi")))).isEqualTo("test override");
        assertThat(engine.list()).extracting(ReplyRule::id).containsExactly("r-2", "r-1");
    }

    @Test
    void aHigherPriorityWinsOverANewerRule() {
        engine.add(ReplyRule.builder().priority(1).reply(Reply.text("important")).build());
        engine.add(ReplyRule.of(Reply.text("newer, default priority")));
        engine.add(ReplyRule.builder().priority(9).reply(Reply.text("fallback")).build());
        assertThat(text(choose(user("hi")))).isEqualTo("important");
        assertThat(engine.list()).extracting(ReplyRule::priority).containsExactly(1, 5, 9);
    }

    @Test
    void aRuleThatDoesNotMatchLetsTheNextOneAnswer() {
        engine.add(ReplyRule.of(Reply.text("anything")));
        engine.add(ReplyRule.builder().matchLastUserMessage("weather").reply(Reply.text("weather")).build());
        engine.add(ReplyRule.builder().matchModel("gpt-4.1").reply(Reply.text("4.1")).build());
        assertThat(text(choose(user("what's the weather?")))).isEqualTo("weather");
        assertThat(text(choose(user("hello")))).isEqualTo("anything");
        assertThat(text(choose(Provider.OPENAI, "gpt-4.1", user("hello")))).isEqualTo("4.1");
    }

    @Test
    void matchesOnTheConversation() {
        engine.add(ReplyRule.builder().matchLastUserMessageRegex("(?i)^weather in \\w+$").reply(Reply.text("regex")).build());
        engine.add(ReplyRule.builder().matchHasToolResult(true).reply(Reply.text("with result")).build());
        engine.add(ReplyRule.builder().matchTurn(3).reply(Reply.text("turn 3")).build());
        engine.add(ReplyRule.builder().matchHeader("X-Team", "red").reply(Reply.text("red team")).build());
        assertThat(text(choose(user("Weather in Paris")))).isEqualTo("regex");
        assertThat(text(choose(user("Weather in Paris, please")))).isNull();
        assertThat(text(choose(afterToolCall("x")))).isEqualTo("with result");
        Conversation turn3 = new Conversation(List.of(Message.user("a"), Message.assistant("b", List.of()),
                Message.user("c"), Message.assistant("d", List.of()), Message.user("e")), List.of(), null);
        assertThat(text(choose(turn3))).isEqualTo("turn 3");
    }

    @Test
    void theConversationIsReadOnceWhateverTheNumberOfRules() {
        engine.add(ReplyRule.builder().matchLastUserMessage("a").reply(Reply.text("a")).build());
        engine.add(ReplyRule.builder().matchLastUserMessage("b").reply(Reply.text("b")).build());
        engine.add(ReplyRule.builder().matchLastUserMessage("c").reply(Reply.text("c")).build());
        assertThat(choose(user("zzz"))).isNull();
        assertThat(conversationReads).hasValue(1);
    }

    @Test
    void aSequenceAnswersByTurnAndLetsLaterTurnsFallThrough() {
        engine.add(ReplyRule.of(Reply.text("default of the test")));
        ReplyRule loop = engine.add(ReplyRule.builder()
                .sequence(Reply.toolCall("get_weather", Map.of("city", "Paris")), Reply.text("18°C in Paris"))
                .build());
        ReplyEngine.Choice first = choose(user("weather?"));
        assertThat(first.rule().id()).isEqualTo(loop.id());
        assertThat(first.turn()).isEqualTo(1);
        assertThat(first.reply().toolCalls()).extracting(Conversation.ToolCall::name).containsExactly("get_weather");
        assertThat(text(choose(afterToolCall("weather?")))).isEqualTo("18°C in Paris");
        // a retry of turn 2 gets the same reply: turns, not arrivals, pick it
        assertThat(text(choose(afterToolCall("weather?")))).isEqualTo("18°C in Paris");
        Conversation turn3 = new Conversation(List.of(Message.user("a"), Message.assistant("b", List.of()),
                Message.user("c"), Message.assistant("d", List.of()), Message.user("e")), List.of(), null);
        assertThat(text(choose(turn3))).isEqualTo("default of the test");
        assertThat(engine.answeredCount(loop.id())).isEqualTo(3);
    }

    @Test
    void resetBringsBackTheConfiguredRulesWithTheirIdsAndFreshCounters() {
        List<ReplyRule> start = engine.addAll(List.of(ReplyRule.of(Reply.text("configured"))));
        choose(user("x"));
        engine.add(ReplyRule.of(Reply.text("added later")));
        engine.resetTo(start);
        assertThat(engine.list()).extracting(ReplyRule::id).containsExactly("r-1");
        assertThat(engine.answeredCount("r-1")).isZero();
        assertThat(text(choose(user("x")))).isEqualTo("configured");
    }

    @Test
    void generatedToolCallIdsDependOnTheSeedTheRuleTheTurnAndThePosition() {
        long a = ReplyAnswers.seed(42, "r-1", 1, 0);
        assertThat(ReplyAnswers.seed(42, "r-1", 1, 0)).isEqualTo(a);
        assertThat(List.of(ReplyAnswers.seed(43, "r-1", 1, 0), ReplyAnswers.seed(42, "r-2", 1, 0),
                ReplyAnswers.seed(42, "r-1", 2, 0), ReplyAnswers.seed(42, "r-1", 1, 1))).doesNotContain(a).doesNotHaveDuplicates();
    }
}
