package dev.llmfault.samples;

// tag::quickstart[]
import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

@LlmFaultTest // a fake provider on 127.0.0.1 for this class, reset before each test
class QuickStartTest {

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 2, retryAfterMs = 200) // two 429s, then an answer
    void recoversFromARateLimit(@LlmBaseUrl(Provider.OPENAI) URI baseUrl, RequestJournal journal) {
        var client = ResilientChatClient.builder(baseUrl).apiKey("sk-test-0123456789abcdef").build();

        assertThat(client.ask("Say hello")).isNotBlank();

        LlmFaultAssertions.assertThat(journal) // what the server saw, timed by the server
                .hasAttempts(3)                // the same request, sent three times
                .respectedRetryAfter();        // never sooner than the 200 ms the 429s asked for
    }

    // One run per fault, each named like [INVALID_TOKEN on OPENAI]; the fault is injected once.
    @LlmFaultMatrix(faults = {Fault.INVALID_TOKEN, Fault.QUOTA_EXCEEDED, Fault.OVERLOADED})
    void retriesOnlyWhatARetryCanFix(FaultCase fault, @LlmBaseUrl URI baseUrl, RequestJournal journal) {
        var client = ResilientChatClient.builder(baseUrl).apiKey("sk-test-0123456789abcdef").build();

        Throwable thrown = catchThrowable(() -> client.ask("Say hello"));

        if (fault.isRetryable()) { // the catalogue's retry column
            assertThat(thrown).isNull();
            LlmFaultAssertions.assertThat(journal).hasAttempts(2);
        } else {
            assertThat(thrown).isInstanceOf(LlmCallException.class);
            LlmFaultAssertions.assertThat(journal).didNotRetryNonRetryableFaults().gaveUpAfter(1);
        }
    }
}
// end::quickstart[]
