package dev.llmfault.server.replies;

import dev.llmfault.server.Conversation;
import dev.llmfault.server.Reply;
import dev.llmfault.server.ReplyRule;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** The one check of replies and rules (builder, admin API, config file and annotations all meet it): each message names the field, the value and what is allowed. */
class ReplyValidationTest {

    private static String message(Executable e) {
        return assertThrows(IllegalArgumentException.class, e).getMessage();
    }

    @Test
    void aReplyNamesWhatIsWrong() {
        assertThat(message(() -> Reply.toolCall("get weather", Map.of()))).startsWith("toolCalls[0].name: invalid value 'get weather'")
                .contains("A-Z a-z 0-9 _ . -");
        assertThat(message(() -> Reply.toolCall("get_weather", "[1,2]"))).startsWith("toolCalls[0].arguments: invalid value '[1,2]'")
                .contains("a JSON object");
        assertThat(message(() -> Reply.toolCall("get_weather", "{\"city\":"))).startsWith("toolCalls[0].arguments: invalid value")
                .contains("valid JSON");
        assertThat(message(() -> Reply.text("x").andToolCall("ok", Map.of()).andToolCall("not ok!", Map.of())))
                .startsWith("toolCalls[1].name: invalid value 'not ok!'");
        assertThat(message(() -> Reply.json("{\"a\":"))).startsWith("json: invalid value '{\"a\":'").contains("valid JSON");
        assertThat(message(() -> Reply.text(null))).startsWith("text: invalid value null, expected a string");
        assertThat(message(() -> Reply.of(null, List.of(), null))).startsWith("text:").contains("toolCalls or json");
        assertThat(message(() -> Reply.of("hi", List.of(), "{}"))).startsWith("json: a JSON reply is the whole answer")
                .contains("takes no text");
        assertThat(message(() -> Reply.toolCalls(List.of(new Conversation.ToolCall("call one", "f", null)))))
                .startsWith("toolCalls[0].id: invalid value 'call one'");
    }

    @Test
    void textAndToolCallsGoTogetherAsTheModelsDo() {
        Reply r = Reply.text("Let me check.").andToolCall("get_weather", Map.of("city", "Paris"));
        assertThat(r.text()).isEqualTo("Let me check.");
        assertThat(r.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments().path("city").asText()).isEqualTo("Paris");
            assertThat(c.id()).isNull();
        });
    }

    @Test
    void aRuleNamesWhatIsWrong() {
        assertThat(message(() -> ReplyRule.builder().build())).startsWith("reply: a rule needs what to answer");
        assertThat(message(() -> ReplyRule.builder().reply(Reply.text("x")).matchTurn(0).build()))
                .startsWith("match.turn: invalid value 0, expected an integer >= 1");
        assertThat(message(() -> ReplyRule.builder().sequence(Reply.text("a"), Reply.text("b")).matchTurn(2).build()))
                .startsWith("match.turn: invalid value 2").contains("a sequence answers turns 1 to 2 by itself");
        assertThat(message(() -> ReplyRule.builder().reply(Reply.text("x")).matchLastUserMessageRegex("(weather").build()))
                .startsWith("match.lastUserMessageRegex: invalid value '(weather', expected a Java regular expression")
                .contains("Unclosed group");
        assertThat(message(() -> ReplyRule.builder().reply(Reply.text("x")).priority(0).build()))
                .startsWith("priority: invalid value 0, expected an integer >= 1");
        assertThat(message(() -> ReplyRule.builder().reply(Reply.text("x")).matchPath("v1/chat").build()))
                .startsWith("match.path: invalid value 'v1/chat'");
        assertThat(message(() -> ReplyRule.builder().reply(Reply.text("x")).matchHeader("X-A", "1\r\nX-B: 2").build()))
                .startsWith("match.headers.x-a: invalid value");
        assertThat(message(() -> ReplyRule.builder().reply(Reply.text("x")).id("r 1").build())).startsWith("id: invalid value 'r 1'");
        String key = "sk-proj-abcdefghijklmnopqrstuvwxyz";
        assertThat(message(() -> ReplyRule.builder().reply(Reply.text("x")).matchApiKeyFingerprint(key, "m").build()))
                .doesNotContain(key).startsWith("match.apiKeyFingerprint: invalid value");
    }

    @Test
    void aRuleKeepsOnlyTheFingerprintOfAKey() {
        String key = "sk-proj-abcdefghijklmnopqrstuvwxyz";
        ReplyRule r = ReplyRule.builder().matchApiKey(key).reply(Reply.text("x")).build();
        assertThat(r.toString()).doesNotContain(key);
        assertThat(r.match().apiKeyFingerprint()).hasSize(64);
    }
}
