package dev.llmfault.samples;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The naive client under the same faults: each test proves, from the server's journal, one bug the
 * error-1200 article warns about. These assertions describe what the naive client DOES; the resilient
 * client's tests describe what a client SHOULD do, and the naive client fails them.
 */
class NaiveChatClientTest {
    private static final String KEY = "sk-test-naive-0123456789abcdef";
    private static final String REPLY = "Hello from LLM Fault Kit. This is a deterministic reply.";

    private FakeLlmServer server;
    private NaiveChatClient client;

    @BeforeEach
    void start() {
        server = FakeLlmServer.builder().replyText(REPLY).start();
        client = new NaiveChatClient(server.baseUrl(Provider.OPENAI), KEY);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @ParameterizedTest(name = "{0}")
    @EnumSource(value = Fault.class, names = {"MISSING_TOKEN", "INVALID_TOKEN", "INSUFFICIENT_SCOPE", "MALFORMED_BODY",
            "MISSING_FIELD", "WRONG_METHOD", "QUOTA_EXCEEDED", "IP_BLOCKED", "REGION_BLOCKED", "OLD_API_VERSION",
            "MODEL_NOT_FOUND"})
    void retriesFaultsThatNoRetryCanFix(Fault fault) {
        assertThat(fault.isRetryable()).isFalse();
        server.scenarios().add(Scenario.builder(fault).build());

        RuntimeException e = catchThrowableOfType(RuntimeException.class, () -> client.ask("hi"));

        List<JournalEntry> requests = JournalTimeline.settled(server.journal(), NaiveChatClient.ATTEMPTS);
        assertThat(requests).as("the same hopeless request, again and again%s", JournalTimeline.describe(requests))
                .hasSize(NaiveChatClient.ATTEMPTS)
                .allSatisfy(r -> assertThat(r.fault()).isEqualTo(fault));
        // ... and the error it throws names no cause, no provider message, no request id.
        assertThat(e).hasMessage("LLM call failed");
        assertThat(e.getCause()).hasMessageStartingWith("HTTP ");
    }

    @Test
    void retriesSoonerThanRetryAfter() {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(2).retryAfterMs(3_000).build());

        assertThat(client.ask("hi")).isEqualTo(REPLY);

        List<JournalEntry> requests = JournalTimeline.settled(server.journal(), 3);
        assertThat(requests).hasSize(3);
        Duration hint = requests.get(0).retryAfter().orElseThrow();
        assertThat(JournalTimeline.gaps(requests)).as("asked to wait %s%s", hint, JournalTimeline.describe(requests))
                .allSatisfy(gap -> assertThat(gap).isLessThan(hint));
    }

    @Test
    void neverRefreshesAnExpiredToken() {
        server.scenarios().add(Scenario.builder(Fault.EXPIRED_TOKEN).build());

        catchThrowableOfType(RuntimeException.class, () -> client.ask("hi"));

        List<JournalEntry> requests = JournalTimeline.settled(server.journal(), NaiveChatClient.ATTEMPTS);
        assertThat(requests).hasSize(NaiveChatClient.ATTEMPTS)
                .extracting(JournalEntry::apiKeyFingerprint).containsOnly(requests.get(0).apiKeyFingerprint());
    }

    @Test
    void reportsAStreamThatCarriedAnErrorEventAsAnAnswer() {
        server.scenarios().add(Scenario.builder(Fault.STREAM_ERROR).afterChunks(3).build());

        String text = client.askStreaming("hi");

        assertThat(JournalTimeline.settled(server.journal(), 1)).hasSize(1);
        assertThat(text).as("a truncated answer passed off as complete").isNotEmpty().isNotEqualTo(REPLY);
        assertThat(REPLY).startsWith(text);
    }
}
