package dev.llmfault.samples.springai;

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
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.core.retry.RetryTemplate;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The travel assistant on Spring AI 2.0.1's OpenAI starter, pointed at the fake server: what it really does under
 * each fault. Spring AI 2.0 runs OpenAI on the official openai-java SDK (4.49.0), and its {@code OpenAiChatModel}
 * has no retry of its own: the SDK retries ({@code spring.ai.openai.max-retries}, default 3: 408, 409, 429, 5xx
 * and IO errors, waiting {@code retry-after-ms} / {@code Retry-After} or 0.5 s * 2^n minus up to 25 % jitter),
 * and the SDK's exceptions reach the caller unwrapped. {@code spring.ai.retry.*} configures a {@code RetryTemplate}
 * bean that this model never uses.
 */
// tag::spring-ai-openai-wiring[]
@SpringBootTest
@LlmFaultTest(provider = Provider.OPENAI)
class SpringAiOpenAiUnderFaultsTest extends TravelAssistantUnderFaults {
    static final String KEY = "sk-test-spring-ai-openai-0123456789abcdef";
    static final int MAX_RETRIES = 2;
    private static URI baseUrl;

    @BeforeAll
    static void fakeProvider(@LlmBaseUrl URI url) {
        baseUrl = url; // the extension's server starts first; Spring builds the context after @BeforeAll
    }

    @DynamicPropertySource
    static void pointSpringAiAtTheFakeProvider(DynamicPropertyRegistry registry) {
        registry.add("spring.ai.model.chat", () -> "openai");
        registry.add("spring.ai.openai.base-url", () -> baseUrl.toString());    // http://127.0.0.1:PORT/v1
        registry.add("spring.ai.openai.api-key", () -> KEY);
        registry.add("spring.ai.openai.max-retries", () -> MAX_RETRIES);        // the SDK's retries: these count
        registry.add("spring.ai.openai.timeout", () -> "2s");                   // ignored by chat calls (below)
        registry.add("spring.ai.retry.max-attempts", () -> 5);                  // ignored by the OpenAI model
        registry.add("spring.ai.retry.backoff.initial-interval", () -> "10ms");
    }
    // end::spring-ai-openai-wiring[]

    static final int ALL = 1 + MAX_RETRIES;

    @Override
    Map<Fault, Reaction> reactions() {
        return new EnumMap<>(Map.ofEntries(
                Map.entry(Fault.MISSING_TOKEN, new Reaction(UnauthorizedException.class, 1)),
                Map.entry(Fault.INVALID_TOKEN, new Reaction(UnauthorizedException.class, 1)),
                Map.entry(Fault.EXPIRED_TOKEN, new Reaction(UnauthorizedException.class, 1)),
                Map.entry(Fault.INSUFFICIENT_SCOPE, new Reaction(UnauthorizedException.class, 1)),
                Map.entry(Fault.MALFORMED_BODY, new Reaction(BadRequestException.class, 1)),
                Map.entry(Fault.MISSING_FIELD, new Reaction(BadRequestException.class, 1)),
                Map.entry(Fault.CONTEXT_LENGTH_EXCEEDED, new Reaction(BadRequestException.class, 1)),
                Map.entry(Fault.WRONG_METHOD, new Reaction(UnexpectedStatusCodeException.class, 1)),
                Map.entry(Fault.RATE_LIMITED, new Reaction(RateLimitException.class, ALL)),
                Map.entry(Fault.QUOTA_EXCEEDED, new Reaction(RateLimitException.class, ALL)),
                Map.entry(Fault.IP_BLOCKED, new Reaction(PermissionDeniedException.class, 1)),
                Map.entry(Fault.REGION_BLOCKED, new Reaction(PermissionDeniedException.class, 1)),
                Map.entry(Fault.OLD_API_VERSION, new Reaction(NotFoundException.class, 1)),
                Map.entry(Fault.MODEL_NOT_FOUND, new Reaction(NotFoundException.class, 1)),
                Map.entry(Fault.OVERLOADED, new Reaction(InternalServerException.class, ALL)),
                Map.entry(Fault.SERVER_ERROR, new Reaction(InternalServerException.class, ALL)),
                // a plain body cut short fails while the SDK parses it, after its retry layer
                Map.entry(Fault.STREAM_INTERRUPTED, new Reaction(OpenAIInvalidDataException.class, 1)),
                Map.entry(Fault.STREAM_ERROR, new Reaction(InternalServerException.class, ALL))));
    }

