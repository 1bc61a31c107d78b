package dev.llmfault.junit;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.junit.internal.error.Offenders;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The agent assertions' reading of a journal, on journals written here: each one passes on what a correct agent
 * sends and fails on each bug with a message that names the first difference. AgentAssertionsTest proves the same
 * through EngineTestKit with real clients against a real server.
 */
class AgentJournalAssertTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String USER = "{\"role\":\"user\",\"content\":\"Weather in Paris?\"}";
    private static final String CALL = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\","
            + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"arguments\":\"{\\\"city\\\":\\\"Paris\\\"}\"}}]}";
    private static final String RESULT = "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"18°C\"}";
    private static final Conversation.ToolCall WEATHER = new Conversation.ToolCall("call_1", "get_weather",
            JSON.createObjectNode().put("city", "Paris"));

    /** A journal of OpenAI chat calls, written one by one. */
    private static final class Journal implements RequestJournal {
        final List<JournalEntry> entries = new ArrayList<>();

        Journal call(int status, Fault fault, JournalEntry.ModelCall modelCall, String... messages) {
            String body = "{\"model\":\"gpt-4o-mini\",\"messages\":[" + String.join(",", messages) + "],\"tools\":[{"
                    + "\"type\":\"function\",\"function\":{\"name\":\"get_weather\",\"parameters\":{\"type\":\"object\","
                    + "\"properties\":{\"city\":{\"type\":\"string\"}}}}}]}";
            long seq = entries.size() + 1;
            entries.add(new JournalEntry(seq, Instant.now(), seq * 1_000_000, "POST", "/v1/chat/completions", null,
                    Map.of("content-type", "application/json"), body, "127.0.0.1", Provider.OPENAI, "gpt-4o-mini",
                    false, null, null, fault, null, null, status, Map.of(), Duration.ZERO, JournalEntry.Origin.LOCAL,
                    null, null, null, null, modelCall));
            return this;
        }

        Journal ok(JournalEntry.ModelCall answer, String... messages) {
            return call(200, null, answer, messages);
        }

        Journal rateLimited(String... messages) {
            return call(429, Fault.RATE_LIMITED, new JournalEntry.ModelCall(10, 0, 0, List.of()), messages);
        }

        @Override
        public List<JournalEntry> entries() {
            return entries;
        }

        @Override
        public List<JournalEntry> awaitRequests(int count, Duration timeout) {
            return entries;
        }

        @Override
        public void clear() {
            entries.clear();
        }
    }

    private static JournalEntry.ModelCall text(int prompt, int answer) {
        return new JournalEntry.ModelCall(prompt, 0, answer, List.of());
    }

    private static JournalEntry.ModelCall toolCall() {
        return new JournalEntry.ModelCall(20, 0, 8, List.of(WEATHER));
    }

    private static String message(Throwable t) {
        assertThat(t).isInstanceOf(AssertionError.class);
        return t.getMessage();
    }

    // ---- retriedTheSameRequest ----

    @Test
    void aRetryOfTheSameConversationPassesWhateverItsKeyOrderSpacingAndRenamedIds() {
        String reordered = "{\"content\":\"Weather in Paris?\",  \"role\":\"user\"}";
        String renamedCall = CALL.replace("call_1", "call_A").replace("{\\\"city\\\":\\\"Paris\\\"}", "{ \\\"city\\\" : \\\"Paris\\\" }");
        String renamedResult = RESULT.replace("call_1", "call_A");
        Journal j = new Journal().rateLimited(USER, CALL, RESULT).ok(text(20, 5), reordered, renamedCall, renamedResult);

        LlmFaultAssertions.assertThat(j).retriedTheSameRequest();
    }

    @Test
    void aRetryThatLostTheToolResultFailsNamingIt() {
        Journal j = new Journal().rateLimited(USER, CALL, RESULT).ok(text(20, 5), USER, CALL);

        String m = message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).retriedTheSameRequest()));

        assertThat(m).contains("Expecting every retry to re-send the same conversation")
                .contains("#2 retried #1 (429 RATE_LIMITED) but lost message 3 of 3: TOOL result for call_1 \"18°C\"")
                .contains("Request timeline (server arrival times):");
        assertThat(Offenders.in(m)).containsExactly(2L);
    }

    @Test
    void aRetryThatDuplicatedAMessageFails() {
        Journal j = new Journal().rateLimited(USER).ok(text(20, 5), USER, USER);

        assertThat(message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).retriedTheSameRequest())))
                .contains("#2 retried #1 (429 RATE_LIMITED) but duplicated message 1 as message 2: USER \"Weather in Paris?\"");
    }

    @Test
    void aRetryThatChangedAToolResultFails() {
        Journal j = new Journal().rateLimited(USER, CALL, RESULT).ok(text(20, 5), USER, CALL, RESULT.replace("18°C", "19°C"));

        assertThat(message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).retriedTheSameRequest())))
                .contains("but message 3 is TOOL result for call_1 \"19°C\" instead of TOOL result for call_1 \"18°C\"");
    }

    @Test
    void aRetryThatMixedUpToolCallIdsFails() {
        String two = CALL.replace("}}]}", "}},{\"id\":\"call_2\",\"type\":\"function\",\"function\":{\"name\":\"get_weather\","
                + "\"arguments\":\"{\\\"city\\\":\\\"Rome\\\"}\"}}]}");
        String r2 = RESULT.replace("call_1", "call_2").replace("18°C", "21°C");
        String swapped = RESULT.replace("call_1", "call_2");
        String swapped2 = r2.replace("call_2", "call_1");
        Journal j = new Journal().rateLimited(USER, two, RESULT, r2).ok(text(20, 5), USER, two, swapped, swapped2);

        assertThat(message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).retriedTheSameRequest())))
                .contains("but message 3 is TOOL result for call_2 \"18°C\" instead of TOOL result for call_1 \"18°C\"");
    }

    @Test
    void withoutARetryThereIsNothingToCheck() {
        Journal j = new Journal().ok(text(20, 5), USER);

        assertThat(message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).retriedTheSameRequest())))
                .contains("but there was none: nothing to check");
    }

    // ---- resumedAfterToolCall, sentToolResultFor ----

    @Test
    void aClientThatSendsTheResultResumed() {
        Journal j = new Journal().ok(toolCall(), USER).ok(text(30, 5), USER, CALL, RESULT);

        LlmFaultAssertions.assertThat(j).resumedAfterToolCall().sentToolResultFor("call_1");
    }

    @Test
    void aClientThatStopsAtTheToolCallFails() {
        Journal j = new Journal().ok(toolCall(), USER);

        assertThat(message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).resumedAfterToolCall())))
                .contains("Expecting the client to go on after each answer with tool calls")
                .contains("#1's answer called get_weather({\"city\":\"Paris\"}) [call_1], but no model call followed it");
    }

    @Test
    void aClientThatAsksAgainWithoutTheResultFails() {
        Journal j = new Journal().ok(toolCall(), USER).ok(text(30, 5), USER, CALL);

        String m = message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).resumedAfterToolCall()));
        assertThat(m).contains("#2 carried no result for get_weather({\"city\":\"Paris\"}) [call_1], which #1's answer"
                + " asked for (it carried results for: none)");
        assertThat(message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).sentToolResultFor("call_1"))))
                .contains("Expecting a model call to carry the result of the tool call:")
                .contains("call_1 (get_weather({\"city\":\"Paris\"}), asked by #1's answer)")
                .contains("- #2: none");
    }

    @Test
    void anAnswerCutByAFaultAskedForNothing() {
        Journal j = new Journal().call(200, Fault.STREAM_INTERRUPTED, toolCall(), USER);

        assertThat(message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).resumedAfterToolCall())))
                .contains("the model called no tool: nothing to check");
    }

    // ---- didNotRepeatCompletedToolCalls ----

    @Test
    void aClientThatKeepsTheResultAfterAFaultPasses() {
        Journal j = new Journal().ok(toolCall(), USER).rateLimited(USER, CALL, RESULT).ok(text(30, 5), USER, CALL, RESULT);

        LlmFaultAssertions.assertThat(j).didNotRepeatCompletedToolCalls();
    }

    @Test
    void aClientThatStartsOverAfterAFaultFails() {
        Journal j = new Journal().ok(toolCall(), USER).rateLimited(USER, CALL, RESULT).ok(toolCall(), USER)
                .ok(text(30, 5), USER, CALL, RESULT);

        String m = message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).didNotRepeatCompletedToolCalls()));

        assertThat(m).contains("Expecting the client to keep the result of every tool call it completed before a fault")
                .contains("#3 came after the fault at #2 (429 RATE_LIMITED) without the result of"
                        + " get_weather({\"city\":\"Paris\"}) (result first sent in #2): the model asked for the tool again");
        assertThat(Offenders.in(m)).containsExactly(3L);
    }

    @Test
    void aClientThatRunsTheToolAgainAfterAFaultFails() {
        String again = CALL.replace("call_1", "call_2");
        String result2 = RESULT.replace("call_1", "call_2");
        Journal j = new Journal().rateLimited(USER, CALL, RESULT).ok(text(30, 5), USER, CALL, RESULT, again, result2);

        assertThat(message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).didNotRepeatCompletedToolCalls())))
                .contains("#2 came after the fault at #1 (429 RATE_LIMITED) with 2 results of get_weather({\"city\":\"Paris\"})"
                        + " (result first sent in #1): the tool ran again");
    }

    @Test
    void withoutAFaultAfterAToolResultThereIsNothingToCheck() {
        Journal j = new Journal().rateLimited(USER).ok(toolCall(), USER).ok(text(30, 5), USER, CALL, RESULT);

        assertThat(message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).didNotRepeatCompletedToolCalls())))
                .contains("nothing to check");
    }

    // ---- stayedWithinTokenBudget ----

    @Test
    void theBudgetCountsPromptAndAnswerOfEveryModelCallRetriesIncluded() {
        Journal j = new Journal().rateLimited(USER).ok(text(10, 5), USER); // 10 + 0, then 10 + 5

        LlmFaultAssertions.assertThat(j).stayedWithinTokenBudget(25);
        String m = message(catchThrowable(() -> LlmFaultAssertions.assertThat(j).stayedWithinTokenBudget(24)));
        assertThat(m).contains("Expecting the model calls to spend at most:")
                .contains("24 tokens")
                .contains("- #2 took the total from 10 to 25 tokens, over the budget of 24")
                .contains("#1  prompt 10 + answer 0 = 10, total 10  (429 RATE_LIMITED)")
                .contains("#2  prompt 10 + answer 5 = 15, total 25");
        assertThat(Offenders.in(m)).containsExactly(2L);
    }

    @Test
    void aNegativeBudgetIsRefused() {
        assertThatThrownBy(() -> LlmFaultAssertions.assertThat(new Journal()).stayedWithinTokenBudget(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("maxTokens: invalid value -1, expected 0 or more");
    }

    @Test
    void withoutCountsThereIsNothingToCheck() {
        assertThat(message(catchThrowable(() -> LlmFaultAssertions.assertThat(new Journal()).stayedWithinTokenBudget(10))))
                .contains("the journal holds none: nothing to check");
    }
}
