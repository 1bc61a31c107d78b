package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.AgentFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The agent assertions pass on a correct agent and fail, naming the bug, on a buggy one: real clients against a real
 * fake server, run through EngineTestKit. AgentJournalAssertTest covers each reading on hand-written journals.
 */
class AgentAssertionsTest {
    private static FixtureRun run;

    @BeforeAll
    static void runFixture() {
        run = FixtureRun.run(AgentFixture.class);
    }

    @Test
    void anAgentThatRetriesItsWholeConversationPassesEveryAssertion() {
        run.assertPassed("retriesTheWholeConversation");
        run.assertPassed("runsTheToolLoopThroughAFault");
    }

    @Test
    void anAgentThatTakesAToolCallForTheAnswerFailsResumedAfterToolCall() {
        assertThat(run.failure("ignoresTheToolCall"))
                .hasMessageContaining("Expecting the client to go on after each answer with tool calls")
                .hasMessageMatching("(?s).*- #\\d+'s answer called get_weather\\(\\{\"city\":\"Paris\"\\}\\) \\[call_\\w+\\],"
                        + " but no model call followed it: the tool loop stopped there.*");
    }

    @Test
    void anAgentThatStartsTheLoopOverFailsAndTheModelAskedForTheToolAgain() {
        assertThat(run.failure("startsTheToolLoopOverAfterAFault"))
                .hasMessageMatching("(?s).*- #\\d+ came after the fault at #\\d+ \\(429 RATE_LIMITED\\) without the result of"
                        + " get_weather\\(\\{\"city\":\"Paris\"\\}\\) \\(result first sent in #\\d+\\): the model asked for"
                        + " the tool again.*");
    }

    @Test
    void aRetryThatDropsTheToolResultFailsRetriedTheSameRequest() {
        assertThat(run.failure("retryDropsTheToolResult"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting every retry to re-send the same conversation")
                .hasMessageMatching("(?s).*- #\\d+ retried #\\d+ \\(429 RATE_LIMITED\\) but lost message 3 of 3: TOOL result"
                        + " for call_saved \"18°C\".*")
                .hasMessageContaining("POST /v1/chat/completions [OPENAI] -> 429 RATE_LIMITED (retry after 50 ms)");
    }

    @Test
    void anAgentThatStartsOverAfterAFaultFailsDidNotRepeatCompletedToolCalls() {
        assertThat(run.failure("startsOverAfterTheFault"))
                .hasMessageContaining("Expecting the client to keep the result of every tool call it completed before a fault")
                .hasMessageMatching("(?s).*- #\\d+ came after the fault at #\\d+ \\(429 RATE_LIMITED\\) without the result of"
                        + " get_weather\\(\\{\"city\":\"Paris\"\\}\\) \\(result first sent in #\\d+\\): the model will ask for"
                        + " the tool again.*");
    }

    @Test
    void retriesSpendTheirPromptAgainAndCrossTheBudget() {
        assertThat(run.failure("spendsOverTheBudget"))
                .hasMessageContaining("Expecting the model calls to spend at most:")
                .hasMessageMatching("(?s).*- #\\d+ took the total from \\d+ to \\d+ tokens, over the budget of 30.*")
                .hasMessageMatching("(?s).*#\\d+  prompt \\d+ \\+ answer 0 = \\d+, total \\d+  \\(500 SERVER_ERROR\\).*");
    }

    @Test
    void sentToolResultForNamesTheResultsThatWereSent() {
        assertThat(run.failure("sendsNoResultForAnUnknownCall"))
                .hasMessageContaining("Expecting a model call to carry the result of the tool call:")
                .hasMessageMatching("(?s).*- #\\d+: call_saved.*");
    }
}
