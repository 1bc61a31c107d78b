package dev.llmfault.samples;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.OverloadedException;
import com.anthropic.errors.PaymentRequiredException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.SseException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.UnexpectedStatusCodeException;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.TextBlock;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolUseBlock;
import com.anthropic.models.models.ModelInfo;
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
 * The official Anthropic Java SDK (com.anthropic:anthropic-java 3.14.0) pointed at the fake server: per
 * fault, what it really does, read from the server's journal. Same retry rule as openai-java (408, 409,
 * 429, 5xx including 529, IO errors; {@code x-should-retry} first), but it honours any positive
 * {@code Retry-After} however long. Anthropic sends whole seconds, so a throttled call waits at least 1 s.
 */
@LlmFaultTest(provider = Provider.ANTHROPIC)
class AnthropicJavaUnderFaultsTest {
    private static final String KEY = "sk-ant-test-0123456789abcdef";
    private static final String REPLY = FakeLlmServer.DEFAULT_REPLY_TEXT;

    private URI baseUrl;
    private AnthropicClient client;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        this.baseUrl = baseUrl;
        client = client(2);
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private AnthropicClient client(int maxRetries) {
        return AnthropicOkHttpClient.builder()
                .baseUrl(baseUrl.toString())
                .apiKey(KEY)
                .maxRetries(maxRetries)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static MessageCreateParams params() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256).addUserMessage("hi").build();
    }

    private static List<String> retryCounts(RequestJournal journal) {
        return journal.entries().stream().map(e -> e.header("x-stainless-retry-count")).toList();
    }

    /** What the SDK does about a fault: the exception a call ends with, and how many requests it sent. */
    record Reaction(Class<? extends Throwable> thrown, int requests) {
    }

    /** Fault (always on) -> what a plain {@code messages().create} throws and how many requests it sent, with maxRetries 1. */
    static final Map<Fault, Reaction> PLAIN_CALL = new EnumMap<>(Map.ofEntries(
            Map.entry(Fault.MISSING_TOKEN, new Reaction(UnauthorizedException.class, 1)),
            Map.entry(Fault.INVALID_TOKEN, new Reaction(UnauthorizedException.class, 1)),
            Map.entry(Fault.EXPIRED_TOKEN, new Reaction(UnauthorizedException.class, 1)),
            Map.entry(Fault.INSUFFICIENT_SCOPE, new Reaction(PermissionDeniedException.class, 1)),
            Map.entry(Fault.MALFORMED_BODY, new Reaction(BadRequestException.class, 1)),
            Map.entry(Fault.CONTEXT_LENGTH_EXCEEDED, new Reaction(BadRequestException.class, 1)),
            Map.entry(Fault.MISSING_FIELD, new Reaction(BadRequestException.class, 1)),
            Map.entry(Fault.WRONG_METHOD, new Reaction(UnexpectedStatusCodeException.class, 1)),
            Map.entry(Fault.RATE_LIMITED, new Reaction(RateLimitException.class, 2)),
            Map.entry(Fault.QUOTA_EXCEEDED, new Reaction(PaymentRequiredException.class, 1)), // 402 billing_error: not retried
            Map.entry(Fault.IP_BLOCKED, new Reaction(PermissionDeniedException.class, 1)),
            Map.entry(Fault.REGION_BLOCKED, new Reaction(PermissionDeniedException.class, 1)),
            Map.entry(Fault.OLD_API_VERSION, new Reaction(BadRequestException.class, 1)),
            Map.entry(Fault.MODEL_NOT_FOUND, new Reaction(NotFoundException.class, 1)),
            Map.entry(Fault.OVERLOADED, new Reaction(OverloadedException.class, 2)), // 529
            Map.entry(Fault.SERVER_ERROR, new Reaction(InternalServerException.class, 2)),
            Map.entry(Fault.CONNECTION_RESET, new Reaction(AnthropicIoException.class, 2)),
            // A plain body cut short fails while parsing, after the retry layer: never retried.
            Map.entry(Fault.STREAM_INTERRUPTED, new Reaction(AnthropicInvalidDataException.class, 1)),
            Map.entry(Fault.STREAM_ERROR, new Reaction(InternalServerException.class, 2))));

    @LlmFaultMatrix(allFaults = true, except = {Fault.SLOW_RESPONSE, Fault.STREAM_STALLED, Fault.LENGTH_TRUNCATED,
            Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS},
            times = LlmFaultScenario.UNLIMITED)
    void whatThePlainCallDoesUnderEachFault(FaultCase fault, RequestJournal journal) {
        Reaction expected = PLAIN_CALL.get(fault.fault());
        AnthropicClient once = client(1);

        Throwable thrown;
        try {
            thrown = catchThrowable(() -> once.messages().create(params()));
        } finally {
            once.close();
        }

        assertThat(thrown).isExactlyInstanceOf(expected.thrown());
        LlmFaultAssertions.assertThat(journal).hasAttempts(expected.requests()).gaveUpAfter(expected.requests());
        assertThat(journal.entries()).allSatisfy(e -> assertThat(e.fault()).isEqualTo(fault.fault()));
        assertThat(retryCounts(journal)).containsExactlyElementsOf(
                IntStream.range(0, expected.requests()).mapToObj(String::valueOf).toList());
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 1000)
    void recoversFromARateLimitWaitingTheRetryAfterSeconds(RequestJournal journal) {
        Message message = client.messages().create(params());

        message.validate();
        assertThat(message.content()).singleElement().satisfies(b -> assertThat(b.text().map(TextBlock::text)).contains(REPLY));
        LlmFaultAssertions.assertThat(journal).hasAttempts(2).respectedRetryAfter().waitedAtLeast(Duration.ofSeconds(1));
        assertThat(retryCounts(journal)).containsExactly("0", "1");
        assertThat(journal.entries().get(0).responseHeader("retry-after")).isEqualTo("1");
    }

    // tag::anthropic-overloaded[]
    @Test
    @LlmFaultScenario(fault = Fault.OVERLOADED, times = 2)
    void recoversFromOverloaded529(RequestJournal journal) {
        Message message = client.messages().create(params());

        assertThat(message.stopReason()).isPresent();
        // 0.5 s, then 1 s, each minus up to 25 % jitter: a little more tolerance than that for a busy machine
        LlmFaultAssertions.assertThat(journal).hasAttempts(3).backedOffExponentially(2.0, 0.35);
        assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(529, 529, 200);
        assertThat(retryCounts(journal)).containsExactly("0", "1", "2");
    }
    // end::anthropic-overloaded[]

    @Test
    void sendsTheKeyAsBearerAndTheNewestApiVersion(RequestJournal journal) {
        client.messages().create(params());

        LlmFaultAssertions.assertThat(journal).usedApiVersion("2026-10-21").sentHeader("authorization")
                .neverSentCredentialsInQuery();
        JournalEntry request = journal.entries().get(0);
        assertThat(request.header("authorization")).startsWith("Bearer sk-an");
        assertThat(request.header("x-api-key")).isNull();
    }

    @Test
    @LlmFaultScenario(fault = Fault.EXPIRED_TOKEN)
    void typedExceptionsCarryTheProviderDiagnostics(RequestJournal journal) {
        UnauthorizedException e = (UnauthorizedException) catchThrowable(() -> client.messages().create(params()));

        JournalEntry request = journal.entries().get(0);
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.requestId()).contains(request.responseHeader("request-id"));
        assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("OAuth token has expired"));
        assertThat(e.type()).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("authentication_error"));
        assertThat(e.headers().values("www-authenticate")).singleElement().asString().contains("invalid_token");
    }

    @Test
    void listsAndRetrievesModelsForAPreflightCheck(RequestJournal journal) {
        List<ModelInfo> models = new ArrayList<>();
        client.models().list().autoPager().forEach(models::add);

        models.forEach(ModelInfo::validate);
        assertThat(models).extracting(ModelInfo::id).contains("claude-sonnet-4-5");
        assertThat(client.models().retrieve("claude-sonnet-4-5").id()).isEqualTo("claude-sonnet-4-5");
        assertThat(catchThrowable(() -> client.models().retrieve("claude-2.0"))).isExactlyInstanceOf(NotFoundException.class);
        assertThat(journal.entries()).hasSize(3).extracting(JournalEntry::provider).containsOnly(Provider.ANTHROPIC);
    }

    // ---- streaming ----

    @Test
    void streamsEveryEventTheAccumulatorNeeds() {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params())) {
            s.stream().peek(RawMessageStreamEvent::validate).forEach(accumulator::accumulate);
        }

        Message message = accumulator.message();
        message.validate();
        assertThat(message.content()).singleElement().satisfies(b -> assertThat(b.text().map(TextBlock::text)).contains(REPLY));
        assertThat(message.usage().outputTokens()).isPositive();
    }

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_ERROR, afterChunks = 4)
    void anErrorEventRaisesSseExceptionWithoutRetry(RequestJournal journal) {
        List<RawMessageStreamEvent> events = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> {
            try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params())) {
                s.stream().forEach(events::add);
            }
        });

        assertThat(thrown).isExactlyInstanceOf(SseException.class);
        SseException e = (SseException) thrown;
        assertThat(e.statusCode()).isEqualTo(200);
        assertThat(e.apiMessage()).contains("Overloaded");
        assertThat(e.type()).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("overloaded_error"));
        // message_start, content_block_start, ping (dropped by the SDK), then the four content deltas asked for
        assertThat(events).hasSize(6);
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, afterChunks = 4)
    void aCutStreamRaisesAnIoExceptionWithoutRetry(RequestJournal journal) {
        MessageAccumulator accumulator = MessageAccumulator.create();

        Throwable thrown = catchThrowable(() -> {
            try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params())) {
                s.stream().forEach(accumulator::accumulate);
            }
        });

        assertThat(thrown).isExactlyInstanceOf(AnthropicIoException.class).hasMessage("Stream failed");
        assertThat(catchThrowable(accumulator::message)).hasMessageContaining("'message_stop' event not yet received");
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    // Two content deltas, then nothing: the connection stays open (cut after 20 s if the client never gives up).
    @LlmFaultScenario(fault = Fault.STREAM_STALLED, afterChunks = 2, delayMs = 20_000)
    void aStreamStalledMidwayHitsTheReadTimeoutWithoutRetry(RequestJournal journal) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        AnthropicClient impatient = AnthropicOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey(KEY).maxRetries(2)
                .timeout(Duration.ofMillis(500)).build();

        Throwable thrown;
        try {
            thrown = catchThrowable(() -> {
                try (StreamResponse<RawMessageStreamEvent> s = impatient.messages().createStreaming(params())) {
                    s.stream().forEach(accumulator::accumulate);
                }
            });
        } finally {
            impatient.close();
        }

        System.out.printf("measure: anthropic-java stream STREAM_STALLED: %s (%s), %d requests%n",
                thrown == null ? null : thrown.getClass().getSimpleName(), thrown == null ? "" : thrown.getMessage(),
                journal.entries().size());
        assertThat(thrown).isExactlyInstanceOf(AnthropicIoException.class).hasMessage("Stream failed");
        assertThat(catchThrowable(accumulator::message)).hasMessageContaining("'message_stop' event not yet received");
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    // max_tokens counts: the 1-token prompt "hi" + 200000 reserved do not fit claude-sonnet-4-5's 200000.
    void aPromptThatDoesNotFitWithItsMaxTokensIsABadRequestNotRetried(RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> client.messages().create(params().toBuilder().maxTokens(200_000).build()));

        assertThat(thrown).isExactlyInstanceOf(BadRequestException.class)
                .hasMessageContaining("input length and `max_tokens` exceed context limit");
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
        assertThat(journal.entries().get(0).fault()).isEqualTo(Fault.CONTEXT_LENGTH_EXCEEDED);
    }

    // ---- the model's own failures: 200s the SDK hands over as answers, no exception, no retry ----

    private static String text(Message m) {
        StringBuilder sb = new StringBuilder();
        m.content().forEach(b -> b.text().map(TextBlock::text).ifPresent(sb::append));
        return sb.toString();
    }

    private Message streamed(MessageCreateParams params) {
        MessageAccumulator accumulator = MessageAccumulator.create();
        try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
            s.stream().peek(RawMessageStreamEvent::validate).forEach(accumulator::accumulate);
        }
        return accumulator.message();
    }

    private static MessageCreateParams withWeatherTool() {
        return params().toBuilder().addTool(Tool.builder().name("get_weather")
                .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                        .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                        .putAdditionalProperty("days", JsonValue.from(Map.of("type", "integer"))).build())
                        .required(List.of("city")).build())
                .build()).build();
    }

    private static void measure(String what, Message m, RequestJournal journal) {
        System.out.printf("measure: anthropic-java %s: no exception, stop_reason %s, text '%s', %d request(s)%n", what,
                m.stopReason().map(Object::toString).orElse("none"), text(m), journal.entries().size());
    }

    @Test
    @LlmFaultScenario(fault = Fault.LENGTH_TRUNCATED)
    void aTruncatedAnswerIsReturnedWithStopReasonMaxTokens(RequestJournal journal) {
        Message plain = client.messages().create(params());
        Message viaStream = streamed(params());

        measure("LENGTH_TRUNCATED", plain, journal);
        assertThat(plain.stopReason()).contains(StopReason.MAX_TOKENS);
        assertThat(text(plain)).as("cut mid-word: only stop_reason tells").isEqualTo("Hello from LL");
        assertThat(viaStream.stopReason()).contains(StopReason.MAX_TOKENS);
        assertThat(text(viaStream)).isEqualTo("Hello from LL");
        LlmFaultAssertions.assertThat(journal).hasRequestCount(2);
    }

    @Test
    @LlmFaultScenario(fault = Fault.CONTENT_FILTERED)
    void aFilteredAnswerIsReturnedWithStopReasonRefusal(RequestJournal journal) {
        Message plain = client.messages().create(params());
        Message viaStream = streamed(params());

        measure("CONTENT_FILTERED", plain, journal);
        assertThat(plain.stopReason()).contains(StopReason.REFUSAL);
        assertThat(text(plain)).isEmpty();
        assertThat(viaStream.stopReason()).contains(StopReason.REFUSAL);
        LlmFaultAssertions.assertThat(journal).hasRequestCount(2);
    }

    @Test
    @LlmFaultScenario(fault = Fault.INVALID_JSON_OUTPUT)
    void brokenJsonIsReturnedAsAnEndedTurnForTheCallerToParse(RequestJournal journal) {
        Message plain = client.messages().create(params());

        measure("INVALID_JSON_OUTPUT", plain, journal);
        assertThat(plain.stopReason()).contains(StopReason.END_TURN);
        assertThat(text(plain)).startsWith("{\"answer\":\"Hello").doesNotEndWith("}");
    }

    @Test
    @LlmFaultScenario(fault = Fault.UNKNOWN_TOOL_CALL)
    void aCallOfAToolNeverOfferedIsReturnedAsAnyToolUse(RequestJournal journal) {
        Message plain = client.messages().create(withWeatherTool());
        Message viaStream = streamed(withWeatherTool());

        measure("UNKNOWN_TOOL_CALL", plain, journal);
        assertThat(plain.stopReason()).contains(StopReason.TOOL_USE);
        assertThat(plain.content()).singleElement().satisfies(b -> assertThat(b.asToolUse().name())
                .isEqualTo("lookup_internal_records"));
        assertThat(viaStream.content()).singleElement().satisfies(b -> assertThat(b.asToolUse().name())
                .isEqualTo("lookup_internal_records"));
    }

    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOOL_ARGUMENTS)
    void argumentsThatBreakTheToolsSchemaAreReturnedUnchecked(RequestJournal journal) {
        Message viaStream = streamed(withWeatherTool());

        measure("INVALID_TOOL_ARGUMENTS", viaStream, journal);
        ToolUseBlock call = viaStream.content().get(0).asToolUse();
        assertThat(call.name()).isEqualTo("get_weather");
        @SuppressWarnings("unchecked")
        Map<String, Object> input = call._input().convert(Map.class);
        assertThat(input).as("the required city is missing, days is text").doesNotContainKey("city")
                .containsEntry("days", "not a number");
    }
}
