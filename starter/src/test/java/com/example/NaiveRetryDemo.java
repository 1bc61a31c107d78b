package com.example;

import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.Test;

import java.net.URI;

/**
 * The same test against a client that retries at once: it FAILS, and its message shows the retries that came
 * too soon. Its name does not end in {@code Test}, so {@code mvn test} leaves it out and the build stays green;
 * run it on purpose with {@code mvn test -Dtest=NaiveRetryDemo}.
 */
@LlmFaultTest
class NaiveRetryDemo {

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 2, retryAfterMs = 1000)
    void waitsAsLongAsTheRateLimitAsks(@LlmBaseUrl(Provider.OPENAI) URI baseUrl, RequestJournal journal)
            throws Exception {
        // tag::starter-naive[]
        var client = new ChatClient(baseUrl, "sk-test-0123456789abcdef", false); // false: retry at once

        client.ask("Say hello"); // the third attempt gets the answer

        LlmFaultAssertions.assertThat(journal).hasAttempts(3).respectedRetryAfter(); // fails: no wait at all
        // end::starter-naive[]
    }
}
