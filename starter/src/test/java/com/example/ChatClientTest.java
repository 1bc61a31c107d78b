package com.example;

// tag::starter-test[]
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.assertj.core.api.Assertions.assertThat;

@LlmFaultTest // a fake LLM provider on 127.0.0.1 for this class, reset before each test
class ChatClientTest {

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 2, retryAfterMs = 1000) // two 429s, then an answer
    void waitsAsLongAsTheRateLimitAsks(@LlmBaseUrl(Provider.OPENAI) URI baseUrl, RequestJournal journal)
            throws Exception {
        var client = new ChatClient(baseUrl, "sk-test-0123456789abcdef", true); // true: honour Retry-After

        assertThat(client.ask("Say hello")).contains("\"choices\"");

        LlmFaultAssertions.assertThat(journal) // what the fake server saw, timed by the server
                .hasAttempts(3)                // the same request, sent three times
                .respectedRetryAfter();        // never sooner than the 1 s each 429 asked for
    }
}
// end::starter-test[]
