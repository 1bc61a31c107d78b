package dev.llmfault.samples;

import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmApiKey;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmCredentials;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultScenario.Match;
import dev.llmfault.junit.LlmFaultScenario.ShouldRetry;
import dev.llmfault.junit.LlmVersions;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.RequestJournal;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.UnaryOperator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

/**
 * The resilient client: it passes the whole {@link ChatClientContract} (every fault of the catalogue, the
 * token that expires mid-run, the rate window that fills), and here, what only it promises: the error names
 * the article's cause with the diagnostics to log, the key never leaks, tokens are renewed before they
 * expire, the pre-flight check, and streams.
 */
class ResilientChatClientTest extends ChatClientContract {
    private final List<String> log = Collections.synchronizedList(new ArrayList<>());

    /**
     * The contract's client: backoff from 150 ms (so its waits stand well above a busy machine's noise) and a
     * 2 s answer timeout: longer than a busy machine takes to answer, shorter than the contract's 3 s stall.
     */
    @Override
    protected Chat chat(URI baseUrl, Credentials credentials, MeterRegistry meters) {
        ResilientChatClient client = ResilientChatClient.builder(baseUrl)
                .credentials(credentials)
                .maxAttempts(4)
                .backoff(Duration.ofMillis(150), Duration.ofSeconds(2))
                .requestTimeout(Duration.ofSeconds(2))
                .meterRegistry(meters) // and its log lines go to SLF4J, where CapturedLogs reads them
                .build();
        return new Chat() {
            @Override
            public String ask(String prompt) {
                return client.ask(prompt);
            }

            @Override
            public String askStreaming(String prompt) {
                return client.askStreaming(prompt, piece -> { });
            }

            @Override
            public void prepare() {
                client.preflight();
            }

            @Override
            public String askWithTools(String prompt) {
                return client.askWithTools(prompt, java.util.List.of(WEATHER));
            }

            @Override
            public Forecast askForForecast(String prompt) {
                return client.askFor(prompt, Forecast.class, FORECAST_SCHEMA);
            }
        };
    }

    /** A client with fast backoff (these tests wait milliseconds), logging into {@link #log}. */
    private ResilientChatClient client(URI baseUrl, UnaryOperator<ResilientChatClient.Builder> tweak) {
        ResilientChatClient.Builder b = ResilientChatClient.builder(baseUrl)
                .apiKey(KEY)
                .maxAttempts(4)
                .backoff(Duration.ofMillis(10), Duration.ofMillis(200))
                .requestTimeout(Duration.ofSeconds(5))
                .log(log::add);
        return tweak.apply(b).build();
    }

    private ResilientChatClient client(URI baseUrl) {
        return client(baseUrl, b -> b);
    }

    // ---- the error names the cause ----

