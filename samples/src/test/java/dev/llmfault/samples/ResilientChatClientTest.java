package dev.llmfault.samples;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * The resilient client against every fault of the catalogue: it recovers from what the catalogue calls
 * retryable and fails fast, naming the article's cause, on the rest. One server per test and the scenario
 * at the top of each test, so each converts one to one to {@code @LlmFaultTest} / {@code @LlmFaultScenario}.
 */
class ResilientChatClientTest {
    private static final String KEY = "sk-test-resilient-0123456789abcdef";
    private static final String REPLY = "Hello from LLM Fault Kit. This is a deterministic reply.";

    private FakeLlmServer server;
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    @BeforeEach
    void startServer() {
        server = FakeLlmServer.builder().replyText(REPLY).start();
    }

    @AfterEach
    void stopServer() {
        server.close();
    }

    /** A client with fast backoff (tests wait milliseconds, not seconds), capturing its log. */
    private ResilientChatClient client(UnaryOperator<ResilientChatClient.Builder> tweak) {
        ResilientChatClient.Builder b = ResilientChatClient.builder(server.baseUrl(Provider.OPENAI))
                .apiKey(KEY)
                .maxAttempts(4)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(200))
                .requestTimeout(Duration.ofSeconds(5))
                .log(log::add);
        return tweak.apply(b).build();
    }

    private ResilientChatClient client() {
        return client(b -> b);
    }

    private List<JournalEntry> requests(int atLeast) {
        return JournalTimeline.settled(server.journal(), atLeast);
    }

    /** Every fault once, on a plain call: what the catalogue's retry column says a correct client does. */
    @ParameterizedTest(name = "{0}")
    @EnumSource(Fault.class)
    void everyFaultOnceIsRecoveredOrFailsFastAsTheCatalogueSays(Fault fault) {
        server.scenarios().add(Scenario.builder(fault).provider(Provider.OPENAI).times(1)
                .retryAfterMs(50).delayMs(1200).afterChunks(1).build());
        ResilientChatClient client = client(b -> fault == Fault.SLOW_RESPONSE ? b.requestTimeout(Duration.ofMillis(400)) : b);

        switch (fault.retry()) {
            case ALWAYS, DEPENDS, CALLER_DECIDES -> {
                // Transient: rate limit, overload, server error, reset, and on a plain call a timeout
                // (SLOW_RESPONSE past the client's timeout), a cut body, a stream error rendered as a 500.
                assertThat(client.ask("hi")).isEqualTo(REPLY);
                List<JournalEntry> requests = requests(2);
                assertThat(requests).as(JournalTimeline.describe(requests)).hasSize(2);
                assertThat(requests.get(0).fault()).isEqualTo(fault);
                assertThat(requests.get(1).status()).isEqualTo(200);
                requests.get(0).retryAfter().ifPresent(hint ->
                        assertThat(JournalTimeline.gaps(requests).get(0)).isGreaterThanOrEqualTo(hint));
            }
            case NEVER, AFTER_REFRESH -> {
                // AFTER_REFRESH with a static key: there is nothing to refresh, so it fails fast too.
                LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client.ask("hi"));
                List<JournalEntry> requests = requests(1);
                assertThat(requests).as(JournalTimeline.describe(requests)).hasSize(1);
                assertThat(e.errorCause().articleNumber()).as(e.getMessage()).isEqualTo(fault.cause().articleNumber());
                assertThat(e.status()).isEqualTo(requests.get(0).status());
                assertThat(e.attempts()).isEqualTo(1);
                assertThat(e.requestId()).contains(requests.get(0).responseHeader("x-request-id"));
            }
        }
    }

    @Test
    void givesUpAfterMaxAttemptsWithTheDiagnosticsOfTheLastAnswer() {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).retryAfterMs(30).build());

        LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client().ask("hi"));

        List<JournalEntry> requests = requests(4);
        assertThat(requests).hasSize(4);
        assertThat(e.attempts()).isEqualTo(4);
        assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.RATE_LIMIT_OR_QUOTA);
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("rate_limit_exceeded");
        assertThat(e.errorType()).isEqualTo("requests");
        assertThat(e.retryAfter()).contains(Duration.ofMillis(30));
        assertThat(e.rateLimitHeaders()).containsEntry("x-ratelimit-remaining-requests", "0")
                .containsEntry("retry-after-ms", "30");
        assertThat(e.requestId()).contains(requests.get(3).responseHeader("x-request-id"));
        assertThat(e.getMessage()).startsWith("[cause 3 RATE_LIMIT_OR_QUOTA] HTTP 429 requests/rate_limit_exceeded: Rate limit reached")
                .contains("4 attempts");
    }

    @Test
    void neverRetriesBeforeTheRetryAfterHint() {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(2).retryAfterMs(200).build());

        assertThat(client().ask("hi")).isEqualTo(REPLY);

        List<JournalEntry> requests = requests(3);
        assertThat(requests).hasSize(3);
        List<Duration> gaps = JournalTimeline.gaps(requests);
        for (int i = 0; i < gaps.size(); i++) {
            assertThat(gaps.get(i)).as("gap after request %d%s", i + 1, JournalTimeline.describe(requests))
                    .isGreaterThanOrEqualTo(requests.get(i).retryAfter().orElseThrow());
        }
    }

    @Test
    void backsOffExponentiallyWhenNoHintIsGiven() {
        server.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).times(3).build());

        assertThat(client(b -> b.backoff(Duration.ofMillis(40), Duration.ofSeconds(1))).ask("hi")).isEqualTo(REPLY);

        List<JournalEntry> requests = requests(4);
        assertThat(requests).hasSize(4);
        List<Duration> gaps = JournalTimeline.gaps(requests);
        // Jitter keeps half to all of 40, 80, 160 ms: the lower halves must hold whatever the dice say.
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(20));
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
        assertThat(gaps.get(2)).isGreaterThanOrEqualTo(Duration.ofMillis(80));
    }

    @Test
    void failsFastWhenTheHintIsLongerThanItMayWait() {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).retryAfterMs(5_000).build());

        LlmCallException e = catchThrowableOfType(LlmCallException.class,
                () -> client(b -> b.maxRetryAfter(Duration.ofSeconds(1))).ask("hi"));

        assertThat(requests(1)).hasSize(1);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(e.getMessage()).contains("retry after 5000 ms");
    }

    @Test
    void doesNotHammerASpentQuota() {
        server.scenarios().add(Scenario.builder(Fault.QUOTA_EXCEEDED).build());

        LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client().ask("hi"));

        assertThat(requests(1)).hasSize(1);
        assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.RATE_LIMIT_OR_QUOTA);
        assertThat(e.errorCode()).isEqualTo("insufficient_quota");
    }

    @Test
    void obeysXShouldRetryFalse() {
        server.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).shouldRetry(false).build());

        catchThrowableOfType(LlmCallException.class, () -> client().ask("hi"));

        assertThat(requests(1)).hasSize(1);
    }

    @Test
    void namesTheCauseBehindAGatewaysCode1200() {
        server.scenarios().add(Scenario.builder(Fault.INVALID_TOKEN).status(401)
                .body("{\"error\":{\"code\":1200,\"message\":\"Authentication failed: Invalid token or permissions.\"}}")
                .build());

        LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client().ask("hi"));

        assertThat(requests(1)).hasSize(1);
        assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN);
        assertThat(e.errorCode()).isEqualTo("1200");
        assertThat(e.getMessage()).contains("Authentication failed: Invalid token or permissions.");
    }

    @Test
    void neverWritesTheKeyIntoAMessageOrALogLine() {
        String canary = "sk-canary-" + "9f8e7d6c5b4a39281706";
        server.scenarios().add(Scenario.builder(Fault.INVALID_TOKEN).status(401)
                // a careless gateway that echoes the key it refused
                .body("{\"error\":{\"message\":\"key " + canary + " refused, Authorization: Bearer " + canary + "\",\"type\":\"invalid_request_error\"}}")
                .build());

        LlmCallException e = catchThrowableOfType(LlmCallException.class,
                () -> client(b -> b.apiKey(canary)).ask("my secret plans"));

        assertThat(e.getMessage()).doesNotContain(canary).contains(KeyMask.mask(canary));
        assertThat(e.providerMessage()).doesNotContain(canary);
        assertThat(e.keyMask()).isEqualTo("sk-ca***1706");
        assertThat(log).isNotEmpty().noneMatch(line -> line.contains(canary)).noneMatch(line -> line.contains("secret plans"));
        assertThat(String.join("\n", log)).contains("key=sk-ca***1706").contains("-> POST /chat/completions")
                .contains("<- 401 INVALID_OR_EXPIRED_TOKEN");
    }

    @Nested
    class TokenRefresh {
        /** A credential source that hands out a new token on each refresh, counting refreshes. */
        final class RotatingTokens implements Credentials {
            private final AtomicInteger generation = new AtomicInteger(1);
            final AtomicInteger refreshes = new AtomicInteger();

            @Override
            public String current() {
                return "oauth-token-generation-" + generation.get() + "-abcdef";
            }

            @Override
            public boolean refreshAfterRejection(String rejected) {
                refreshes.incrementAndGet();
                generation.incrementAndGet();
                return true;
            }
        }

        @Test
        void refreshesAnExpiredTokenOnceAndReplays() {
            server.scenarios().add(Scenario.builder(Fault.EXPIRED_TOKEN).times(1).build());
            RotatingTokens tokens = new RotatingTokens();

            assertThat(client(b -> b.credentials(tokens)).ask("hi")).isEqualTo(REPLY);

            List<JournalEntry> requests = requests(2);
            assertThat(requests).hasSize(2);
            assertThat(tokens.refreshes).hasValue(1);
            assertThat(requests.get(1).apiKeyFingerprint()).isNotEqualTo(requests.get(0).apiKeyFingerprint());
            assertThat(requests.get(1).status()).isEqualTo(200);
        }

        @Test
        void refreshesOnlyOnceWhenTheNewTokenIsRefusedToo() {
            server.scenarios().add(Scenario.builder(Fault.EXPIRED_TOKEN).build());
            RotatingTokens tokens = new RotatingTokens();

            LlmCallException e = catchThrowableOfType(LlmCallException.class,
                    () -> client(b -> b.credentials(tokens)).ask("hi"));

            assertThat(requests(2)).hasSize(2);
            assertThat(tokens.refreshes).hasValue(1);
            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN);
        }

        @Test
        void doesNotRefreshAnInvalidToken() {
            server.scenarios().add(Scenario.builder(Fault.INVALID_TOKEN).build());
            RotatingTokens tokens = new RotatingTokens();

            catchThrowableOfType(LlmCallException.class, () -> client(b -> b.credentials(tokens)).ask("hi"));

            assertThat(requests(1)).hasSize(1);
            assertThat(tokens.refreshes).hasValue(0);
        }
    }

    @Nested
    class Preflight {
        @Test
        void passesWithAWorkingKeyAndAListedModel() {
            ResilientChatClient.Preflight result = client().preflight();

            assertThat(result.models()).contains("gpt-4o-mini");
            List<JournalEntry> requests = requests(1);
            assertThat(requests).singleElement().satisfies(e -> {
                assertThat(e.method()).isEqualTo("GET");
                assertThat(e.path()).isEqualTo("/v1/models");
            });
        }

        @Test
        void namesARefusedKey() {
            server.scenarios().add(Scenario.builder(Fault.INVALID_TOKEN).matchPath("/v1/models").build());

            LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client().preflight());

            assertThat(requests(1)).hasSize(1);
            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN);
            assertThat(e.errorCode()).isEqualTo("invalid_api_key");
        }

        @Test
        void namesAModelTheProviderDoesNotList() {
            LlmCallException e = catchThrowableOfType(LlmCallException.class,
                    () -> client(b -> b.model("gpt-3.5-turbo-0301")).preflight());

            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.WRONG_API_VERSION);
            assertThat(e.getMessage()).contains("'gpt-3.5-turbo-0301' is not listed").contains("gpt-4o-mini");
        }

        @Test
        void namesAnUnreachableHost() {
            ResilientChatClient client = client(b -> b.maxAttempts(2));
            server.close();

            LlmCallException e = catchThrowableOfType(LlmCallException.class, client::preflight);

            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.TRANSIENT);
            assertThat(e.status()).isZero();
            assertThat(e.attempts()).isEqualTo(2);
            assertThat(e.getMessage()).contains("no HTTP answer");
        }
    }

    @Nested
    class Streaming {
        private final List<String> pieces = Collections.synchronizedList(new ArrayList<>());

        @Test
        void deliversThePiecesInOrderAndReturnsTheWholeText() {
            String text = client().askStreaming("hi", pieces::add);

            assertThat(text).isEqualTo(REPLY);
            assertThat(pieces).hasSizeGreaterThan(1);
            assertThat(String.join("", pieces)).isEqualTo(REPLY);
            assertThat(requests(1)).singleElement().satisfies(e -> assertThat(e.stream()).isTrue());
        }

        @Test
        void surfacesAnErrorEventAfterTextWasDeliveredWithoutRetrying() {
            server.scenarios().add(Scenario.builder(Fault.STREAM_ERROR).times(1).afterChunks(3).build());

            LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client().askStreaming("hi", pieces::add));

            assertThat(requests(1)).hasSize(1);
            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.TRANSIENT);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.errorType()).isEqualTo("server_error");
            assertThat(e.getMessage()).contains("error event inside the stream");
            assertThat(String.join("", pieces)).isNotEmpty().isNotEqualTo(REPLY);
        }

        @Test
        void retriesAnErrorEventThatCameBeforeAnyText() {
            server.scenarios().add(Scenario.builder(Fault.STREAM_ERROR).times(1).afterChunks(0).build());

            assertThat(client().askStreaming("hi", pieces::add)).isEqualTo(REPLY);

            assertThat(requests(2)).hasSize(2);
            assertThat(String.join("", pieces)).isEqualTo(REPLY);
        }

        @Test
        void doesNotReportACutStreamAsAnAnswer() {
            server.scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).afterChunks(3).build());

            LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client().askStreaming("hi", pieces::add));

            // How many attempts depends on whether the JDK client handed out the first pieces before the
            // reset (it may drop what it had buffered): once text reached the caller there is no retry, so
            // the caller never gets text twice. Either way the cut stream is an error, not an answer.
            List<JournalEntry> requests = requests(1);
            assertThat(requests).hasSizeBetween(1, 4).allSatisfy(r -> assertThat(r.fault()).isEqualTo(Fault.STREAM_INTERRUPTED));
            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.TRANSIENT);
            assertThat(e.getMessage()).contains("stream cut after");
            assertThat(REPLY).startsWith(String.join("", pieces));
            assertThat(String.join("", pieces)).isNotEqualTo(REPLY);
        }

        @Test
        void retriesARateLimitBeforeTheStreamStarts() {
            server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(1).retryAfterMs(100).build());

            assertThat(client().askStreaming("hi", pieces::add)).isEqualTo(REPLY);

            List<JournalEntry> requests = requests(2);
            assertThat(requests).hasSize(2);
            assertThat(JournalTimeline.gaps(requests).get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(100));
        }
    }
}
