package dev.llmfault.samples;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import io.github.resilience4j.retry.Retry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Resilience4j's {@link Retry} (io.github.resilience4j:resilience4j-retry 2.4.0) around a raw
 * {@code java.net.http} call, configured by {@link LlmRetry}: it must retry exactly the faults the
 * catalogue calls retryable ({@link Fault#isRetryable()}) and never sooner than the retry hint.
 */
class Resilience4jRetryUnderFaultsTest {
    private static final String KEY = "sk-test-resilience4j-0123456789abcdef";
    private static final int MAX_ATTEMPTS = 3;

    private FakeLlmServer server;
    // The JDK default (HTTP/2 preferred) sends "Upgrade: h2c" on plain http: the fake must tolerate it.
    private final HttpClient http = HttpClient.newHttpClient();
    private final Retry retry = LlmRetry.of("openai", MAX_ATTEMPTS, new Backoff(Duration.ofMillis(10), Duration.ofMillis(100)));

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> chat(Duration timeout) throws Throwable {
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.baseUrl(Provider.OPENAI) + "/chat/completions"))
                .timeout(timeout)
                .header("Authorization", "Bearer " + KEY)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();
        return Retry.decorateCheckedSupplier(retry, () -> http.send(request, HttpResponse.BodyHandlers.ofString())).get();
    }

    private List<JournalEntry> requests(int atLeast) {
        return JournalTimeline.settled(server.journal(), atLeast);
    }

    static Stream<Fault> httpErrorFaults() {
        return Arrays.stream(Fault.values()).filter(f -> f.kind() == Fault.Kind.HTTP_ERROR);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("httpErrorFaults")
    void retriesExactlyWhatTheCatalogueCallsRetryable(Fault fault) throws Throwable {
        server.scenarios().add(Scenario.builder(fault).retryAfterMs(20).build());

        HttpResponse<String> last = chat(Duration.ofSeconds(5));

        int expected = fault.isRetryable() ? MAX_ATTEMPTS : 1;
        List<JournalEntry> requests = requests(expected);
        assertThat(requests).as("%s is %sretryable%s", fault, fault.isRetryable() ? "" : "not ", JournalTimeline.describe(requests))
                .hasSize(expected);
        assertThat(last.statusCode()).isEqualTo(requests.get(expected - 1).status());
    }

    @Test
    void waitsAtLeastTheRetryHintBetweenAttempts() throws Throwable {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(2).retryAfterMs(150).build());

        assertThat(chat(Duration.ofSeconds(5)).statusCode()).isEqualTo(200);

        List<JournalEntry> requests = requests(3);
        assertThat(requests).hasSize(3);
        assertThat(JournalTimeline.gaps(requests)).allSatisfy(gap -> assertThat(gap).isGreaterThanOrEqualTo(Duration.ofMillis(150)));
        assertThat(retry.getMetrics().getNumberOfSuccessfulCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void retriesAResetUntilAttemptsRunOutThenThrows() {
        server.scenarios().add(Scenario.builder(Fault.CONNECTION_RESET).build());

        Throwable thrown = catchThrowable(() -> chat(Duration.ofSeconds(5)));

        assertThat(thrown).isInstanceOf(IOException.class);
        assertThat(requests(MAX_ATTEMPTS)).hasSize(MAX_ATTEMPTS).allSatisfy(e -> assertThat(e.status()).isZero());
        assertThat(retry.getMetrics().getNumberOfFailedCallsWithRetryAttempt()).isEqualTo(1);
    }

    @Test
    void retriesACutBodyAndATimeout() throws Throwable {
        server.scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).times(1).build());
        server.scenarios().add(Scenario.builder(Fault.SLOW_RESPONSE).times(1).delayMs(1500).build());

        assertThat(chat(Duration.ofMillis(700)).statusCode()).isEqualTo(200);

        List<JournalEntry> requests = server.journal().awaitRequests(3, Duration.ofSeconds(5));
        assertThat(requests).extracting(JournalEntry::fault)
                .containsExactly(Fault.STREAM_INTERRUPTED, Fault.SLOW_RESPONSE, null);
    }
}
