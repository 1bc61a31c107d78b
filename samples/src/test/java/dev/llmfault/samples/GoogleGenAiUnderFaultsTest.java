package dev.llmfault.samples;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.errors.ApiException;
import com.google.genai.errors.ClientException;
import com.google.genai.errors.GenAiIOException;
import com.google.genai.errors.ServerException;
import com.google.genai.types.CountTokensResponse;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.HttpOptions;
import com.google.genai.types.HttpRetryOptions;
import com.google.genai.types.Model;
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
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Google's Gen AI SDK (com.google.genai:google-genai 2.3.0) pointed at the fake Gemini API with
 * {@code HttpOptions.baseUrl}: per fault, what it really does, read from the server's journal. It calls
 * {@code POST /v1/models/{model}:generateContent} (v1, not v1beta) with the key in {@code x-goog-api-key}.
 * Its retry rule ({@code RetryInterceptor}): 408, 429, 500, 502, 503, 504 and IO errors, 5 attempts by
 * default, waiting {@code initialDelay * expBase^(n-1) * (1 ± jitter)} (1 s, 2, ±100 %); it reads neither
 * {@code Retry-After} nor Gemini's {@code RetryInfo} ({@link GoogleGenAiRetryInfoFixture} fails the kit's
 * {@code respectedRetryAfter()}, run below). Without {@code HttpOptions.timeout} its OkHttp client has no
 * timeout at all.
 */
@LlmFaultTest(provider = Provider.GEMINI)
class GoogleGenAiUnderFaultsTest {
    static final String KEY = "AIzaSyTest-google-genai-0123456789ab";
    static final String MODEL = "gemini-2.5-flash";
    static final String REPLY = FakeLlmServer.DEFAULT_REPLY_TEXT;
    private static final int ATTEMPTS = 3;