    /** Each fault no retry can fix fails the call at once with the article's cause and the answer's diagnostics. */
    @LlmFaultMatrix(faults = {Fault.MISSING_TOKEN, Fault.INVALID_TOKEN, Fault.EXPIRED_TOKEN, Fault.INSUFFICIENT_SCOPE,
            Fault.MALFORMED_BODY, Fault.MISSING_FIELD, Fault.WRONG_METHOD, Fault.QUOTA_EXCEEDED, Fault.IP_BLOCKED,
            Fault.REGION_BLOCKED, Fault.OLD_API_VERSION, Fault.MODEL_NOT_FOUND}, times = LlmFaultScenario.UNLIMITED)
    void namesTheArticlesCauseWithTheDiagnostics(FaultCase fault, @LlmBaseUrl URI baseUrl, RequestJournal journal) {
        LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(journal).gaveUpAfter(1);
        JournalEntry answer = journal.entries().get(0);
        assertThat(e.errorCause().articleNumber()).as(e.getMessage()).isEqualTo(fault.fault().cause().articleNumber());
        assertThat(e.status()).isEqualTo(answer.status());
        assertThat(e.attempts()).isEqualTo(1);
        assertThat(e.requestId()).contains(answer.responseHeader("x-request-id"));
        assertThat(e.getMessage()).startsWith("[cause " + fault.fault().cause().articleNumber() + " ");
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, retryAfterMs = 30)
    void givesUpAfterMaxAttemptsWithTheDiagnosticsOfTheLastAnswer(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(journal).gaveUpAfter(4).respectedRetryAfter();
        assertThat(e.attempts()).isEqualTo(4);
        assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.RATE_LIMIT_OR_QUOTA);
        assertThat(e.status()).isEqualTo(429);
        assertThat(e.errorCode()).isEqualTo("rate_limit_exceeded");
        assertThat(e.errorType()).isEqualTo("requests");
        assertThat(e.retryAfter()).contains(Duration.ofMillis(30));
        assertThat(e.rateLimitHeaders()).containsEntry("x-ratelimit-remaining-requests", "0")
                .containsEntry("retry-after-ms", "30");
        assertThat(e.requestId()).contains(journal.entries().get(3).responseHeader("x-request-id"));
        assertThat(e.getMessage()).startsWith("[cause 3 RATE_LIMIT_OR_QUOTA] HTTP 429 requests/rate_limit_exceeded: Rate limit reached")
                .contains("4 attempts");
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, retryAfterMs = 5_000)
    void failsFastWhenTheHintIsLongerThanItMayWait(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        LlmCallException e = catchThrowableOfType(LlmCallException.class,
                () -> client(baseUrl, b -> b.maxRetryAfter(Duration.ofSeconds(1))).ask("hi"));

        LlmFaultAssertions.assertThat(journal).didNotRetry().gaveUpAfter(1);
        assertThat(e.retryAfter()).contains(Duration.ofSeconds(5));
        assertThat(e.getMessage()).contains("retry after 5000 ms");
    }

    @Test
    @LlmFaultScenario(fault = Fault.QUOTA_EXCEEDED)
    void doesNotHammerASpentQuota(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(journal).didNotRetryNonRetryableFaults().gaveUpAfter(1);
        assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.RATE_LIMIT_OR_QUOTA);
        assertThat(e.errorCode()).isEqualTo("insufficient_quota");
    }

    @Test
    @LlmFaultScenario(fault = Fault.SERVER_ERROR, shouldRetry = ShouldRetry.FALSE)
    void obeysXShouldRetryFalse(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        catchThrowableOfType(LlmCallException.class, () -> client(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN, status = 401,
            body = "{\"error\":{\"code\":1200,\"message\":\"Authentication failed: Invalid token or permissions.\"}}")
    void namesTheCauseBehindAGatewaysCode1200(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(journal).gaveUpAfter(1);
        assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN);
        assertThat(e.errorCode()).isEqualTo("1200");
        assertThat(e.getMessage()).contains("Authentication failed: Invalid token or permissions.");
    }

    private static final String CANARY = "sk-canary-" + "9f8e7d6c5b4a39281706";

    @Test
    // a careless gateway that echoes the key it refused
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN, status = 401, body = "{\"error\":{\"message\":\"key " + CANARY
            + " refused, Authorization: Bearer " + CANARY + "\",\"type\":\"invalid_request_error\"}}")
    void neverWritesTheKeyIntoAMessageOrALogLine(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        LlmCallException e = catchThrowableOfType(LlmCallException.class,
                () -> client(baseUrl, b -> b.apiKey(CANARY)).ask("my secret plans"));

        LlmFaultAssertions.assertThat(journal).neverSentCredentialsInQuery().sentHeader("authorization", "Bearer sk-ca***1706");
        assertThat(e.getMessage()).doesNotContain(CANARY).contains(KeyMask.mask(CANARY));
        assertThat(e.providerMessage()).doesNotContain(CANARY);
        assertThat(e.keyMask()).isEqualTo("sk-ca***1706");
        assertThat(log).isNotEmpty().noneMatch(line -> line.contains(CANARY)).noneMatch(line -> line.contains("secret plans"));
        assertThat(String.join("\n", log)).contains("key=sk-ca***1706").contains("-> POST /chat/completions")
                .contains("<- 401 INVALID_OR_EXPIRED_TOKEN");
    }

    @Test
    @LlmVersions(retiredModels = "OPENAI:gpt-4-0314")
    void namesARetiredModelWithoutRetrying(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        LlmCallException e = catchThrowableOfType(LlmCallException.class,
                () -> client(baseUrl, b -> b.model("gpt-4-0314")).ask("hi"));

        LlmFaultAssertions.assertThat(journal).didNotRetryNonRetryableFaults().gaveUpAfter(1);
        assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.WRONG_API_VERSION);
        assertThat(e.getMessage()).contains("gpt-4-0314");
    }

    // ---- token lifecycle ----

    @Nested
    class TokenLifecycle {
        private OAuthClientCredentials tokens(FakeLlmServer server, Duration refreshSkew) {
            return OAuthClientCredentials.builder(URI.create(server.url() + "/oauth/token"), OAUTH_CLIENT, OAUTH_SECRET)
                    .refreshSkew(refreshSkew)
                    .build();
        }

        /**
         * A test scoped to its key (parallel tests on one server, a shared standalone server) sees the token requests
         * and the calls bearing their tokens when the client sends the test's key as its OAuth client secret.
         */
        // tag::key-scoped-token-refresh[]
        @Test
        @LlmFaultScenario(fault = Fault.EXPIRED_TOKEN, times = 1)
        void refreshesAnExpiredTokenInATestScopedToItsKey(FakeLlmServer server, @LlmBaseUrl URI baseUrl,
                                                          @LlmApiKey String apiKey, RequestJournal journal) {
            // the test's key as the OAuth client secret: the tokens it obtains count for the test's key
            Credentials tokens = OAuthClientCredentials.builder(URI.create(server.url() + "/oauth/token"), "my-app",
                    apiKey).build();
            ResilientChatClient client = ResilientChatClient.builder(baseUrl).credentials(tokens).build();

            assertThat(client.ask("hi")).isEqualTo(REPLY);

            LlmFaultAssertions.assertThat(journal)
                    .refreshedTokenBeforeRetrying() // token, 401, token, retry: all in the test's own journal
                    .hasRequestCount(4)
                    .hasAttempts(2);
        }
        // end::key-scoped-token-refresh[]

        /** A token of 1 s renewed 900 ms early: the second call, 150 ms later, already gets a new one, with no 401. */
        @Test
        @LlmCredentials(oauthClients = OAUTH_CLIENT + ":" + OAUTH_SECRET, tokenLifetimeMs = TOKEN_LIFETIME_MS)
        void renewsATokenBeforeItExpires(FakeLlmServer server, @LlmBaseUrl URI baseUrl, RequestJournal journal) {
            OAuthClientCredentials tokens = tokens(server, Duration.ofMillis(900));
            ResilientChatClient client = client(baseUrl, b -> b.credentials(tokens));
            assertThat(client.ask("first")).isEqualTo(REPLY);
            long renewable = System.nanoTime() + Duration.ofMillis(150).toNanos();
            await("the token to enter its renewal window").atMost(Duration.ofSeconds(5))
                    .pollInterval(Duration.ofMillis(10)).until(() -> System.nanoTime() >= renewable);

            assertThat(client.ask("second")).isEqualTo(REPLY);

            assertThat(tokens.tokensObtained()).isEqualTo(2);
            assertThat(journal.find(JournalQuery.all().path("/oauth/token"))).hasSize(2)
                    .allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
            LlmFaultAssertions.assertThat(journal).filteredOn(JournalQuery.all().fault(Fault.EXPIRED_TOKEN)).hasNoRequests();
        }

        /** The lenient server issues tokens to any client; the scenario says the first one expired. */
        @Test
        @LlmFaultScenario(fault = Fault.EXPIRED_TOKEN, times = 1)
        void refreshesAnExpiredTokenOnceAndReplays(FakeLlmServer server, @LlmBaseUrl URI baseUrl, RequestJournal journal) {
            OAuthClientCredentials tokens = tokens(server, Duration.ofSeconds(30));

            assertThat(client(baseUrl, b -> b.credentials(tokens)).ask("hi")).isEqualTo(REPLY);

            LlmFaultAssertions.assertThat(journal).refreshedTokenBeforeRetrying().hasAttempts(2);
            assertThat(tokens.tokensObtained()).isEqualTo(2);
        }

        @Test
        @LlmFaultScenario(fault = Fault.EXPIRED_TOKEN)
        void refreshesOnlyOnceWhenTheNewTokenIsRefusedToo(FakeLlmServer server, @LlmBaseUrl URI baseUrl,
                                                          RequestJournal journal) {
            OAuthClientCredentials tokens = tokens(server, Duration.ofSeconds(30));

            LlmCallException e = catchThrowableOfType(LlmCallException.class,
                    () -> client(baseUrl, b -> b.credentials(tokens)).ask("hi"));

            LlmFaultAssertions.assertThat(journal).gaveUpAfter(2).didNotRetryNonRetryableFaults();
            assertThat(tokens.tokensObtained()).isEqualTo(2);
            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN);
        }

        @Test
        @LlmFaultScenario(fault = Fault.INVALID_TOKEN)
        void doesNotRefreshAnInvalidToken(FakeLlmServer server, @LlmBaseUrl URI baseUrl, RequestJournal journal) {
            OAuthClientCredentials tokens = tokens(server, Duration.ofSeconds(30));

            catchThrowableOfType(LlmCallException.class, () -> client(baseUrl, b -> b.credentials(tokens)).ask("hi"));

            LlmFaultAssertions.assertThat(journal).gaveUpAfter(1);
            assertThat(tokens.tokensObtained()).isEqualTo(1);
        }
    }

    // ---- pre-flight ----

    @Nested
    class Preflight {
        @Test
        void passesWithAWorkingKeyAndAListedModel(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
            ResilientChatClient.Preflight result = client(baseUrl).preflight();

            assertThat(result.models()).contains("gpt-4o-mini");
            assertThat(journal.entries()).singleElement().satisfies(e -> {
                assertThat(e.method()).isEqualTo("GET");
                assertThat(e.path()).isEqualTo("/v1/models");
            });
        }

        @Test
        @LlmFaultScenario(fault = Fault.INVALID_TOKEN, match = @Match(path = "/v1/models"))
        void namesARefusedKey(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
            LlmCallException e = catchThrowableOfType(LlmCallException.class, () -> client(baseUrl).preflight());

            LlmFaultAssertions.assertThat(journal).gaveUpAfter(1);
            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN);
            assertThat(e.errorCode()).isEqualTo("invalid_api_key");
        }

        @Test
        void namesAModelTheProviderDoesNotList(@LlmBaseUrl URI baseUrl) {
            LlmCallException e = catchThrowableOfType(LlmCallException.class,
                    () -> client(baseUrl, b -> b.model("gpt-3.5-turbo-0301")).preflight());

            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.WRONG_API_VERSION);
            assertThat(e.getMessage()).contains("'gpt-3.5-turbo-0301' is not listed").contains("gpt-4o-mini");
        }

        /** Nothing listens on a port just released: connection refused, on every attempt. */
        @Test
        void namesAnUnreachableHost() throws IOException {
            int port;
            try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                port = socket.getLocalPort();
            }
            ResilientChatClient client = client(URI.create("http://127.0.0.1:" + port + "/v1"), b -> b.maxAttempts(2));

            LlmCallException e = catchThrowableOfType(LlmCallException.class, client::preflight);

            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.TRANSIENT);
            assertThat(e.status()).isZero();
            assertThat(e.attempts()).isEqualTo(2);
            assertThat(e.getMessage()).contains("no HTTP answer");
        }
    }

    // ---- streams ----

    @Nested
    class Streaming {
        private final List<String> pieces = Collections.synchronizedList(new ArrayList<>());

        @Test
        void deliversThePiecesInOrderAndReturnsTheWholeText(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
            String text = client(baseUrl).askStreaming("hi", pieces::add);

            assertThat(text).isEqualTo(REPLY);
            assertThat(pieces).hasSizeGreaterThan(1);
            assertThat(String.join("", pieces)).isEqualTo(REPLY);
            assertThat(journal.entries()).singleElement().satisfies(e -> assertThat(e.stream()).isTrue());
        }

        @Test
        @LlmFaultScenario(fault = Fault.STREAM_ERROR, times = 1, afterChunks = 3)
        void surfacesAnErrorEventAfterTextWasDeliveredWithoutRetrying(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
            LlmCallException e = catchThrowableOfType(LlmCallException.class,
                    () -> client(baseUrl).askStreaming("hi", pieces::add));

            LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.TRANSIENT);
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.errorType()).isEqualTo("server_error");
            assertThat(e.getMessage()).contains("error event inside the stream");
            assertThat(String.join("", pieces)).isNotEmpty().isNotEqualTo(REPLY);
        }

        @Test
        @LlmFaultScenario(fault = Fault.STREAM_ERROR, times = 1, afterChunks = 0)
        void retriesAnErrorEventThatCameBeforeAnyText(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
            assertThat(client(baseUrl).askStreaming("hi", pieces::add)).isEqualTo(REPLY);

            LlmFaultAssertions.assertThat(journal).hasAttempts(2);
            assertThat(String.join("", pieces)).isEqualTo(REPLY);
        }

        @Test
        @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, afterChunks = 3)
        void doesNotReportACutStreamAsAnAnswer(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
            LlmCallException e = catchThrowableOfType(LlmCallException.class,
                    () -> client(baseUrl).askStreaming("hi", pieces::add));

            // How many attempts depends on whether the JDK client handed out the first pieces before the
            // cut (it may drop what it had buffered): once text reached the caller there is no retry, so
            // the caller never gets text twice. Either way the cut stream is an error, not an answer.
            assertThat(journal.entries()).hasSizeBetween(1, 4)
                    .allSatisfy(r -> assertThat(r.fault()).isEqualTo(Fault.STREAM_INTERRUPTED));
            assertThat(e.errorCause()).isEqualTo(LlmCallException.Cause.TRANSIENT);
            assertThat(e.getMessage()).contains("stream cut after");
            assertThat(REPLY).startsWith(String.join("", pieces));
            assertThat(String.join("", pieces)).isNotEqualTo(REPLY);
        }

        @Test
        @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 100)
        void retriesARateLimitBeforeTheStreamStarts(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
            assertThat(client(baseUrl).askStreaming("hi", pieces::add)).isEqualTo(REPLY);

            LlmFaultAssertions.assertThat(journal).hasAttempts(2).respectedRetryAfter();
        }
    }
}
