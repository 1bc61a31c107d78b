package dev.llmfault.samples;

import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;
import io.github.resilience4j.retry.Retry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Resilience4j's {@link Retry} (io.github.resilience4j:resilience4j-retry 2.4.0) around a raw
 * {@code java.net.http} call, configured by {@link LlmRetry}: it must retry exactly the faults the
 * catalogue calls retryable ({@link FaultCase#isRetryable()}) and never sooner than the retry hint.
 */
@LlmFaultTest
class Resilience4jRetryUnderFaultsTest {
    private static final String KEY = "sk-test-resilience4j-0123456789abcdef";
    private static final int MAX_ATTEMPTS = 3;

    // The JDK default (HTTP/2 preferred) sends "Upgrade: h2c" on plain http: the fake must tolerate it.
    private final HttpClient http = HttpClient.newHttpClient();
    private final Retry retry = LlmRetry.of("openai", MAX_ATTEMPTS, new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));
    private URI baseUrl;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    // tag::resilience4j[]
    private HttpResponse<String> chat(Duration timeout) throws Throwable {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        return Retry.decorateCheckedSupplier(retry, () -> http.send(request, HttpResponse.BodyHandlers.ofString())).get();
    }

    /** Every HTTP error of the catalogue, always on: retried up to the limit when retryable, never otherwise. */
    @LlmFaultMatrix(kinds = Fault.Kind.HTTP_ERROR, times = LlmFaultScenario.UNLIMITED, retryAfterMs = 20)
    void retriesExactlyWhatTheCatalogueCallsRetryable(FaultCase fault, RequestJournal journal) throws Throwable {
        HttpResponse<String> last = chat(Duration.ofSeconds(5));

        if (fault.isRetryable()) {
            LlmFaultAssertions.assertThat(journal).gaveUpAfter(MAX_ATTEMPTS).respectedRetryAfter();
        } else {
            LlmFaultAssertions.assertThat(journal).didNotRetry().gaveUpAfter(1);
        }
        assertThat(last.statusCode()).isEqualTo(journal.last().orElseThrow().status());
    }
    // end::resilience4j[]

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 2, retryAfterMs = 150)
    void waitsAtLeastTheRetryHintBetweenAttempts(RequestJournal journal) throws Throwable {
        assertThat(chat(Duration.ofSeconds(5)).statusCode()).isEqualTo(200);

        LlmFaultAssertions.assertThat(journal).hasAttempts(3).respectedRetryAfter().waitedAtLeast(Duration.ofMillis(150));
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.CONNECTION_RESET)
    void retriesAResetUntilAttemptsRunOutThenThrows(RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> chat(Duration.ofSeconds(5)));

        assertThat(thrown).isInstanceOf(IOException.class);
        LlmFaultAssertions.assertThat(journal).gaveUpAfter(MAX_ATTEMPTS);
        assertThat(journal.entries()).allSatisfy(e -> assertThat(e.status()).isZero());
        assertThat(retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, times = 1)
    @LlmFaultScenario(fault = Fault.SLOW_RESPONSE, times = 1, delayMs = 1500)
    void retriesACutBodyAndATimeout(RequestJournal journal) throws Throwable {
        assertThat(chat(Duration.ofMillis(700)).statusCode()).isEqualTo(200);

        LlmFaultAssertions.assertThat(journal).hasAttempts(3);
        assertThat(journal.entries()).extracting(JournalEntry::fault)
                .containsExactly(Fault.STREAM_INTERRUPTED, Fault.SLOW_RESPONSE, null);
    }
}