    @Override
    boolean retriesARateLimit() {
        return true;
    }

    /**
     * Spring AI's own OkHttp client keeps {@code retryOnConnectionFailure} on (openai-java's turns it off): the reset
     * of a pooled connection is retried at once on a new one, then come the SDK's 2 retries.
     */
    @Override
    Reaction afterAPooledConnectionIsReset() {
        return new Reaction(OpenAIIoException.class, 1 + ALL);
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 1100)
    void recoversFromARateLimitWaitingTheRetryAfterMsHint(RequestJournal journal) {
        assertThat(assistant.ask(QUESTION)).isEqualTo(REPLY);

        LlmFaultAssertions.assertThat(journal).hasAttempts(2).respectedRetryAfter();
    }

    @Test
    @LlmFaultScenario(fault = Fault.SERVER_ERROR, times = LlmFaultScenario.UNLIMITED)
    void retriesOnTheSdksScheduleNotOnSpringAiRetryProperties(RequestJournal journal, @Autowired RetryTemplate retry) {
        Throwable thrown = catchThrowable(() -> assistant.ask(QUESTION));

        assertThat(retry).as("spring.ai.retry.* still makes its RetryTemplate bean").isNotNull();
        assertThat(thrown).isExactlyInstanceOf(InternalServerException.class);
        // not 1 + 5 attempts 10 ms apart (spring.ai.retry) but 1 + 2, 0.5 s then 1 s less jitter (the SDK's)
        LlmFaultAssertions.assertThat(journal).hasAttempts(ALL)
                .waitedAtLeast(Duration.ofMillis(375))
                .backedOffExponentially(2.0, 0.35);
    }

    @Test
    @LlmFaultScenario(fault = Fault.SLOW_RESPONSE, times = 1, delayMs = 3000)
    void ignoresItsTimeoutPropertyOnChatCalls(RequestJournal journal) {
        long started = System.nanoTime();
        assertThat(assistant.ask(QUESTION)).isEqualTo(REPLY);
        Duration waited = Duration.ofNanos(System.nanoTime() - started);

        // spring.ai.openai.timeout = 2s reaches the SDK client, but every chat call's options carry their own
        // timeout, 60 s unless set: the call waits the whole 3 s stall and is never retried.
        assertThat(waited).isGreaterThanOrEqualTo(Duration.ofMillis(3000));
        assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactly(Fault.SLOW_RESPONSE);
        assertThat(journal.entries().get(0).header("x-stainless-timeout")).isEqualTo("60");
    }

    /** The same answer streamed ({@code .stream().content()}), on the same context. */
    @Nested
    class Streaming {
        private final List<String> pieces = new CopyOnWriteArrayList<>();

        private Throwable stream() {
            return catchThrowable(() -> assistant.streamAnswer(QUESTION).doOnNext(pieces::add)
                    .then().block(Duration.ofSeconds(10)));
        }

        @Test
        void streamsTheWholeAnswer(RequestJournal journal) {
            assertThat(stream()).isNull();

            assertThat(String.join("", pieces)).isEqualTo(REPLY);
            assertThat(journal.entries()).singleElement().satisfies(e -> assertThat(e.stream()).isTrue());
        }

        @Test
        @LlmFaultScenario(fault = Fault.STREAM_ERROR, afterChunks = 3)
        void anErrorEventMidStream(RequestJournal journal) {
            Throwable thrown = stream();

            assertThat(thrown).isExactlyInstanceOf(SseException.class);
            assertThat(String.join("", pieces)).isNotEmpty().isNotEqualTo(REPLY);
            LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
        }

        @Test
        @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, afterChunks = 3)
        void aStreamCutShort(RequestJournal journal) {
            Throwable thrown = stream();

            assertThat(thrown).isExactlyInstanceOf(OpenAIIoException.class);
            assertThat(String.join("", pieces)).isNotEqualTo(REPLY);
            LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
        }

        @Test
        @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 200)
        void aRateLimitBeforeTheFirstChunkIsRetried(RequestJournal journal) {
            assertThat(stream()).isNull();

            assertThat(String.join("", pieces)).isEqualTo(REPLY);
            LlmFaultAssertions.assertThat(journal).hasAttempts(2).respectedRetryAfter();
        }
    }
}
