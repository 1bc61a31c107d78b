package dev.llmfault.server.provider;

import dev.llmfault.server.Conversation;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.AgentConversation;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every provider's dialect reads the same agent conversation (a tool call, its result, the tool offered, an
 * output schema) out of its own request shapes, as the journal gives it back: the same {@link Conversation}
 * whatever the provider, so reply rules, agent validation and the agent assertions never look at field names.
 */
class ConversationReadingTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @ParameterizedTest
    @EnumSource(Provider.class)
    void everyRequestShapeReadsBackAsTheSameConversation(Provider p) {
        List<AgentConversation.Call> calls = ProviderFixture.of(p).agentCalls();
        assertThat(calls).as("agent calls of %s", p).isNotEmpty();
        for (int i = 0; i < calls.size(); i++) {
            AgentConversation.Call call = calls.get(i);
            Answer a = Http.send("POST", server.get().url().resolve(call.path()), Calls.headers(p), call.body());
            assertThat(a.status()).as("%s %s answered %s", p, call.path(), a.body()).isEqualTo(200);

            List<JournalEntry> entries = server.get().journal().awaitRequests(i + 1, Duration.ofSeconds(5));
            Conversation read = entries.get(i).conversation();

            assertThat(read).as("%s %s", p, call.path())
                    .isEqualTo(AgentConversation.expected(call.callId(), call.outputSchema()));
            assertThat(read.turn()).isEqualTo(2);
            assertThat(read.hasToolResult()).isTrue();
            assertThat(read.lastUserMessage()).isEqualTo(AgentConversation.QUESTION);
            assertThat(read.toolResult(call.callId())).map(Conversation.Message::text).hasValue(AgentConversation.RESULT);
        }
    }
}
