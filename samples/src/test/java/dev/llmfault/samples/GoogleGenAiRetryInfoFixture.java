package dev.llmfault.samples;

import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a user would write to check that google-genai waits as long as Gemini's 429 asks (its
 * {@code google.rpc.RetryInfo} {@code retryDelay}): with the SDK's default retries it does not, so this test
 * FAILS on {@code respectedRetryAfter()}. Run only through EngineTestKit by
 * {@link GoogleGenAiUnderFaultsTest#doesNotHonourRetryInfo()}, which checks the failure's message.
 */
@Tag("fixture")
@LlmFaultTest(provider = Provider.GEMINI)
class GoogleGenAiRetryInfoFixture {

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 3_000)
    void honoursRetryInfo(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        try (var client = GoogleGenAiUnderFaultsTest.client(baseUrl, null, 10_000)) { // the SDK's default retries
            assertThat(client.models.generateContent(GoogleGenAiUnderFaultsTest.MODEL, "hi", null).text())
                    .isEqualTo(GoogleGenAiUnderFaultsTest.REPLY);
        }

        LlmFaultAssertions.assertThat(journal)
                .hasAttempts(2)
                .respectedRetryAfter(); // fails: retried after 0-2 s (1 s +- 100 %), RetryInfo asked for 3 s
    }
}
