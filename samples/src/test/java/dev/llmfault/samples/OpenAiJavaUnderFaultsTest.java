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
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionStreamOptions;
import com.openai.models.models.Model;
import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultScenario.ShouldRetry;
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
 * The official OpenAI Java SDK (com.openai:openai-java 4.101.0) pointed at the fake server: per fault,
 * what it really does (exception class, requests sent, {@code x-stainless-retry-count}, waits), read from
 * the server's journal. Its retry rule: 408, 409, 429, 5xx and IO errors, at most {@code maxRetries}
 * more times, waiting {@code retry-after-ms} / {@code Retry-After} (capped at 8 s) or else
 * 0.5 s * 2^(n-1) minus up to 25 % jitter; {@code x-should-retry} overrides the status.
 */
@LlmFaultTest(provider = Provider.OPENAI)
class OpenAiJavaUnderFaultsTest {
    private static final String KEY = "sk-test-openai-java-0123456789abcdef";
    private static final String REPLY = FakeLlmServer.DEFAULT_REPLY_TEXT;
    private static final int MAX_RETRIES = 2;

    private URI baseUrl;
    private OpenAIClient client;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        this.baseUrl = baseUrl;
        client = client(Duration.ofSeconds(10));
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private OpenAIClient client(Duration timeout) {
        return OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl.toString())
                .apiKey(KEY)
                .maxRetries(MAX_RETRIES)
                .timeout(timeout)
                .build();
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build();
    }

    private static List<String> retryCounts(RequestJournal journal) {
        return journal.entries().stream().map(e -> e.header("x-stainless-retry-count")).toList();
    }

    /** What the SDK does about a fault: the exception a call ends with, and how many requests it sent. */
    record Reaction(Class<? extends Throwable> thrown, int requests) {
    }

    /** Fault (always on) -> what a plain {@code create} throws and how many requests it sent (maxRetries 2). */
    static final Map<Fault, Reaction> PLAIN_CALL = new EnumMap<>(Map.ofEntries(
            Map.entry(Fault.MISSING_TOKEN, new Reaction(UnauthorizedException.class, 1)),
            Map.entry(Fault.INVALID_TOKEN, new Reaction(UnauthorizedException.class, 1)),
            Map.entry(Fault.EXPIRED_TOKEN, new Reaction(UnauthorizedException.class, 1)),
            Map.entry(Fault.INSUFFICIENT_SCOPE, new Reaction(UnauthorizedException.class, 1)), // OpenAI answers 401 here
            Map.entry(Fault.MALFORMED_BODY, new Reaction(BadRequestException.class, 1)),
            Map.entry(Fault.CONTEXT_LENGTH_EXCEEDED, new Reaction(BadRequestException.class, 1)),
            Map.entry(Fault.MISSING_FIELD, new Reaction(BadRequestException.class, 1)),
            Map.entry(Fault.WRONG_METHOD, new Reaction(UnexpectedStatusCodeException.class, 1)), // 405: no class of its own
            Map.entry(Fault.RATE_LIMITED, new Reaction(RateLimitException.class, 1 + MAX_RETRIES)),
            // 429 insufficient_quota is retried like any 429: a spent quota costs three requests.
            Map.entry(Fault.QUOTA_EXCEEDED, new Reaction(RateLimitException.class, 1 + MAX_RETRIES)),
            Map.entry(Fault.IP_BLOCKED, new Reaction(PermissionDeniedException.class, 1)),
            Map.entry(Fault.REGION_BLOCKED, new Reaction(PermissionDeniedException.class, 1)),
            Map.entry(Fault.OLD_API_VERSION, new Reaction(NotFoundException.class, 1)),
            Map.entry(Fault.MODEL_NOT_FOUND, new Reaction(NotFoundException.class, 1)),
            Map.entry(Fault.OVERLOADED, new Reaction(InternalServerException.class, 1 + MAX_RETRIES)),
            Map.entry(Fault.SERVER_ERROR, new Reaction(InternalServerException.class, 1 + MAX_RETRIES)),
            Map.entry(Fault.CONNECTION_RESET, new Reaction(OpenAIIoException.class, 1 + MAX_RETRIES)),
            // A plain body cut short (Content-Length not reached) fails while parsing, after the
            // retry layer: OpenAIInvalidDataException, never retried.
            Map.entry(Fault.STREAM_INTERRUPTED, new Reaction(OpenAIInvalidDataException.class, 1)),
            // No stream to break on a plain call: the server answers its 500.
            Map.entry(Fault.STREAM_ERROR, new Reaction(InternalServerException.class, 1 + MAX_RETRIES))));

    @LlmFaultMatrix(allFaults = true, except = {Fault.SLOW_RESPONSE, Fault.STREAM_STALLED, Fault.LENGTH_TRUNCATED,
            Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS},
            times = LlmFaultScenario.UNLIMITED, retryAfterMs = 20)
    void whatThePlainCallDoesUnderEachFault(FaultCase fault, RequestJournal journal) {
        Reaction expected = PLAIN_CALL.get(fault.fault());

        Throwable thrown = catchThrowable(() -> client.chat().completions().create(params()));

        assertThat(thrown).isExactlyInstanceOf(expected.thrown());
        LlmFaultAssertions.assertThat(journal).hasAttempts(expected.requests()).gaveUpAfter(expected.requests());
        assertThat(journal.entries()).allSatisfy(e -> assertThat(e.fault()).isEqualTo(fault.fault()));
        assertThat(retryCounts(journal)).containsExactlyElementsOf(
                IntStream.range(0, expected.requests()).mapToObj(String::valueOf).toList());
    }

    // tag::openai-rate-limit[]
    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 1100)
    void recoversFromARateLimitWaitingTheRetryAfterMsHint(RequestJournal journal) {
        // 1100 ms is more than its own first backoff (at most 500 ms): only the hint explains such a wait.
        ChatCompletion completion = client.chat().completions().create(params());

        completion.validate(); // every field the SDK requires is there, with the right type
        assertThat(completion.choices().get(0).message().content()).contains(REPLY);
        LlmFaultAssertions.assertThat(journal).hasAttempts(2).respectedRetryAfter();
        assertThat(retryCounts(journal)).containsExactly("0", "1");
        assertThat(journal.entries().get(0).responseHeader("retry-after-ms")).isEqualTo("1100");
    }
    // end::openai-rate-limit[]

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, shouldRetry = ShouldRetry.FALSE)
    void obeysXShouldRetryFalseEvenOnA429(RequestJournal journal) {
        assertThat(catchThrowable(() -> client.chat().completions().create(params()))).isInstanceOf(RateLimitException.class);

        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.SLOW_RESPONSE, times = 1, delayMs = 1500)
    void retriesATimeoutThenSucceeds(RequestJournal journal) {
        OpenAIClient impatient = client(Duration.ofMillis(500));
        try {
            ChatCompletion completion = impatient.chat().completions().create(params());

            assertThat(completion.choices().get(0).message().content()).contains(REPLY);
        } finally {
            impatient.close();
        }
        assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactly(Fault.SLOW_RESPONSE, null);
        assertThat(retryCounts(journal)).containsExactly("0", "1");
    }

    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN)
    void typedExceptionsCarryTheProviderDiagnostics(RequestJournal journal) {
        UnauthorizedException e = (UnauthorizedException) catchThrowable(() -> client.chat().completions().create(params()));

        JournalEntry request = journal.entries().get(0);
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.code()).contains("invalid_api_key");
        assertThat(e.type()).contains("invalid_request_error");
        assertThat(e.headers().values("x-request-id")).containsExactly(request.responseHeader("x-request-id"));
        assertThat(e.getMessage()).contains("Incorrect API key provided: sk-te***cdef").doesNotContain(KEY);
    }

    @Test
    void listsModels(RequestJournal journal) {
        List<Model> models = new ArrayList<>();
        client.models().list().autoPager().forEach(models::add);

        models.forEach(Model::validate);
        assertThat(models).extracting(Model::id).contains("gpt-4o-mini");
        LlmFaultAssertions.assertThat(journal).usedApiVersion("v1").neverSentCredentialsInQuery();
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
    void streamsTheWholeAnswerWithUsage(RequestJournal journal) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();
        try (StreamResponse<ChatCompletionChunk> s = stream()) {
            s.stream().forEach(chunks::add);
        }

        chunks.forEach(ChatCompletionChunk::validate);
        assertThat(text(chunks)).isEqualTo(REPLY);
        assertThat(chunks.get(chunks.size() - 1).usage()).hasValueSatisfying(u -> assertThat(u.totalTokens()).isPositive());
        assertThat(journal.entries()).singleElement().satisfies(e -> assertThat(e.stream()).isTrue());
    }

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_ERROR, afterChunks = 2)
    void anErrorFrameInTheStreamRaisesSseExceptionWithoutRetry(RequestJournal journal) {
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
        assertThat(chunks).as("the role chunk, then the two content deltas asked for").hasSize(3);
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, afterChunks = 3)
    void aCutStreamRaisesAnIoExceptionWithoutRetry(RequestJournal journal) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> {
            try (StreamResponse<ChatCompletionChunk> s = stream()) {
                s.stream().forEach(chunks::add);
            }
        });

        assertThat(thrown).isExactlyInstanceOf(OpenAIIoException.class).hasMessage("Stream failed");
        assertThat(text(chunks)).isNotEqualTo(REPLY);
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    // The 200 and its headers come at once; the first chunk only after the delay.
    @LlmFaultScenario(fault = Fault.SLOW_RESPONSE, delayMs = 1500)
    void aStreamStalledBeforeItsFirstChunkHitsTheReadTimeoutWithoutRetry(RequestJournal journal) {
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
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    /** A call with this client, closed after it; whatever it threw. */
    private Throwable withTimeout(Duration timeout, java.util.function.Consumer<OpenAIClient> call) {
        OpenAIClient impatient = client(timeout);
        try {
            return catchThrowable(() -> call.accept(impatient));
        } finally {
            impatient.close();
        }
    }

    @Test
    // Two pieces of text, then nothing: the connection stays open (cut after 20 s if the client never gives up).
    @LlmFaultScenario(fault = Fault.STREAM_STALLED, afterChunks = 2, delayMs = 20_000)
    void aStreamStalledMidwayHitsTheReadTimeoutWithoutRetry(RequestJournal journal) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        Throwable thrown = withTimeout(Duration.ofMillis(500), c -> {
            try (StreamResponse<ChatCompletionChunk> s = c.chat().completions().createStreaming(params())) {
                s.stream().forEach(chunks::add);
            }
        });

        System.out.printf("measure: openai-java stream STREAM_STALLED: %s (%s), %d chunks, %d requests%n",
                thrown == null ? null : thrown.getClass().getSimpleName(), thrown == null ? "" : thrown.getMessage(),
                chunks.size(), journal.entries().size());
        assertThat(thrown).isExactlyInstanceOf(OpenAIIoException.class).hasMessage("Stream failed");
        assertThat(text(chunks)).as("the two pieces before the stall reached the caller").isEqualTo("Hello from ");
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    // The headers, then no body: the SDK reads the body after its retry layer, as with a body cut short.
    @LlmFaultScenario(fault = Fault.STREAM_STALLED, times = 1, delayMs = 20_000)
    void aPlainAnswerStalledAfterItsHeadersFailsWithoutRetry(RequestJournal journal) {
        Throwable thrown = withTimeout(Duration.ofMillis(500), c -> c.chat().completions().create(params()));

        System.out.printf("measure: openai-java plain STREAM_STALLED: %s (%s), %d requests%n",
                thrown == null ? null : thrown.getClass().getSimpleName(), thrown == null ? "" : thrown.getMessage(),
                journal.entries().size());
        // as a body cut short: the read timeout fires while the body is parsed, after the retry layer
        assertThat(thrown).isExactlyInstanceOf(OpenAIInvalidDataException.class).hasMessage("Error reading response");
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    // A prompt over gpt-4o-mini's 128000-token window (the server counts 4 characters a token): no scenario at all.
    void aPromptLongerThanTheContextWindowIsABadRequestNotRetried(RequestJournal journal) {
        String tooLong = "x".repeat(128_000 * 4 + 4);

        BadRequestException e = (BadRequestException) catchThrowable(() -> client.chat().completions().create(
                ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage(tooLong).build()));

        assertThat(e.code()).contains("context_length_exceeded");
        assertThat(e.getMessage()).contains("This model's maximum context length is 128000 tokens");
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
        assertThat(journal.entries().get(0).fault()).isEqualTo(Fault.CONTEXT_LENGTH_EXCEEDED);
    }

    @Test
    @LlmFaultScenario(fault = Fault.CONNECTION_RESET, times = 1)
    void aResetBeforeTheStreamStartsIsRetried(RequestJournal journal) {
        List<ChatCompletionChunk> chunks = new ArrayList<>();

        try (StreamResponse<ChatCompletionChunk> s = stream()) {
            s.stream().forEach(chunks::add);
        }

        assertThat(text(chunks)).isEqualTo(REPLY);
        LlmFaultAssertions.assertThat(journal).hasAttempts(2);
        assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(0, 200);
        assertThat(retryCounts(journal)).containsExactly("0", "1");
    }

    // ---- the model's own failures: 200s the SDK hands over as answers ----

    /** A tool as openai-java derives it from a record: city required, days an integer. */
    public record Forecast(String city, int days) {
    }

    private static ChatCompletionCreateParams withForecastTool() {
        return params().toBuilder().addTool(Forecast.class).build();
    }

    private static void measure(String what, ChatCompletion.Choice choice, RequestJournal journal) {
        System.out.printf("measure: openai-java %s: no exception, finish_reason %s, content '%s', tool calls %s, "
                + "%d request(s)%n", what, choice.finishReason(), choice.message().content().orElse(""),
                choice.message().toolCalls().map(calls -> calls.stream().map(c -> c.asFunction().function().name()
                        + c.asFunction().function().arguments()).toList()).orElse(List.of()), journal.entries().size());
    }

    @Test
    @LlmFaultScenario(fault = Fault.LENGTH_TRUNCATED)
    void aTruncatedAnswerIsReturnedWithFinishReasonLength(RequestJournal journal) {
        ChatCompletion.Choice plain = client.chat().completions().create(params()).choices().get(0);
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        try (StreamResponse<ChatCompletionChunk> s = stream()) {
            s.stream().forEach(accumulator::accumulate);
        }
        ChatCompletion.Choice streamed = accumulator.chatCompletion().choices().get(0);

        measure("LENGTH_TRUNCATED", plain, journal);
        assertThat(plain.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(plain.message().content()).as("cut mid-word: only finish_reason tells").hasValue("Hello from LL");
        assertThat(streamed.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.LENGTH);
        assertThat(streamed.message().content()).hasValue("Hello from LL");
        LlmFaultAssertions.assertThat(journal).hasRequestCount(2);
    }

    @Test
    @LlmFaultScenario(fault = Fault.CONTENT_FILTERED)
    void aFilteredAnswerIsReturnedWithFinishReasonContentFilter(RequestJournal journal) {
        ChatCompletion.Choice plain = client.chat().completions().create(params()).choices().get(0);

        measure("CONTENT_FILTERED", plain, journal);
        assertThat(plain.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.CONTENT_FILTER);
        assertThat(plain.message().content().orElse("")).isEmpty();
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.INVALID_JSON_OUTPUT)
    void structuredOutputThatDoesNotParseFailsOnlyWhenTheCallerReadsIt(RequestJournal journal) {
        var completion = client.chat().completions().create(params().toBuilder().responseFormat(Forecast.class).build());

        Throwable thrown = catchThrowable(() -> completion.choices().get(0).message().content());

        System.out.printf("measure: openai-java INVALID_JSON_OUTPUT (responseFormat(Class)): create returns, content() "
                + "throws %s (%s), %d request(s)%n", thrown == null ? null : thrown.getClass().getSimpleName(),
                thrown == null ? "" : thrown.getMessage(), journal.entries().size());
        assertThat(thrown).isExactlyInstanceOf(OpenAIInvalidDataException.class);
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.UNKNOWN_TOOL_CALL)
    void aCallOfAToolNeverOfferedIsReturnedUnchecked(RequestJournal journal) {
        ChatCompletion.Choice plain = client.chat().completions().create(withForecastTool()).choices().get(0);

        measure("UNKNOWN_TOOL_CALL", plain, journal);
        assertThat(plain.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(plain.message().toolCalls().orElseThrow()).singleElement()
                .satisfies(c -> assertThat(c.asFunction().function().name()).isEqualTo("lookup_internal_records"));
    }

    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOOL_ARGUMENTS)
    void argumentsThatBreakTheSchemaFailOnlyWhenParsedIntoTheRecord(RequestJournal journal) {
        ChatCompletion.Choice plain = client.chat().completions().create(withForecastTool()).choices().get(0);
        var call = plain.message().toolCalls().orElseThrow().get(0).asFunction().function();

        Throwable thrown = catchThrowable(() -> call.arguments(Forecast.class));

        measure("INVALID_TOOL_ARGUMENTS", plain, journal);
        System.out.printf("measure: openai-java INVALID_TOOL_ARGUMENTS: arguments(Forecast.class) throws %s (%s)%n",
                thrown == null ? null : thrown.getClass().getSimpleName(), thrown == null ? "" : thrown.getMessage());
        assertThat(call.name()).isEqualTo("Forecast");
        assertThat(call.arguments()).doesNotContain("city").contains("\"days\":\"not a number\"");
        assertThat(thrown).as("an integer sent as text does not bind").isExactlyInstanceOf(OpenAIInvalidDataException.class);
    }
}
