package dev.llmfault.samples;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
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
import com.anthropic.models.messages.TextBlock;
import com.anthropic.models.models.ModelInfo;
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
 * The official Anthropic Java SDK (com.anthropic:anthropic-java 3.14.0) pointed at the fake server: per
 * fault, what it really does, read from the server's journal. Same retry rule as openai-java (408, 409,
 * 429, 5xx including 529, IO errors; {@code x-should-retry} first), but it honours any positive
 * {@code Retry-After} however long. Anthropic sends whole seconds, so a throttled call waits at least 1 s.
 */
class AnthropicJavaUnderFaultsTest {
    private static final String KEY = "sk-ant-test-0123456789abcdef";
    private static final String REPLY = "Hello from LLM Fault Kit. This is a deterministic reply.";

    private FakeLlmServer server;
    private AnthropicClient client;

    @BeforeEach
    void start() {
        server = FakeLlmServer.builder().replyText(REPLY).start();
        client = client(2);
    }

    @AfterEach
    void stop() {
        client.close();
        server.close();
    }

    private AnthropicClient client(int maxRetries) {
        return AnthropicOkHttpClient.builder()
                .baseUrl(server.url().toString())
                .apiKey(KEY)
                .maxRetries(maxRetries)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private static MessageCreateParams params() {
        return MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256).addUserMessage("hi").build();
    }

    private List<JournalEntry> requests(int atLeast) {
        return JournalTimeline.settled(server.journal(), atLeast);
    }

    private static List<String> retryCounts(List<JournalEntry> requests) {
        return requests.stream().map(e -> e.header("x-stainless-retry-count")).toList();
    }

    /** Fault (always on) -> what a plain {@code messages().create} throws and how many requests it sent, with maxRetries 1. */
    static Stream<Arguments> everyFault() {
        return Stream.of(
                arguments(Fault.MISSING_TOKEN, UnauthorizedException.class, 1),
                arguments(Fault.INVALID_TOKEN, UnauthorizedException.class, 1),
                arguments(Fault.EXPIRED_TOKEN, UnauthorizedException.class, 1),
                arguments(Fault.INSUFFICIENT_SCOPE, PermissionDeniedException.class, 1),
                arguments(Fault.MALFORMED_BODY, BadRequestException.class, 1),
                arguments(Fault.MISSING_FIELD, BadRequestException.class, 1),
                arguments(Fault.WRONG_METHOD, UnexpectedStatusCodeException.class, 1),
                arguments(Fault.RATE_LIMITED, RateLimitException.class, 2),
                arguments(Fault.QUOTA_EXCEEDED, PaymentRequiredException.class, 1), // 402 billing_error: not retried
                arguments(Fault.IP_BLOCKED, PermissionDeniedException.class, 1),
                arguments(Fault.REGION_BLOCKED, PermissionDeniedException.class, 1),
                arguments(Fault.OLD_API_VERSION, BadRequestException.class, 1),
                arguments(Fault.MODEL_NOT_FOUND, NotFoundException.class, 1),
                arguments(Fault.OVERLOADED, OverloadedException.class, 2), // 529
                arguments(Fault.SERVER_ERROR, InternalServerException.class, 2),
                arguments(Fault.CONNECTION_RESET, AnthropicIoException.class, 2),
                // A plain body cut short fails while parsing, after the retry layer: never retried.
                arguments(Fault.STREAM_INTERRUPTED, AnthropicInvalidDataException.class, 1),
                arguments(Fault.STREAM_ERROR, InternalServerException.class, 2));
    }

    @ParameterizedTest(name = "{0} -> {1} after {2} request(s)")
    @MethodSource("everyFault")
    void whatThePlainCallDoesUnderEachFault(Fault fault, Class<? extends Throwable> expected, int expectedRequests) {
        server.scenarios().add(Scenario.builder(fault).build());
        AnthropicClient once = client(1);

        Throwable thrown;
        try {
            thrown = catchThrowable(() -> once.messages().create(params()));
        } finally {
            once.close();
        }

        List<JournalEntry> requests = requests(expectedRequests);
        assertThat(thrown).isExactlyInstanceOf(expected);
        assertThat(requests).as(JournalTimeline.describe(requests)).hasSize(expectedRequests)
                .allSatisfy(e -> assertThat(e.fault()).isEqualTo(fault));
        assertThat(retryCounts(requests)).containsExactlyElementsOf(
                IntStream.range(0, expectedRequests).mapToObj(String::valueOf).toList());
    }

