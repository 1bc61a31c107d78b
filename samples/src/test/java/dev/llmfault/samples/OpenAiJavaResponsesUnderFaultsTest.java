package dev.llmfault.samples;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIIoException;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The official OpenAI Java SDK (com.openai:openai-java 4.101.0) on the Responses API ({@code responses().create}
 * and {@code createStreaming}) against the fake server: per fault, the exception, the requests sent and the
 * {@code x-stainless-retry-count} of each, read from the journal. The HTTP layer is the one the chat API uses, so a
 * plain call reacts to each fault exactly as {@code chat().completions().create} does; the stream differs: an
 * {@code error} event is handed to the caller as an event, not thrown.
 */
@LlmFaultTest(provider = Provider.OPENAI)
class OpenAiJavaResponsesUnderFaultsTest {
    private static final String KEY = "sk-test-openai-java-0123456789abcdef";
    private static final String REPLY = FakeLlmServer.DEFAULT_REPLY_TEXT;
    private static final int MAX_RETRIES = 2;

    private OpenAIClient client;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        client = OpenAIOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey(KEY).maxRetries(MAX_RETRIES)
                .timeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private static ResponseCreateParams params() {
        return ResponseCreateParams.builder().model("gpt-4o-mini").input("hi").instructions("Be terse.").build();
    }

    private static String text(Response response) {
        StringBuilder sb = new StringBuilder();
        for (ResponseOutputItem item : response.output()) {
            item.message().ifPresent(m -> m.content().forEach(c -> c.outputText().ifPresent(t -> sb.append(t.text()))));
        }
        return sb.toString();
    }

    private static List<String> retryCounts(RequestJournal journal) {
        return journal.entries().stream().map(e -> e.header("x-stainless-retry-count")).toList();
    }

    @Test
    void createsAndRetrievesAResponse(RequestJournal journal) {
        Response response = client.responses().create(params());

        response.validate(); // every field openai-java requires is there, with the right type
        assertThat(text(response)).isEqualTo(REPLY);
        assertThat(client.responses().retrieve(response.id()).id()).isEqualTo(response.id());
        client.responses().delete(response.id());
        assertThat(catchThrowable(() -> client.responses().retrieve(response.id()))).isInstanceOf(NotFoundException.class);
        Response chained = client.responses().create(params().toBuilder().previousResponseId(
                client.responses().create(params()).id()).build());
        assertThat(chained.previousResponseId()).isPresent();
        LlmFaultAssertions.assertThat(journal).neverSentCredentialsInQuery();
    }

    @Test
    void anUnknownPreviousResponseIsABadRequestNotRetried(RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> client.responses().create(params().toBuilder().previousResponseId("resp_gone").build()));

        assertThat(thrown).isExactlyInstanceOf(com.openai.errors.BadRequestException.class);
        assertThat(((com.openai.errors.BadRequestException) thrown).code()).contains("previous_response_not_found");
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    /** The plain call: the same reaction per fault as the chat API's (same HTTP layer), checked, not assumed. */
    @LlmFaultMatrix(allFaults = true, except = {Fault.SLOW_RESPONSE, Fault.STREAM_STALLED, Fault.LENGTH_TRUNCATED,
            Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS},
            times = LlmFaultScenario.UNLIMITED, retryAfterMs = 20)
    void whatThePlainCreateDoesUnderEachFault(FaultCase fault, RequestJournal journal) {
        OpenAiJavaUnderFaultsTest.Reaction expected = OpenAiJavaUnderFaultsTest.PLAIN_CALL.get(fault.fault());

        Throwable thrown = catchThrowable(() -> client.responses().create(params()));

        assertThat(thrown).isExactlyInstanceOf(expected.thrown());
        LlmFaultAssertions.assertThat(journal).hasAttempts(expected.requests()).gaveUpAfter(expected.requests());
        assertThat(retryCounts(journal)).containsExactlyElementsOf(
                IntStream.range(0, expected.requests()).mapToObj(String::valueOf).toList());
    }

