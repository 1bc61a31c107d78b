package dev.llmfault.samples;

import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user would write to check that LangChain4j waits as long as a 429 asks: it does not, so this test
 * FAILS on {@code respectedRetryAfter()}. Run only through EngineTestKit by
 * {@link LangChain4jOpenAiUnderFaultsTest#doesNotHonourRetryAfter()}, which checks the failure's message.
 */
// tag::langchain4j-fixture[]
@Tag("fixture")
@LlmFaultTest
class LangChain4jRetryAfterFixture {

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 3_000)
    void honoursRetryAfter(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        var model = LangChain4jOpenAiUnderFaultsTest.model(baseUrl, 2, Duration.ofSeconds(10));

        assertThat(model.chat("hi")).isEqualTo(LangChain4jOpenAiUnderFaultsTest.REPLY);

        LlmFaultAssertions.assertThat(journal)
                .hasAttempts(2)
                .waitedAtLeast(Duration.ofMillis(500))  // its own backoff: passes
                .respectedRetryAfter();                 // fails: retried after ~0.5 s, told to wait 3 s
    }
}
// end::langchain4j-fixture[]
