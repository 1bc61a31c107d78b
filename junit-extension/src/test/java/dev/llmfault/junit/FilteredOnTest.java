package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.ChatClient;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import org.assertj.core.error.AssertJMultipleFailuresError;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** {@code filteredOn} gives a new assertion (AssertJ's contract): the original still sees every request. */
class FilteredOnTest {
    static FakeLlmServer server;

    @BeforeAll
    static void oneRetriedCall() {
        server = FakeLlmServer.builder().scenario(Scenario.builder(Fault.SERVER_ERROR).times(1).build()).start();
        new ChatClient(server.baseUrl(Provider.OPENAI), "sk-filter-0123456789abcdef").maxAttempts(2).backoff(1, 1).ask("hi");
        server.journal().awaitRequests(2, Duration.ofSeconds(5));
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void theFilteredAssertionIsANewObjectAndTheOriginalIsUnchanged() {
        RequestJournalAssert all = LlmFaultAssertions.assertThat(server.journal());
        RequestJournalAssert errors = all.filteredOn(JournalQuery.all().status(500));

        assertThat(errors).isNotSameAs(all);
        errors.hasRequestCount(1);
        all.hasRequestCount(2);
        all.filteredOn(JournalQuery.all().status(200)).hasRequestCount(1);
        all.hasRequestCount(2);
    }

    @Test
    void aFilteredAssertionFailsOnTheFilteredRequestsWithTheirTimeline() {
        assertThatThrownBy(() -> LlmFaultAssertions.assertThat(server.journal())
                .filteredOn(JournalQuery.all().status(500)).hasRequestCount(2))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("-> 500 SERVER_ERROR")
                .hasMessageNotContaining("-> 200");
    }

    @Test
    void softlyTheFilteredFailureIsCollectedAndTheOriginalStillSeesAll() {
        assertThatThrownBy(() -> LlmFaultAssertions.assertSoftly(softly -> {
            RequestJournalAssert all = softly.assertThat(server.journal());
            all.filteredOn(JournalQuery.all().status(500)).hasRequestCount(5);
            all.hasRequestCount(2);
        })).isInstanceOf(AssertJMultipleFailuresError.class)
                .hasMessageContaining("Multiple Failures (1 failure)")
                .hasMessageContaining("5 request(s)%nbut it received:%n  1".formatted());
    }
}