    // ---- streaming ----

    /** What a stream ends with: an exception (null: none), the requests sent, the text the caller got. */
    record StreamReaction(Class<? extends Throwable> thrown, int requests, boolean fullText) {
    }

    /** Fault (always on) -> what {@code createStreaming} and reading the stream to its end do (maxRetries 2). */
    static final Map<Fault, StreamReaction> STREAMED = new EnumMap<>(Fault.class);

    static {
        OpenAiJavaUnderFaultsTest.PLAIN_CALL.forEach((fault, plain) -> {
            if (fault.kind() == Fault.Kind.HTTP_ERROR) { // the status comes before any event: thrown by createStreaming
                STREAMED.put(fault, new StreamReaction(plain.thrown(), plain.requests(), false));
            }
        });
        STREAMED.put(Fault.CONNECTION_RESET, new StreamReaction(OpenAIIoException.class, 1 + MAX_RETRIES, false));
        // A cut stream fails while it is read, after the retry layer: never retried.
        STREAMED.put(Fault.STREAM_INTERRUPTED, new StreamReaction(OpenAIIoException.class, 1, false));
        // The error event and response.failed are events like any other: no exception, no retry, a partial text.
        STREAMED.put(Fault.STREAM_ERROR, new StreamReaction(null, 1, false));
    }

    @LlmFaultMatrix(allFaults = true, except = {Fault.SLOW_RESPONSE, Fault.STREAM_STALLED, Fault.LENGTH_TRUNCATED,
            Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS},
            times = LlmFaultScenario.UNLIMITED, retryAfterMs = 20,
            afterChunks = 2)
    void whatTheStreamDoesUnderEachFault(FaultCase fault, RequestJournal journal) {
        StreamReaction expected = STREAMED.get(fault.fault());
        List<ResponseStreamEvent> events = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> {
            try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params())) {
                s.stream().forEach(events::add);
            }
        });

        if (expected.thrown() == null) {
            assertThat(thrown).isNull();
        } else {
            assertThat(thrown).isExactlyInstanceOf(expected.thrown());
        }
        LlmFaultAssertions.assertThat(journal).hasAttempts(expected.requests());
        String text = events.stream().filter(ResponseStreamEvent::isOutputTextDelta)
                .map(e -> e.asOutputTextDelta().delta()).reduce("", String::concat);
        assertThat(text).isNotEqualTo(REPLY);
    }

    @Test
    void streamsTheWholeAnswerAsTypedEvents(RequestJournal journal) {
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params())) {
            s.stream().peek(ResponseStreamEvent::validate).forEach(events::add);
        }

        String text = events.stream().filter(ResponseStreamEvent::isOutputTextDelta)
                .map(e -> e.asOutputTextDelta().delta()).reduce("", String::concat);
        assertThat(text).isEqualTo(REPLY);
        Response completed = events.get(events.size() - 1).asCompleted().response();
        assertThat(text(completed)).isEqualTo(REPLY);
        assertThat(completed.usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isPositive());
        assertThat(journal.entries()).singleElement().satisfies(e -> assertThat(e.stream()).isTrue());
    }

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_ERROR, afterChunks = 2)
    void anErrorEventMidStreamIsAnEventNotAnException(RequestJournal journal) {
        List<ResponseStreamEvent> events = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> s = client.responses().createStreaming(params())) {
            s.stream().forEach(events::add);
        }

        // openai-java throws SseException only for a data line with a top-level "error" field (the chat API's
        // shape); the Responses API's error event has none, so the caller must look at the events itself.
        assertThat(events.get(events.size() - 2).isError()).isTrue();
        assertThat(events.get(events.size() - 2).asError().code()).contains("server_error");
        assertThat(events.get(events.size() - 1).isFailed()).isTrue();
        assertThat(events.stream().filter(ResponseStreamEvent::isOutputTextDelta)).hasSize(2);
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
        assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactly(Fault.STREAM_ERROR);
    }
}
