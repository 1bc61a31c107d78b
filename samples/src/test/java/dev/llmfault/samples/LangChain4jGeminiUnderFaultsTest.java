package dev.llmfault.samples;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.googleai.GoogleAiGeminiChatModel;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
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
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * LangChain4j's Gemini models (dev.langchain4j:langchain4j-google-ai-gemini 1.19.0) pointed at the fake Gemini
 * API: what they really do. They call {@code /v1beta/models/{model}:generateContent} with the key in
 * {@code x-goog-api-key} and map statuses like every LangChain4j model (401/403 AuthenticationException, 404
 * ModelNotFoundException, other 4xx InvalidRequestException, 429 RateLimitException, 5xx InternalServerException),
 * so Gemini's 400 for a bad key reads as an invalid request, not as an authentication failure.
 */
@LlmFaultTest(provider = Provider.GEMINI)
class LangChain4jGeminiUnderFaultsTest {
    static final String KEY = "AIzaSyTest-langchain4j-0123456789ab";
    static final String REPLY = FakeLlmServer.DEFAULT_REPLY_TEXT;

    private URI baseUrl;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    /** LangChain4j's base URL includes the API version. */
    static String geminiBaseUrl(URI baseUrl) {
        return baseUrl.toString().replaceAll("/$", "") + "/v1beta";
    }

    static GoogleAiGeminiChatModel model(URI baseUrl, int maxRetries, Duration timeout) {
        return GoogleAiGeminiChatModel.builder()
                .baseUrl(geminiBaseUrl(baseUrl))
                .apiKey(KEY)
                .modelName("gemini-2.5-flash")
                .maxRetries(maxRetries)
                .timeout(timeout)
                .build();
    }

    /** Fault (always on) -> what {@code chat} throws and how many requests it sent, with maxRetries 1. */
    static final Map<Fault, Reaction> CHAT = new EnumMap<>(Map.ofEntries(
            Map.entry(Fault.MISSING_TOKEN, new Reaction(AuthenticationException.class, 1)),   // 403
            Map.entry(Fault.INVALID_TOKEN, new Reaction(InvalidRequestException.class, 1)),   // Gemini's 400
            Map.entry(Fault.EXPIRED_TOKEN, new Reaction(InvalidRequestException.class, 1)),   // Gemini's 400
            Map.entry(Fault.INSUFFICIENT_SCOPE, new Reaction(AuthenticationException.class, 1)),
            Map.entry(Fault.MALFORMED_BODY, new Reaction(InvalidRequestException.class, 1)),
            Map.entry(Fault.CONTEXT_LENGTH_EXCEEDED, new Reaction(InvalidRequestException.class, 1)),
            Map.entry(Fault.MISSING_FIELD, new Reaction(InvalidRequestException.class, 1)),
            Map.entry(Fault.WRONG_METHOD, new Reaction(ModelNotFoundException.class, 1)),     // every 404 reads as a model
            Map.entry(Fault.RATE_LIMITED, new Reaction(RateLimitException.class, 2)),
            Map.entry(Fault.QUOTA_EXCEEDED, new Reaction(RateLimitException.class, 2)),
            Map.entry(Fault.IP_BLOCKED, new Reaction(AuthenticationException.class, 1)),
            Map.entry(Fault.REGION_BLOCKED, new Reaction(InvalidRequestException.class, 1)),  // 400 FAILED_PRECONDITION
            Map.entry(Fault.OLD_API_VERSION, new Reaction(ModelNotFoundException.class, 1)),
            Map.entry(Fault.MODEL_NOT_FOUND, new Reaction(ModelNotFoundException.class, 1)),
            Map.entry(Fault.OVERLOADED, new Reaction(InternalServerException.class, 2)),
            Map.entry(Fault.SERVER_ERROR, new Reaction(InternalServerException.class, 2)),
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

    @Test
    void answersOnTheV1betaPath(RequestJournal journal) {
        assertThat(model(baseUrl, 0, Duration.ofSeconds(10)).chat("hi")).isEqualTo(REPLY);

        assertThat(journal.entries()).singleElement().extracting(JournalEntry::path)
                .isEqualTo("/v1beta/models/gemini-2.5-flash:generateContent");
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 3000)
    void ignoresRetryInfo(RequestJournal journal) {
        long started = System.nanoTime();
        assertThat(model(baseUrl, 1, Duration.ofSeconds(10)).chat("hi")).isEqualTo(REPLY);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofMillis(3000));
        assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(429, 200);
    }

    @Nested
    class Streaming {
        private final StringBuilder partials = new StringBuilder();

        private ChatResponse stream() throws Exception {
            GoogleAiGeminiStreamingChatModel model = GoogleAiGeminiStreamingChatModel.builder()
                    .baseUrl(geminiBaseUrl(baseUrl))
                    .apiKey(KEY)
                    .modelName("gemini-2.5-flash")
                    .timeout(Duration.ofSeconds(10))
                    .build();
            return LangChain4jCalls.stream(model, "hi", partials);
        }

        @Test
        void streamsTheWholeAnswer(RequestJournal journal) throws Exception {
            ChatResponse response = stream();

            assertThat(response.aiMessage().text()).isEqualTo(REPLY);
            assertThat(partials).hasToString(REPLY);
            assertThat(journal.entries()).singleElement().extracting(JournalEntry::path)
                    .isEqualTo("/v1beta/models/gemini-2.5-flash:streamGenerateContent");
        }

        @Test
        @LlmFaultScenario(fault = Fault.STREAM_ERROR, afterChunks = 3)
        void completesNormallyOnAnErrorFrameWithATruncatedAnswer(RequestJournal journal) throws Exception {
            ChatResponse response = stream();

            // The error frame parses as an empty chunk: no exception, part of the answer as if it were all of it.
            assertThat(REPLY).startsWith(response.aiMessage().text());
            assertThat(response.aiMessage().text()).isNotEqualTo(REPLY);
            LlmFaultAssertions.assertThat(journal).hasRequestCount(1);
        }

        @Test
        @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, afterChunks = 3)
        void reportsACutStreamThroughOnError(RequestJournal journal) {
            Throwable thrown = catchThrowable(this::stream);

            assertThat(thrown).isNotNull();
            assertThat(partials.toString()).isNotEqualTo(REPLY);
            LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
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
