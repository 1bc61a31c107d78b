package dev.llmfault.server.replies;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Reply;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.testing.AgentConversation;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reply rules on every provider and every request shape it serves ({@link ProviderFixture#agentCalls()}): a
 * tool-call rule answers a call of the tool, plain and streamed, and a sequence follows the conversation as each
 * provider's SDK sends it, turn 1 (the question) getting the call and turn 2 (with the tool's result) the answer.
 * How each dialect frames a call is checked field by field in its own rendering test; here, that the same rule
 * reaches every one of them.
 */
class ProviderWideRepliesTest {
    static final String DEFAULT = "The default reply of this server.";
    static final String ANSWER = "Sunny and 18 degrees in Paris.";

    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.replyText(DEFAULT));

    private static FakeLlmServer s() {
        return server.get();
    }

    private static JournalEntry lastEntry() {
        List<JournalEntry> entries = s().journal().entries();
        return entries.get(entries.size() - 1);
    }

    /** Streams may be binary (Bedrock's event-stream): the JSON inside still names the tool. */
    private static String text(Answer a) {
        return new String(a.body().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8) + a.body();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aToolCallRuleAnswersACallOfTheToolPlainAndStreamed(Provider p) {
        ReplyRule rule = s().replies().add(ReplyRule.of(Reply.toolCall("lookup_forecast", Map.of("city", "Reykjavik"))));

        for (boolean stream : new boolean[] {false, true}) {
            Answer a = Calls.chat(s(), p, stream);
            assertThat(a.status()).as("%s stream=%s: %s", p, stream, a.body()).isEqualTo(200);
            assertThat(text(a)).as("%s stream=%s", p, stream).contains("lookup_forecast").contains("Reykjavik")
                    .doesNotContain(DEFAULT);
            assertThat(lastEntry().replyId()).isEqualTo(rule.id());
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aSequenceFollowsTheConversationOnEveryRequestShape(Provider p) {
        ProviderFixture f = ProviderFixture.of(p);
        ReplyRule loop = s().replies().add(ReplyRule.builder().matchLastUserMessage("weather")
                .sequence(Reply.toolCall(AgentConversation.TOOL, Map.of("city", "Paris")), Reply.text(ANSWER)).build());

        Answer first = Calls.chat(s(), p, Calls.headers(p), f.body(false, AgentConversation.QUESTION).toString());
        assertThat(first.body()).as("%s turn 1", p).contains(AgentConversation.TOOL).doesNotContain(ANSWER);

        for (AgentConversation.Call call : f.agentCalls()) {
            Answer second = Http.send("POST", s().url().resolve(call.path()), Calls.headers(p), call.body());
            assertThat(second.status()).as("%s %s: %s", p, call.path(), second.body()).isEqualTo(200);
            assertThat(second.body()).as("%s %s turn 2", p, call.path()).contains(ANSWER);
            assertThat(lastEntry().replyId()).isEqualTo(loop.id());
        }
        assertThat(s().replies().answeredCount(loop.id())).isEqualTo(1 + f.agentCalls().size());
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aRuleOnToolResultsAnswersOnlyTheTurnThatCarriesThem(Provider p) {
        ProviderFixture f = ProviderFixture.of(p);
        s().replies().add(ReplyRule.builder().matchHasToolResult(true).reply(Reply.text(ANSWER)).build());

        assertThat(Calls.chat(s(), p, false).body()).contains(DEFAULT);
        AgentConversation.Call call = f.agentCalls().get(0);
        assertThat(Http.send("POST", s().url().resolve(call.path()), Calls.headers(p), call.body()).body()).contains(ANSWER);
    }
}
