package dev.llmfault.samples;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.errors.BadRequestException;
import com.openai.errors.InternalServerException;
import com.openai.errors.NotFoundException;
import com.openai.errors.OpenAIInvalidDataException;
import com.openai.errors.OpenAIIoException;
import com.openai.errors.PermissionDeniedException;
import com.openai.errors.RateLimitException;
import com.openai.errors.SseException;
import com.openai.errors.UnauthorizedException;
import com.openai.errors.UnexpectedStatusCodeException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * The official OpenAI Java SDK (com.openai:openai-java 4.101.0) pointed at the fake server: per fault,
 * what it really does (exception class, requests sent, {@code x-stainless-retry-count}, waits), read from
 * the server's journal. Its retry rule: 408, 409, 429, 5xx and IO errors, at most {@code maxRetries}
 * more times, waiting {@code retry-after-ms} / {@code Retry-After} (capped at 8 s) or else
 * 0.5 s * 2^(n-1) minus up to 25 % jitter; {@code x-should-retry} overrides the status.
 */
class OpenAiJavaUnderFaultsTest {
    private static final String KEY = "sk-test-openai-java-0123456789abcdef";
    private static final String REPLY = "Hello from LLM Fault Kit. This is a deterministic reply.";
    private static final int MAX_RETRIES = 2;

    private FakeLlmServer server;
    private OpenAIClient client;

    @BeforeEach
    void start() {
        server = FakeLlmServer.builder().replyText(REPLY).start();
        client = client(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private OpenAIClient client(Duration timeout) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(server.baseUrl(Provider.OPENAI).toString())
                .apiKey(KEY)
                .maxRetries(MAX_RETRIES)
                .timeout(timeout)
                .build();
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build();
    }

    private List<JournalEntry> requests(int atLeast) {
        return JournalTimeline.settled(server.journal(), atLeast);
    }

    private static List<String> retryCounts(List<JournalEntry> requests) {
        return requests.stream().map(e -> e.header("x-stainless-retry-count")).toList();
    }

    /** Fault (always on) -> the exception a plain {@code create} throws and how many requests it sent. */
    static Stream<Arguments> everyFault() {
        int all = 1 + MAX_RETRIES;
        return Stream.of(
                arguments(Fault.MISSING_TOKEN, UnauthorizedException.class, 1),
                arguments(Fault.INVALID_TOKEN, UnauthorizedException.class, 1),
                arguments(Fault.EXPIRED_TOKEN, UnauthorizedException.class, 1),
                arguments(Fault.INSUFFICIENT_SCOPE, UnauthorizedException.class, 1), // OpenAI answers 401 here
                arguments(Fault.MALFORMED_BODY, BadRequestException.class, 1),
                arguments(Fault.MISSING_FIELD, BadRequestException.class, 1),
                arguments(Fault.WRONG_METHOD, UnexpectedStatusCodeException.class, 1), // 405 has no class of its own
                arguments(Fault.RATE_LIMITED, RateLimitException.class, all),
                // 429 insufficient_quota is retried like any 429: a spent quota costs three requests.
                arguments(Fault.QUOTA_EXCEEDED, RateLimitException.class, all),
                arguments(Fault.IP_BLOCKED, PermissionDeniedException.class, 1),
                arguments(Fault.REGION_BLOCKED, PermissionDeniedException.class, 1),
                arguments(Fault.OLD_API_VERSION, NotFoundException.class, 1),
                arguments(Fault.MODEL_NOT_FOUND, NotFoundException.class, 1),
                arguments(Fault.OVERLOADED, InternalServerException.class, all),
                arguments(Fault.SERVER_ERROR, InternalServerException.class, all),
                arguments(Fault.CONNECTION_RESET, OpenAIIoException.class, all),
                // A plain body cut short (Content-Length not reached) fails while parsing, after the
                // retry layer: OpenAIInvalidDataException, never retried.
                arguments(Fault.STREAM_INTERRUPTED, OpenAIInvalidDataException.class, 1),
                // No stream to break on a plain call: the server answers its 500.
                arguments(Fault.STREAM_ERROR, InternalServerException.class, all));
    }

    @ParameterizedTest(name = "{0} -> {1} after {2} request(s)")
    @MethodSource("everyFault")
    void whatThePlainCallDoesUnderEachFault(Fault fault, Class<? extends Throwable> expected, int expectedRequests) {
        server.scenarios().add(Scenario.builder(fault).retryAfterMs(20).build());

        Throwable thrown = catchThrowable(() -> client.chat().completions().create(params()));

        List<JournalEntry> requests = requests(expectedRequests);
        assertThat(thrown).isExactlyInstanceOf(expected);
        assertThat(requests).as(JournalTimeline.describe(requests)).hasSize(expectedRequests)
                .allSatisfy(e -> assertThat(e.fault()).isEqualTo(fault));
        assertThat(retryCounts(requests)).containsExactlyElementsOf(
                IntStream.range(0, expectedRequests).mapToObj(String::valueOf).toList());
    }

    @Test
    void recoversFromARateLimitWaitingTheRetryAfterMsHint() {
        // 1100 ms is more than its own first backoff (at most 500 ms): only the hint explains such a wait.
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(1).retryAfterMs(1100).build());

        ChatCompletion completion = client.chat().completions().create(params());

        completion.validate(); // every field the SDK requires is there, with the right type
        assertThat(completion.choices().get(0).message().content()).contains(REPLY);
        List<JournalEntry> requests = requests(2);
        assertThat(requests).hasSize(2);
        assertThat(retryCounts(requests)).containsExactly("0", "1");
        assertThat(requests.get(0).responseHeader("retry-after-ms")).isEqualTo("1100");
        assertThat(JournalTimeline.gaps(requests).get(0)).isGreaterThanOrEqualTo(requests.get(0).retryAfter().orElseThrow());
    }

