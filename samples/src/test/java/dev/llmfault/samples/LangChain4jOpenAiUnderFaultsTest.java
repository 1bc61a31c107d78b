package dev.llmfault.samples;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
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
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * LangChain4j's OpenAI models (dev.langchain4j:langchain4j-open-ai 1.19.0) pointed at the fake server:
 * what they really do. {@code OpenAiChatModel} retries every failure but the {@code NonRetriableException}s
 * (401/403 -> AuthenticationException, 404 -> ModelNotFoundException, other 4xx -> InvalidRequestException),
 * waiting 500 ms * 1.5^k plus up to 20 % jitter, whatever {@code Retry-After} says. The streaming model
 * never retries, and completes "normally" on an OpenAI error frame.
 */
class LangChain4jOpenAiUnderFaultsTest {
    private static final String KEY = "sk-test-langchain4j-0123456789abcdef";
    private static final String REPLY = "Hello from LLM Fault Kit. This is a deterministic reply.";

    private FakeLlmServer server;

    @BeforeEach
    void start() {
        server = FakeLlmServer.builder().replyText(REPLY).start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private OpenAiChatModel model(int maxRetries, Duration timeout) {
        return OpenAiChatModel.builder()
                .baseUrl(server.baseUrl(Provider.OPENAI).toString())
                .apiKey(KEY)
                .modelName("gpt-4o-mini")
                .maxRetries(maxRetries)
                .timeout(timeout)
                .build();
    }

    private List<JournalEntry> requests(int atLeast) {
        return JournalTimeline.settled(server.journal(), atLeast);
    }

    /** Fault (always on) -> what {@code chat} throws and how many requests it sent, with maxRetries 1. */
    static Stream<Arguments> everyFault() {
        return Stream.of(
                arguments(Fault.MISSING_TOKEN, AuthenticationException.class, 1),
                arguments(Fault.INVALID_TOKEN, AuthenticationException.class, 1),
                arguments(Fault.EXPIRED_TOKEN, AuthenticationException.class, 1),
                arguments(Fault.INSUFFICIENT_SCOPE, AuthenticationException.class, 1),
                arguments(Fault.MALFORMED_BODY, InvalidRequestException.class, 1),
                arguments(Fault.MISSING_FIELD, InvalidRequestException.class, 1),
                arguments(Fault.WRONG_METHOD, InvalidRequestException.class, 1),
                arguments(Fault.RATE_LIMITED, RateLimitException.class, 2),
                arguments(Fault.QUOTA_EXCEEDED, RateLimitException.class, 2), // a spent quota is retried too
                arguments(Fault.IP_BLOCKED, AuthenticationException.class, 1), // every 403 reads as a bad key
                arguments(Fault.REGION_BLOCKED, AuthenticationException.class, 1),
                arguments(Fault.OLD_API_VERSION, ModelNotFoundException.class, 1), // every 404 reads as a model
                arguments(Fault.MODEL_NOT_FOUND, ModelNotFoundException.class, 1),
                arguments(Fault.OVERLOADED, InternalServerException.class, 2),
                arguments(Fault.SERVER_ERROR, InternalServerException.class, 2),
                // Transport failures surface as the JDK client's bare RuntimeException around the IOException.
                arguments(Fault.CONNECTION_RESET, RuntimeException.class, 2),
                arguments(Fault.STREAM_INTERRUPTED, RuntimeException.class, 2),
                arguments(Fault.STREAM_ERROR, InternalServerException.class, 2));
    }

    @ParameterizedTest(name = "{0} -> {1} after {2} request(s)")
    @MethodSource("everyFault")
    void whatChatDoesUnderEachFault(Fault fault, Class<? extends Throwable> expected, int expectedRequests) {
        server.scenarios().add(Scenario.builder(fault).build());

        Throwable thrown = catchThrowable(() -> model(1, Duration.ofSeconds(10)).chat("hi"));

        List<JournalEntry> requests = requests(expectedRequests);
        assertThat(thrown).isExactlyInstanceOf(expected);
        if (expected == RuntimeException.class) {
            assertThat(thrown).hasCauseInstanceOf(IOException.class);
        }
        assertThat(requests).as(JournalTimeline.describe(requests)).hasSize(expectedRequests)
                .allSatisfy(e -> assertThat(e.fault()).isEqualTo(fault));
    }

    @Test
    void ignoresRetryAfterAndRetriesOnItsOwnSchedule() {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(1).retryAfterMs(3_000).build());

        assertThat(model(2, Duration.ofSeconds(10)).chat("hi")).isEqualTo(REPLY);

        List<JournalEntry> requests = requests(2);
        assertThat(requests).hasSize(2);
        Duration hint = requests.get(0).retryAfter().orElseThrow();
        Duration gap = JournalTimeline.gaps(requests).get(0);
        assertThat(hint).isEqualTo(Duration.ofMillis(3_000));
        assertThat(gap).as("retried %s after being told to wait %s", gap, hint)
                .isLessThan(hint)
                .isGreaterThanOrEqualTo(Duration.ofMillis(500));
    }

