package dev.llmfault.samples;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.LangChain4jException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.model.openai.OpenAiStreamingChatModel;
import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.samples.LangChain4jCalls.Reaction;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * LangChain4j's OpenAI models (dev.langchain4j:langchain4j-open-ai 1.19.0) pointed at the fake server:
 * what they really do. {@code OpenAiChatModel} retries every failure but the {@code NonRetriableException}s
 * (401/403 -> AuthenticationException, 404 -> ModelNotFoundException, other 4xx -> InvalidRequestException),
 * waiting 500 ms * 1.5^k plus up to 20 % jitter, whatever {@code Retry-After} says
 * ({@link LangChain4jRetryAfterFixture} fails the kit's {@code respectedRetryAfter()}, run below). The
 * streaming model never retries, and completes "normally" on an OpenAI error frame.
 */
@LlmFaultTest
class LangChain4jOpenAiUnderFaultsTest {
    static final String KEY = "sk-test-langchain4j-0123456789abcdef";
    static final String REPLY = FakeLlmServer.DEFAULT_REPLY_TEXT;

    private URI baseUrl;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    static OpenAiChatModel model(URI baseUrl, int maxRetries, Duration timeout) {
        return OpenAiChatModel.builder()
                .baseUrl(baseUrl.toString())
                .apiKey(KEY)
                .modelName("gpt-4o-mini")
                .maxRetries(maxRetries)
                .timeout(timeout)
                .build();
    }

    /** Fault (always on) -> what {@code chat} throws and how many requests it sent, with maxRetries 1. */
    static final Map<Fault, Reaction> CHAT = new EnumMap<>(Map.ofEntries(
            Map.entry(Fault.MISSING_TOKEN, new Reaction(AuthenticationException.class, 1)),
            Map.entry(Fault.INVALID_TOKEN, new Reaction(AuthenticationException.class, 1)),
            Map.entry(Fault.EXPIRED_TOKEN, new Reaction(AuthenticationException.class, 1)),
            Map.entry(Fault.INSUFFICIENT_SCOPE, new Reaction(AuthenticationException.class, 1)),
            Map.entry(Fault.MALFORMED_BODY, new Reaction(InvalidRequestException.class, 1)),
            Map.entry(Fault.CONTEXT_LENGTH_EXCEEDED, new Reaction(InvalidRequestException.class, 1)),
            Map.entry(Fault.MISSING_FIELD, new Reaction(InvalidRequestException.class, 1)),
            Map.entry(Fault.WRONG_METHOD, new Reaction(InvalidRequestException.class, 1)),
            Map.entry(Fault.RATE_LIMITED, new Reaction(RateLimitException.class, 2)),
            Map.entry(Fault.QUOTA_EXCEEDED, new Reaction(RateLimitException.class, 2)), // a spent quota is retried too
            Map.entry(Fault.IP_BLOCKED, new Reaction(AuthenticationException.class, 1)), // every 403 reads as a bad key
            Map.entry(Fault.REGION_BLOCKED, new Reaction(AuthenticationException.class, 1)),
            Map.entry(Fault.OLD_API_VERSION, new Reaction(ModelNotFoundException.class, 1)), // every 404 reads as a model
            Map.entry(Fault.MODEL_NOT_FOUND, new Reaction(ModelNotFoundException.class, 1)),
            Map.entry(Fault.OVERLOADED, new Reaction(InternalServerException.class, 2)),
            Map.entry(Fault.SERVER_ERROR, new Reaction(InternalServerException.class, 2)),
            // Transport failures surface as the JDK client's bare RuntimeException around the IOException.
            Map.entry(Fault.CONNECTION_RESET, new Reaction(RuntimeException.class, 2)),
            Map.entry(Fault.STREAM_INTERRUPTED, new Reaction(RuntimeException.class, 2)),
            Map.entry(Fault.STREAM_ERROR, new Reaction(InternalServerException.class, 2))));

    @LlmFaultMatrix(allFaults = true, except = {Fault.SLOW_RESPONSE, Fault.STREAM_STALLED, Fault.LENGTH_TRUNCATED,
            Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS},
            times = LlmFaultScenario.UNLIMITED)
    void whatChatDoesUnderEachFault(FaultCase fault, RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> model(baseUrl, 1, Duration.ofSeconds(10)).chat("hi"));

        CHAT.get(fault.fault()).assertCall(thrown, fault.fault(), journal);
    }

    // tag::langchain4j-retry-after[]
    /** The kit's own assertion, run on LangChain4j through EngineTestKit: it fails, and says why. */
    @Test
    void doesNotHonourRetryAfter() {
        List<Event> finished = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(LangChain4jRetryAfterFixture.class))
                .configurationParameter("llmfault.timeline.print", "false")
                .execute().testEvents().finished().list();

        assertThat(finished).singleElement()
                .extracting(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .isInstanceOf(AssertionError.class)
                .extracting(Throwable::getMessage).asString()
                .contains("Expecting every retry to wait at least as long as the retry hint")
                .contains("whose answer (429 RATE_LIMITED) asked to wait 3000 ms");
    }
    // end::langchain4j-retry-after[]

    @Test
    @LlmFaultScenario(fault = Fault.SERVER_ERROR, times = 2)
    void backsOffFiveHundredMillisecondsTimesOnePointFive(RequestJournal journal) {
        assertThat(model(baseUrl, 2, Duration.ofSeconds(10)).chat("hi")).isEqualTo(REPLY);

        LlmFaultAssertions.assertThat(journal)
                .hasAttempts(3)
                .waitedAtLeast(Duration.ofMillis(500))
                .backedOffExponentially(1.5, 0.25); // 500 ms then 750 ms, each plus up to 20 % jitter
        assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(500, 500, 200);
    }

    @Test
    @LlmFaultScenario(fault = Fault.SLOW_RESPONSE, times = 1, delayMs = 2000)
    void retriesATimeoutThenSucceeds(RequestJournal journal) {
        // The timeout must stay well above a cold JVM's first request, or the retry times out as well.
        assertThat(model(baseUrl, 1, Duration.ofMillis(800)).chat("hi")).isEqualTo(REPLY);

        assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactly(Fault.SLOW_RESPONSE, null);
    }

    @Nested
    class Streaming {
        private final StringBuilder partials = new StringBuilder();

        private ChatResponse stream() throws Exception {
            return stream(Duration.ofSeconds(10));
        }

        private ChatResponse stream(Duration timeout) throws Exception {
            OpenAiStreamingChatModel model = OpenAiStreamingChatModel.builder()
                    .baseUrl(baseUrl.toString())
                    .apiKey(KEY)
                    .modelName("gpt-4o-mini")
                    .timeout(timeout)
                    .build();
            return LangChain4jCalls.stream(model, "hi", partials);
        }

        @Test
        void streamsTheWholeAnswer() throws Exception {
            ChatResponse response = stream();

            assertThat(response.aiMessage().text()).isEqualTo(REPLY);
            assertThat(partials).hasToString(REPLY);
        }

        @Test
        @LlmFaultScenario(fault = Fault.STREAM_ERROR, afterChunks = 3)
        void completesNormallyOnAnErrorFrameWithATruncatedAnswer(RequestJournal journal) throws Exception {
            ChatResponse response = stream();

            // No exception, no error callback: the caller gets part of the answer as if it were all of it.
            assertThat(response.aiMessage().text()).isNotEmpty().isNotEqualTo(REPLY);
            assertThat(REPLY).startsWith(response.aiMessage().text());
            assertThat(response.finishReason()).isNull();
            LlmFaultAssertions.assertThat(journal).hasRequestCount(1);
        }

        @Test
        @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, afterChunks = 3)
        void reportsACutStreamThroughOnError(RequestJournal journal) {
            Throwable thrown = catchThrowable(this::stream);

            assertThat(thrown).isExactlyInstanceOf(LangChain4jException.class);
            assertThat(partials.toString()).isNotEqualTo(REPLY);
            LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
        }

        @Test
        // The JDK client's timeout ends when the headers arrive: a stream that stalls after them
        // waits as long as the server makes it wait, here well past the 300 ms timeout.
        @LlmFaultScenario(fault = Fault.SLOW_RESPONSE, delayMs = 800)
        void itsTimeoutDoesNotCoverAStreamStalledAfterItsHeaders(RequestJournal journal) throws Exception {
            long started = System.nanoTime();
            ChatResponse response = stream(Duration.ofMillis(300));
            Duration waited = Duration.ofNanos(System.nanoTime() - started);

            assertThat(response.aiMessage().text()).isEqualTo(REPLY);
            assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(800)); // the server's stall, not a timeout
            LlmFaultAssertions.assertThat(journal).hasRequestCount(1);
        }

        @Test
        @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 20)
        void neverRetriesARateLimit(RequestJournal journal) {
            Throwable thrown = catchThrowable(this::stream);

            assertThat(thrown).isExactlyInstanceOf(RateLimitException.class);
            LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
        }
    }
}