    @Test
    void recoversFromARateLimitWaitingTheRetryAfterSeconds() {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(1).retryAfterMs(1000).build());

        Message message = client.messages().create(params());

        message.validate();
        assertThat(message.content()).singleElement().satisfies(b -> assertThat(b.text().map(TextBlock::text)).contains(REPLY));
        List<JournalEntry> requests = requests(2);
        assertThat(requests).hasSize(2);
        assertThat(retryCounts(requests)).containsExactly("0", "1");
        assertThat(requests.get(0).responseHeader("retry-after")).isEqualTo("1");
        assertThat(JournalTimeline.gaps(requests).get(0)).isGreaterThanOrEqualTo(Duration.ofSeconds(1));
    }

    @Test
    void recoversFromOverloaded529() {
        server.scenarios().add(Scenario.builder(Fault.OVERLOADED).times(2).build());

        Message message = client.messages().create(params());

        assertThat(message.stopReason()).isPresent();
        List<JournalEntry> requests = requests(3);
        assertThat(requests).extracting(JournalEntry::status).containsExactly(529, 529, 200);
        assertThat(retryCounts(requests)).containsExactly("0", "1", "2");
    }

    @Test
    void sendsTheKeyAsBearerAndTheNewestApiVersion() {
        client.messages().create(params());

        JournalEntry request = requests(1).get(0);
        assertThat(request.header("authorization")).startsWith("Bearer sk-an");
        assertThat(request.header("x-api-key")).isNull();
        assertThat(request.header("anthropic-version")).isEqualTo("2026-10-21");
    }

    @Test
    void typedExceptionsCarryTheProviderDiagnostics() {
        server.scenarios().add(Scenario.builder(Fault.EXPIRED_TOKEN).build());

        UnauthorizedException e = (UnauthorizedException) catchThrowable(() -> client.messages().create(params()));

        JournalEntry request = requests(1).get(0);
        assertThat(e.statusCode()).isEqualTo(401);
        assertThat(e.requestId()).contains(request.responseHeader("request-id"));
        assertThat(e.apiMessage()).hasValueSatisfying(m -> assertThat(m).startsWith("OAuth token has expired"));
        assertThat(e.type()).hasValueSatisfying(t -> assertThat(t.toString()).isEqualTo("authentication_error"));
        assertThat(e.headers().values("www-authenticate")).singleElement().asString().contains("invalid_token");
    }

    @Test
    void listsAndRetrievesModelsForAPreflightCheck() {
        List<ModelInfo> models = new ArrayList<>();
        client.models().list().autoPager().forEach(models::add);

        models.forEach(ModelInfo::validate);
        assertThat(models).extracting(ModelInfo::id).contains("claude-sonnet-4-5");
        assertThat(client.models().retrieve("claude-sonnet-4-5").id()).isEqualTo("claude-sonnet-4-5");
        assertThat(catchThrowable(() -> client.models().retrieve("claude-2.0"))).isExactlyInstanceOf(NotFoundException.class);
        assertThat(requests(3)).extracting(JournalEntry::provider).containsOnly(Provider.ANTHROPIC);
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
    void anErrorEventRaisesSseExceptionWithoutRetry() {
        server.scenarios().add(Scenario.builder(Fault.STREAM_ERROR).afterChunks(4).build());
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
        // message_start, content_block_start, ping (dropped by the SDK), one delta
        assertThat(events).hasSize(3);
        assertThat(requests(1)).hasSize(1);
    }

    @Test
    void aCutStreamRaisesAnIoExceptionWithoutRetry() {
        server.scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).afterChunks(4).build());
        MessageAccumulator accumulator = MessageAccumulator.create();

        Throwable thrown = catchThrowable(() -> {
            try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params())) {
                s.stream().forEach(accumulator::accumulate);
            }
        });

        assertThat(thrown).isExactlyInstanceOf(AnthropicIoException.class).hasMessage("Stream failed");
        assertThat(catchThrowable(accumulator::message)).hasMessageContaining("'message_stop' event not yet received");
        assertThat(requests(1)).hasSize(1);
    }
}