    @Test
    void obeysXShouldRetryFalseEvenOnA429() {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).shouldRetry(false).build());

        assertThat(catchThrowable(() -> client.chat().completions().create(params()))).isInstanceOf(RateLimitException.class);

        assertThat(requests(1)).hasSize(1);
    }

    @Test
    void retriesATimeoutThenSucceeds() {
        server.scenarios().add(Scenario.builder(Fault.SLOW_RESPONSE).times(1).delayMs(1500).build());
        OpenAIClient impatient = client(Duration.ofMillis(500));
        try {
            ChatCompletion completion = impatient.chat().completions().create(params());

            assertThat(completion.choices().get(0).message().content()).contains(REPLY);
        } finally {
            impatient.close();
        }
        // The slow request is journaled when its delayed answer ends, after the fast retry.
        List<JournalEntry> requests = server.journal().awaitRequests(2, Duration.ofSeconds(5));
        assertThat(requests).extracting(JournalEntry::fault).containsExactly(Fault.SLOW_RESPONSE, null);
        assertThat(retryCounts(requests)).containsExactly("0", "1");
    }

    @Test
    void typedExceptionsCarryTheProviderDiagnostics() {
        server.scenarios().add(Scenario.builder(Fault.INVALID_TOKEN).build());

        UnauthorizedException e = (UnauthorizedException) catchThrowable(() -> client.chat().completions().create(params()));

        JournalEntry request = requests(1).get(0);
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.code()).contains("invalid_api_key");
        assertThat(e.type()).contains("invalid_request_error");
        assertThat(e.headers().values("x-request-id")).containsExactly(request.responseHeader("x-request-id"));
        assertThat(e.getMessage()).contains("Incorrect API key provided: sk-te***cdef").doesNotContain(KEY);
    }

    @Test
    void listsModels() {
        List<Model> models = new ArrayList<>();
        client.models().list().autoPager().forEach(models::add);

        models.forEach(Model::validate);
        assertThat(models).extracting(Model::id).contains("gpt-4o-mini");
    }

    // ---- streaming ----

    private StreamResponse<ChatCompletionChunk> stream() {
        return client.chat().completions().createStreaming(params().toBuilder()
                .streamOptions(ChatCompletionStreamOptions.builder().includeUsage(true).build()).build());
    }

    private static String text(List<ChatCompletionChunk> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> c.choices().forEach(choice -> choice.delta().content().ifPresent(sb::append)));
        return sb.toString();
    }

    @Test
    void streamsTheWholeAnswerWithUsage() {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = stream()) {
            s.stream().forEach(chunks::add);
        }

        chunks.forEach(ChatCompletionChunk::validate);
        assertThat(text(chunks)).isEqualTo(REPLY);
        assertThat(chunks.get(chunks.size() - 1).usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isPositive());
        assertThat(requests(1)).singleElement().satisfies(e -> assertThat(e.stream()).isTrue());
    }

    @Test
    void anErrorFrameInTheStreamRaisesSseExceptionWithoutRetry() {
        server.scenarios().add(Scenario.builder(Fault.STREAM_ERROR).afterChunks(2).build());
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> {
            try (StreamResponse<ChatCompletionChunk> s = stream()) {
                s.stream().forEach(chunks::add);
            }
        });

        assertThat(thrown).isExactlyInstanceOf(SseException.class);
        SseException e = (SseException) thrown;
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.type()).contains("server_error");
        assertThat(chunks).hasSize(2);
        assertThat(requests(1)).hasSize(1);
    }

    @Test
    void aCutStreamRaisesAnIoExceptionWithoutRetry() {
        server.scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).afterChunks(3).build());
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> {
            try (StreamResponse<ChatCompletionChunk> s = stream()) {
                s.stream().forEach(chunks::add);
            }
        });

        assertThat(thrown).isExactlyInstanceOf(OpenAIIoException.class).hasMessage("Stream failed");
        assertThat(text(chunks)).isNotEqualTo(REPLY);
        assertThat(requests(1)).hasSize(1);
    }

    @Test
    void aStreamStalledBeforeItsFirstChunkHitsTheReadTimeoutWithoutRetry() {
        // The 200 and its headers come at once; the first chunk only after the delay.
        server.scenarios().add(Scenario.builder(Fault.SLOW_RESPONSE).delayMs(1500).build());
        OpenAIClient impatient = client(Duration.ofMillis(500));

        Throwable thrown;
        try {
            thrown = catchThrowable(() -> {
                try (StreamResponse<ChatCompletionChunk> s = impatient.chat().completions().createStreaming(params())) {
                    s.stream().forEach(chunk -> { });
                }
            });
        } finally {
            impatient.close();
        }

        assertThat(thrown).isExactlyInstanceOf(OpenAIIoException.class).hasMessage("Stream failed");
        assertThat(server.journal().awaitRequests(1, Duration.ofSeconds(5))).hasSize(1);
    }

    @Test
    void aResetBeforeTheStreamStartsIsRetried() {
        server.scenarios().add(Scenario.builder(Fault.CONNECTION_RESET).times(1).build());
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> s = stream()) {
            s.stream().forEach(chunks::add);
        }

        assertThat(text(chunks)).isEqualTo(REPLY);
        List<JournalEntry> requests = requests(2);
        assertThat(requests).extracting(JournalEntry::status).containsExactly(0, 200);
        assertThat(retryCounts(requests)).containsExactly("0", "1");
    }
}