    @Test
    void backsOffFiveHundredMillisecondsTimesOnePointFive() {
        server.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).times(2).build());

        assertThat(model(2, Duration.ofSeconds(10)).chat("hi")).isEqualTo(REPLY);

        List<JournalEntry> requests = requests(3);
        assertThat(requests).extracting(JournalEntry::status).containsExactly(500, 500, 200);
        List<Duration> gaps = JournalTimeline.gaps(requests);
        assertThat(gaps.get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(500));
        assertThat(gaps.get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(750));
    }

    @Test
    void retriesATimeoutThenSucceeds() {
        server.scenarios().add(Scenario.builder(Fault.SLOW_RESPONSE).times(1).delayMs(2000).build());

        // The timeout must stay well above a cold JVM's first request, or the retry times out as well.
        assertThat(model(1, Duration.ofMillis(800)).chat("hi")).isEqualTo(REPLY);

        List<JournalEntry> requests = server.journal().awaitRequests(2, Duration.ofSeconds(5));
        assertThat(requests).extracting(JournalEntry::fault).containsExactly(Fault.SLOW_RESPONSE, null);
    }

    @Nested
    class Streaming {
        private final StringBuilder partials = new StringBuilder();

        private ChatResponse stream() throws Exception {
            return stream(Duration.ofSeconds(10));
        }

        private ChatResponse stream(Duration timeout) throws Exception {
            OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                    .baseUrl(server.baseUrl(Provider.OPENAI).toString())
                    .apiKey(KEY)
                    .modelName("gpt-4o-mini")
                    .timeout(timeout)
                    .build();
            CompletableFuture<ChatResponse> done = new CompletableFuture<>();
            model.chat("hi", new StreamingChatResponseHandler() {
                @Override
                public void onPartialResponse(String partial) {
                    partials.append(partial);
                }

                @Override
                public void onCompleteResponse(ChatResponse response) {
                    done.complete(response);
                }

                @Override
                public void onError(Throwable error) {
                    done.completeExceptionally(error);
                }
            });
            try {
                return done.get(10, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw (Exception) e.getCause();
            }
        }

        @Test
        void streamsTheWholeAnswer() throws Exception {
            ChatResponse response = stream();

            assertThat(response.aiMessage().text()).isEqualTo(REPLY);
            assertThat(partials).hasToString(REPLY);
        }

        @Test
        void completesNormallyOnAnErrorFrameWithATruncatedAnswer() throws Exception {
            server.scenarios().add(Scenario.builder(Fault.STREAM_ERROR).afterChunks(3).build());

            ChatResponse response = stream();

            // No exception, no error callback: the caller gets part of the answer as if it were all of it.
            assertThat(response.aiMessage().text()).isNotEmpty().isNotEqualTo(REPLY);
            assertThat(REPLY).startsWith(response.aiMessage().text());
            assertThat(response.finishReason()).isNull();
            assertThat(requests(1)).hasSize(1);
        }

        @Test
        void reportsACutStreamThroughOnError() {
            server.scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).afterChunks(3).build());

            Throwable thrown = catchThrowable(this::stream);

            assertThat(thrown).isExactlyInstanceOf(LangChain4jException.class);
            assertThat(partials.toString()).isNotEqualTo(REPLY);
            assertThat(requests(1)).hasSize(1);
        }

        @Test
        void itsTimeoutDoesNotCoverAStreamStalledAfterItsHeaders() throws Exception {
            // The JDK client's timeout ends when the headers arrive: a stream that stalls after them
            // waits as long as the server makes it wait, here well past the 300 ms timeout.
            server.scenarios().add(Scenario.builder(Fault.SLOW_RESPONSE).delayMs(800).build());

            long started = System.nanoTime();
            ChatResponse response = stream(Duration.ofMillis(300));
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(response.aiMessage().text()).isEqualTo(REPLY);
            assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(800)); // the server's stall, not a timeout
            assertThat(requests(1)).hasSize(1);
        }

        @Test
        void neverRetriesARateLimit() {
            server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(1).retryAfterMs(20).build());

            Throwable thrown = catchThrowable(this::stream);

            assertThat(thrown).isExactlyInstanceOf(RateLimitException.class);
            assertThat(requests(1)).hasSize(1);
        }
    }
}
