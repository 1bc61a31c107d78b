package dev.llmfault.samples;

import dev.langchain4j.exception.AuthenticationException;
import dev.langchain4j.exception.InternalServerException;
import dev.langchain4j.exception.InvalidRequestException;
import dev.langchain4j.exception.ModelNotFoundException;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.ollama.OllamaChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingException;
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
 * LangChain4j's Ollama models (dev.langchain4j:langchain4j-ollama 1.18.1, on the 1.19 core) pointed at the fake
 * Ollama: what they really do. {@code OllamaChatModel} posts {@code /api/chat} with {@code "stream": false} and
 * no credential, retrying like every LangChain4j model; the streaming model reads Ollama's NDJSON and reports the
 * mid-stream {@code {"error":...}} line as an {@code OllamaStreamingException}.
 */
@LlmFaultTest(provider = Provider.OLLAMA)
class LangChain4jOllamaUnderFaultsTest {
    static final String REPLY = FakeLlmServer.DEFAULT_REPLY_TEXT;

    private URI baseUrl;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    static OllamaChatModel model(URI baseUrl, int maxRetries, Duration timeout) {
        return OllamaChatModel.builder()
                .baseUrl(baseUrl.toString())
                .modelName("llama3.2")
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
            Map.entry(Fault.QUOTA_EXCEEDED, new Reaction(RateLimitException.class, 2)),
            Map.entry(Fault.IP_BLOCKED, new Reaction(AuthenticationException.class, 1)),
            Map.entry(Fault.REGION_BLOCKED, new Reaction(AuthenticationException.class, 1)),
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
    void chatsWithoutACredential(RequestJournal journal) {
        assertThat(model(baseUrl, 0, Duration.ofSeconds(10)).chat("hi")).isEqualTo(REPLY);

        assertThat(journal.entries()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("/api/chat");
            assertThat(e.stream()).isFalse();
            assertThat(e.apiKeyMask()).isNull();
        });
    }

    @Nested
    class Streaming {
        private final StringBuilder partials = new StringBuilder();

        private ChatResponse stream() throws Exception {
            OllamaStreamingChatModel model = OllamaStreamingChatModel.builder()
                    .baseUrl(baseUrl.toString())
                    .modelName("llama3.2")
                    .timeout(Duration.ofSeconds(10))
                    .build();
            return LangChain4jCalls.stream(model, "hi", partials);
        }

        @Test
        void streamsTheWholeAnswerAsNdjson(RequestJournal journal) throws Exception {
            ChatResponse response = stream();

            assertThat(response.aiMessage().text()).isEqualTo(REPLY);
            assertThat(partials).hasToString(REPLY);
            assertThat(journal.entries()).singleElement().satisfies(e -> {
                assertThat(e.stream()).isTrue();
                assertThat(e.responseHeader("content-type")).startsWith("application/x-ndjson");
            });
        }

        @Test
        @LlmFaultScenario(fault = Fault.STREAM_ERROR, afterChunks = 3)
        void reportsTheErrorLineAsOllamaStreamingException(RequestJournal journal) {
            Throwable thrown = catchThrowable(this::stream);

            assertThat(thrown).isExactlyInstanceOf(OllamaStreamingException.class)
                    .hasMessageContaining("an error was encountered while running the model");
            assertThat(partials.toString()).isNotEqualTo(REPLY);
            LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
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
        @LlmFaultScenario(fault = Fault.MODEL_NOT_FOUND, times = 1)
        void aMissingModelFailsBeforeTheStream(RequestJournal journal) {
            Throwable thrown = catchThrowable(this::stream);

            assertThat(thrown).isExactlyInstanceOf(ModelNotFoundException.class)
                    .hasMessageContaining("try pulling it first");
            assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(404);
        }
    }
}