    private URI baseUrl;
    private Client client;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        this.baseUrl = baseUrl;
        client = client(baseUrl, fastRetries(), 10_000);
    }

    @AfterEach
    void stop() {
        client.close();
    }

    // tag::google-genai-client[]
    static Client client(URI baseUrl, HttpRetryOptions retries, int timeoutMs) {
        HttpOptions.Builder http = HttpOptions.builder()
                .baseUrl(baseUrl.toString())   // the SDK appends /v1/models/...
                .timeout(timeoutMs);           // without it: no timeout at all
        if (retries != null) {
            http.retryOptions(retries);        // without it: 5 attempts, 1 s * 2^n ± 100 %
        }
        return Client.builder().apiKey(KEY).httpOptions(http.build()).build();
    }
    // end::google-genai-client[]

    /** Three attempts with millisecond waits, so the matrix runs fast; which statuses it retries is the SDK's. */
    static HttpRetryOptions fastRetries() {
        return HttpRetryOptions.builder().attempts(ATTEMPTS).initialDelay(0.01).maxDelay(0.05).build();
    }

    /** What the SDK does about a fault: the exception a call ends with, and how many requests it sent. */
    record Reaction(Class<? extends Throwable> thrown, int requests) {
    }

    /** Fault (always on) -> what a plain {@code generateContent} throws and how many requests it sent (3 attempts). */
    static final Map<Fault, Reaction> PLAIN_CALL = new EnumMap<>(Map.ofEntries(
            Map.entry(Fault.MISSING_TOKEN, new Reaction(ClientException.class, 1)),    // 403 PERMISSION_DENIED
            Map.entry(Fault.INVALID_TOKEN, new Reaction(ClientException.class, 1)),    // 400 API_KEY_INVALID
            Map.entry(Fault.EXPIRED_TOKEN, new Reaction(ClientException.class, 1)),    // 400 API_KEY_INVALID
            Map.entry(Fault.INSUFFICIENT_SCOPE, new Reaction(ClientException.class, 1)),
            Map.entry(Fault.MALFORMED_BODY, new Reaction(ClientException.class, 1)),
            Map.entry(Fault.CONTEXT_LENGTH_EXCEEDED, new Reaction(ClientException.class, 1)),
            Map.entry(Fault.MISSING_FIELD, new Reaction(ClientException.class, 1)),
            Map.entry(Fault.WRONG_METHOD, new Reaction(ClientException.class, 1)),
            Map.entry(Fault.RATE_LIMITED, new Reaction(ClientException.class, ATTEMPTS)),
            // a spent daily quota is the same 429: retried like a rate limit
            Map.entry(Fault.QUOTA_EXCEEDED, new Reaction(ClientException.class, ATTEMPTS)),
            Map.entry(Fault.IP_BLOCKED, new Reaction(ClientException.class, 1)),
            Map.entry(Fault.REGION_BLOCKED, new Reaction(ClientException.class, 1)),   // 400 FAILED_PRECONDITION
            Map.entry(Fault.OLD_API_VERSION, new Reaction(ClientException.class, 1)),
            Map.entry(Fault.MODEL_NOT_FOUND, new Reaction(ClientException.class, 1)),
            Map.entry(Fault.OVERLOADED, new Reaction(ServerException.class, ATTEMPTS)),
            Map.entry(Fault.SERVER_ERROR, new Reaction(ServerException.class, ATTEMPTS)),
            Map.entry(Fault.CONNECTION_RESET, new Reaction(GenAiIOException.class, ATTEMPTS)),
            Map.entry(Fault.STREAM_INTERRUPTED, new Reaction(GenAiIOException.class, 1)),
            // no stream to break on a plain call: the server answers its 500
            Map.entry(Fault.STREAM_ERROR, new Reaction(ServerException.class, ATTEMPTS))));

    @LlmFaultMatrix(allFaults = true, except = {Fault.SLOW_RESPONSE, Fault.STREAM_STALLED, Fault.LENGTH_TRUNCATED,
            Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS},
            times = LlmFaultScenario.UNLIMITED, retryAfterMs = 20)
    void whatThePlainCallDoesUnderEachFault(FaultCase fault, RequestJournal journal) {
        Reaction expected = PLAIN_CALL.get(fault.fault());

        Throwable thrown = catchThrowable(() -> client.models.generateContent(MODEL, "hi", null));

        assertThat(thrown).as("%s", fault).isExactlyInstanceOf(expected.thrown());
        LlmFaultAssertions.assertThat(journal).hasAttempts(expected.requests()).gaveUpAfter(expected.requests());
        assertThat(journal.entries()).allSatisfy(e -> assertThat(e.fault()).isEqualTo(fault.fault()));
        if (thrown instanceof ApiException api) {
            assertThat(api.code()).isEqualTo(journal.entries().get(0).status());
        }
    }

    @Test
    void answersAPlainCallOnTheV1Path(RequestJournal journal) {
        GenerateContentResponse response = client.models.generateContent(MODEL, "hi", null);

        assertThat(response.text()).isEqualTo(REPLY);
        assertThat(response.usageMetadata().orElseThrow().totalTokenCount()).hasValueSatisfying(t -> assertThat(t).isPositive());
        JournalEntry call = journal.entries().get(0);
        assertThat(call.path()).isEqualTo("/v1/models/" + MODEL + ":generateContent");
        assertThat(call.header("x-goog-api-key")).doesNotContain(KEY.substring(8));
        LlmFaultAssertions.assertThat(journal).neverSentCredentialsInQuery();
    }

    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN)
    void aBadKeyIsA400WithGooglesStatusAndNoKeyInTheMessage() {
        ClientException e = (ClientException) catchThrowable(() -> client.models.generateContent(MODEL, "hi", null));

        assertThat(e.code()).isEqualTo(400);
        assertThat(e.status()).isEqualTo("INVALID_ARGUMENT");
        assertThat(e.getMessage()).contains("API key not valid").contains("API_KEY_INVALID").doesNotContain(KEY);
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 2, retryAfterMs = 50)
    void retriesA429AndSucceeds(RequestJournal journal) {
        GenerateContentResponse response = client.models.generateContent(MODEL, "hi", null);

        assertThat(response.text()).isEqualTo(REPLY);
        assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(429, 429, 200);
        assertThat(journal.entries().get(0).retryAfter()).contains(Duration.ofMillis(50)); // RetryInfo, no header
        assertThat(journal.entries().get(0).responseHeader("retry-after")).isNull();
    }

    // tag::google-genai-retry-info[]
    /** The kit's own assertion, run on google-genai's default retries through EngineTestKit: it fails, and says why. */
    @Test
    void doesNotHonourRetryInfo() {
        List<Event> finished = EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(GoogleGenAiRetryInfoFixture.class))
                .configurationParameter("llmfault.timeline.print", "false")
                .execute().testEvents().finished().list();

        assertThat(finished).singleElement()
                .extracting(e -> e.getRequiredPayload(TestExecutionResult.class).getThrowable().orElseThrow())
                .isInstanceOf(AssertionError.class)
                .extracting(Throwable::getMessage).asString()
                .contains("Expecting every retry to wait at least as long as the retry hint")
                .contains("asked to wait 3000 ms");
    }
    // end::google-genai-retry-info[]

    @Test
    @LlmFaultScenario(fault = Fault.SLOW_RESPONSE, times = 1, delayMs = 1500)
    void aTimeoutIsNotRetried(RequestJournal journal) {
        try (Client impatient = client(baseUrl, fastRetries(), 500)) {
            Throwable thrown = catchThrowable(() -> impatient.models.generateContent(MODEL, "hi", null));

            // HttpOptions.timeout is OkHttp's call timeout, which covers the whole call, retries included
            assertThat(thrown).isExactlyInstanceOf(GenAiIOException.class);
        }
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
        assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactly(Fault.SLOW_RESPONSE);
    }

    @Test
    void listsAndLooksUpModelsAndCountsTokens(RequestJournal journal) {
        List<Model> models = new ArrayList<>();
        client.models.list(null).forEach(models::add);
        Model one = client.models.get(MODEL, null);
        CountTokensResponse count = client.models.countTokens(MODEL, "hello there", null);

        assertThat(models).extracting(m -> m.name().orElseThrow()).contains("models/" + MODEL);
        assertThat(one.name()).contains("models/" + MODEL);
        assertThat(count.totalTokens()).hasValueSatisfying(t -> assertThat(t).isPositive());
        assertThat(journal.entries()).extracting(JournalEntry::provider).containsOnly(Provider.GEMINI);
    }

    // ---- streaming ----

    private static String text(List<GenerateContentResponse> chunks) {
        StringBuilder sb = new StringBuilder();
        chunks.forEach(c -> {
            String t = c.text();
            if (t != null) {
                sb.append(t);
            }
        });
        return sb.toString();
    }

    private List<GenerateContentResponse> stream(Client c, List<GenerateContentResponse> into) {
        try (ResponseStream<GenerateContentResponse> s = c.models.generateContentStream(MODEL, "hi", null)) {
            s.forEach(into::add);
        }
        return into;
    }

    @Test
    void streamsTheWholeAnswer(RequestJournal journal) {
        List<GenerateContentResponse> chunks = stream(client, new ArrayList<>());

        assertThat(text(chunks)).isEqualTo(REPLY);
        assertThat(journal.entries()).singleElement().satisfies(e -> {
            assertThat(e.stream()).isTrue();
            assertThat(e.path()).isEqualTo("/v1/models/" + MODEL + ":streamGenerateContent");
            assertThat(e.query()).isEqualTo("alt=sse");
        });
    }

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_ERROR, afterChunks = 2)
    void anErrorFrameInTheStreamRaisesServerExceptionWithoutRetry(RequestJournal journal) {
        List<GenerateContentResponse> chunks = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> stream(client, chunks));

        assertThat(thrown).isExactlyInstanceOf(ServerException.class);
        assertThat(((ServerException) thrown).code()).isEqualTo(500);
        assertThat(chunks).hasSize(2);
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, afterChunks = 3)
    void aCutStreamRaisesGenAiIoExceptionWithoutRetry(RequestJournal journal) {
        List<GenerateContentResponse> chunks = new ArrayList<>();

        Throwable thrown = catchThrowable(() -> stream(client, chunks));

        assertThat(thrown).isExactlyInstanceOf(GenAiIOException.class);
        assertThat(text(chunks)).isNotEqualTo(REPLY);
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 20)
    void aRateLimitBeforeTheStreamIsRetried(RequestJournal journal) {
        List<GenerateContentResponse> chunks = stream(client, new ArrayList<>());

        assertThat(text(chunks)).isEqualTo(REPLY);
        assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(429, 200);
    }

    @Test
    @LlmFaultScenario(fault = Fault.SLOW_RESPONSE, delayMs = 1500)
    void aStreamStalledBeforeItsFirstChunkHitsTheCallTimeout(RequestJournal journal) {
        try (Client impatient = client(baseUrl, fastRetries(), 500)) {
            Throwable thrown = catchThrowable(() -> stream(impatient, new ArrayList<>()));

            assertThat(thrown).isExactlyInstanceOf(GenAiIOException.class);
        }
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    // ---- the model's own failures: 200s the SDK hands over as answers ----

    private static String finishReason(GenerateContentResponse r) {
        return r.candidates().orElseThrow().get(0).finishReason().map(Object::toString).orElse("none");
    }

    @Test
    @LlmFaultScenario(fault = Fault.LENGTH_TRUNCATED)
    void aTruncatedAnswerIsReturnedWithFinishReasonMaxTokens(RequestJournal journal) {
        GenerateContentResponse response = client.models.generateContent(MODEL, "hi", null);

        System.out.printf("measure: google-genai LENGTH_TRUNCATED: no exception, finishReason %s, text '%s', %d request(s)%n",
                finishReason(response), response.text(), journal.entries().size());
        assertThat(finishReason(response)).isEqualTo("MAX_TOKENS");
        assertThat(response.text()).as("cut mid-word: only the finish reason tells").isEqualTo("Hello from LL");
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.CONTENT_FILTERED)
    void aFilteredAnswerIsReturnedButReadingItsTextThrows(RequestJournal journal) {
        GenerateContentResponse response = client.models.generateContent(MODEL, "hi", null);

        Throwable thrown = catchThrowable(response::text);

        System.out.printf("measure: google-genai CONTENT_FILTERED: generateContent returns, finishReason %s, text() throws "
                + "%s (%s), %d request(s)%n", finishReason(response), thrown == null ? null : thrown.getClass().getSimpleName(),
                thrown == null ? "" : thrown.getMessage(), journal.entries().size());
        assertThat(finishReason(response)).isEqualTo("SAFETY");
        assertThat(thrown).isExactlyInstanceOf(IllegalArgumentException.class)
                .hasMessage("The response finished unexpectedly with reason SAFETY.");
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }
}
