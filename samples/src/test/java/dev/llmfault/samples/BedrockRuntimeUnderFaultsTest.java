package dev.llmfault.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmCredentials;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsSessionCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.SdkBytes;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.AccessDeniedException;
import software.amazon.awssdk.services.bedrockruntime.model.BedrockRuntimeException;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.InternalServerException;
import software.amazon.awssdk.services.bedrockruntime.model.InvokeModelResponse;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.ModelStreamErrorException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceQuotaExceededException;
import software.amazon.awssdk.services.bedrockruntime.model.ServiceUnavailableException;
import software.amazon.awssdk.services.bedrockruntime.model.ThrottlingException;
import software.amazon.awssdk.services.bedrockruntime.model.ValidationException;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionException;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * The AWS SDK for Java v2 Bedrock Runtime client (software.amazon.awssdk:bedrockruntime 2.59.1) pointed at
 * the fake server with {@code endpointOverride} and static credentials: per fault and retry mode, what it
 * really does (exception class, attempts, waits), read from the server's journal. The sync client
 * ({@code converse}) runs on its default Apache 5 client over HTTP/1.1; the async one
 * ({@code converseStream}) on Netty, which speaks cleartext HTTP/2 with prior knowledge to an
 * {@code http://} endpoint. Every attempt carries {@code amz-sdk-request: attempt=N; max=M}.
 */
@LlmFaultTest(provider = Provider.BEDROCK)
class BedrockRuntimeUnderFaultsTest {
    private static final String KEY_ID = "AKIAIOSFODNN7EXAMPLE";
    private static final String SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
    private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
    private static final String REPLY = FakeLlmServer.DEFAULT_REPLY_TEXT;
    private static final int MAX_ATTEMPTS = 3;

    private URI endpoint;
    private final List<AutoCloseable> clients = new ArrayList<>();
    /** The credentials policy before the test: a test that sets one itself gives it back (a shared remote server). */
    private java.util.Optional<CredentialPolicy> credentialsBefore;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl, FakeLlmServer server) {
        this.endpoint = baseUrl;
        this.credentialsBefore = server.policies().credentials();
    }

    @AfterEach
    void stop(FakeLlmServer server) throws Exception {
        for (AutoCloseable c : clients) {
            c.close();
        }
        // Set in code, not by @LlmCredentials, so the extension cannot take it back: on the standalone server that
        // the CI recipe shares between all sample classes it would refuse every later test's key.
        if (!server.policies().credentials().equals(credentialsBefore)) {
            server.policies().credentials(credentialsBefore.orElse(null));
        }
    }

    private BedrockRuntimeClient client(RetryMode mode, AwsCredentialsProvider credentials) {
        BedrockRuntimeClient client = BedrockRuntimeClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(credentials)
                .overrideConfiguration(o -> o.retryStrategy(mode))
                .build();
        clients.add(client);
        return client;
    }

    private BedrockRuntimeClient client(RetryMode mode) {
        return client(mode, StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)));
    }

    private BedrockRuntimeAsyncClient asyncClient(RetryMode mode) {
        BedrockRuntimeAsyncClient client = BedrockRuntimeAsyncClient.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(KEY_ID, SECRET)))
                .overrideConfiguration(o -> o.retryStrategy(mode))
                .build();
        clients.add(client);
        return client;
    }

    private static Message userMessage(String text) {
        return Message.builder().role(ConversationRole.USER).content(ContentBlock.fromText(text)).build();
    }

    private static ConverseResponse converse(BedrockRuntimeClient client) {
        return client.converse(r -> r.modelId(MODEL).messages(userMessage("hi")));
    }

    /** The streamed text, or the exception the stream ended with (unwrapped from the future). */
    private static StreamOutcome converseStream(BedrockRuntimeAsyncClient client) {
        StringBuilder text = new StringBuilder();
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockDelta(d -> text.append(d.delta().text()))
                        .build())
                .build();
        ConverseStreamRequest request = ConverseStreamRequest.builder().modelId(MODEL).messages(userMessage("hi")).build();
        Throwable thrown = catchThrowable(() -> client.converseStream(request, handler).join());
        if (thrown instanceof CompletionException && thrown.getCause() != null) {
            thrown = thrown.getCause();
        }
        return new StreamOutcome(text.toString(), thrown);
    }

    record StreamOutcome(String text, Throwable thrown) {
    }

    /** The attempt numbers the SDK wrote on each request ({@code amz-sdk-request: attempt=2; max=3}). */
    private static List<String> attempts(RequestJournal journal) {
        return journal.entries().stream().map(e -> e.header("amz-sdk-request")).toList();
    }

    private static List<String> expectedAttempts(int n) {
        return IntStream.rangeClosed(1, n).mapToObj(i -> "attempt=" + i + "; max=" + MAX_ATTEMPTS).toList();
    }

    /** Gaps between consecutive arrivals, in ms. */
    private static List<Long> waitsMs(RequestJournal journal) {
        List<JournalEntry> e = journal.entries();
        return IntStream.range(1, e.size())
                .mapToObj(i -> (e.get(i).monotonicNanos() - e.get(i - 1).monotonicNanos()) / 1_000_000).toList();
    }

    /** What the SDK does about a fault: the exception a call ends with, and how many requests it sent. */
    record Reaction(Class<? extends Throwable> thrown, String errorCode, int requests) {
    }

    private static Reaction once(Class<? extends Throwable> thrown, String errorCode) {
        return new Reaction(thrown, errorCode, 1);
    }

    private static Reaction retried(Class<? extends Throwable> thrown, String errorCode) {
        return new Reaction(thrown, errorCode, MAX_ATTEMPTS);
    }

    /** Fault (always on) -> what {@code converse} throws and how many requests it sent; the same in both modes. */
    static final Map<Fault, Reaction> CONVERSE = new EnumMap<>(Map.ofEntries(
            // No modelled class for the front end's own errors: BedrockRuntimeException with the error code.
            Map.entry(Fault.MISSING_TOKEN, once(BedrockRuntimeException.class, "MissingAuthenticationTokenException")),
            Map.entry(Fault.INVALID_TOKEN, once(BedrockRuntimeException.class, "UnrecognizedClientException")),
            Map.entry(Fault.EXPIRED_TOKEN, once(BedrockRuntimeException.class, "ExpiredTokenException")),
            Map.entry(Fault.INSUFFICIENT_SCOPE, once(AccessDeniedException.class, "AccessDeniedException")),
            Map.entry(Fault.MALFORMED_BODY, once(ValidationException.class, "ValidationException")),
            Map.entry(Fault.CONTEXT_LENGTH_EXCEEDED, once(ValidationException.class, "ValidationException")),
            Map.entry(Fault.MISSING_FIELD, once(ValidationException.class, "ValidationException")),
            Map.entry(Fault.WRONG_METHOD, once(BedrockRuntimeException.class, "UnknownOperationException")),
            Map.entry(Fault.RATE_LIMITED, retried(ThrottlingException.class, "ThrottlingException")),
            Map.entry(Fault.QUOTA_EXCEEDED, once(ServiceQuotaExceededException.class, "ServiceQuotaExceededException")),
            Map.entry(Fault.IP_BLOCKED, once(AccessDeniedException.class, "AccessDeniedException")),
            Map.entry(Fault.REGION_BLOCKED, once(AccessDeniedException.class, "AccessDeniedException")),
            Map.entry(Fault.OLD_API_VERSION, once(BedrockRuntimeException.class, "UnknownOperationException")),
            Map.entry(Fault.MODEL_NOT_FOUND, once(ValidationException.class, "ValidationException")),
            Map.entry(Fault.OVERLOADED, retried(ServiceUnavailableException.class, "ServiceUnavailableException")),
            Map.entry(Fault.SERVER_ERROR, retried(InternalServerException.class, "InternalServerException")),
            Map.entry(Fault.CONNECTION_RESET, retried(SdkClientException.class, null)),
            Map.entry(Fault.STREAM_INTERRUPTED, retried(SdkClientException.class, null)),
            Map.entry(Fault.STREAM_ERROR, retried(InternalServerException.class, "InternalServerException"))));

    private void assertConverseReaction(FaultCase fault, RequestJournal journal, RetryMode mode) {
        Reaction expected = CONVERSE.get(fault.fault());

        Throwable thrown = catchThrowable(() -> converse(client(mode)));

        assertThat(thrown).isExactlyInstanceOf(expected.thrown());
        if (expected.errorCode() != null) {
            assertThat(((AwsServiceException) thrown).awsErrorDetails().errorCode()).isEqualTo(expected.errorCode());
        }
        LlmFaultAssertions.assertThat(journal).hasAttempts(expected.requests()).gaveUpAfter(expected.requests());
        assertThat(journal.entries()).allSatisfy(e -> assertThat(e.fault()).isEqualTo(fault.fault()));
        assertThat(attempts(journal)).containsExactlyElementsOf(expectedAttempts(expected.requests()));
        System.out.printf("measure: converse %s %s: %s, %d requests, waits %s ms%n", mode, fault.fault(),
                thrown.getClass().getSimpleName(), journal.entries().size(), waitsMs(journal));
    }

    @LlmFaultMatrix(allFaults = true, except = {Fault.SLOW_RESPONSE, Fault.STREAM_STALLED, Fault.LENGTH_TRUNCATED,
            Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS},
            times = LlmFaultScenario.UNLIMITED)
    void whatConverseDoesUnderEachFaultInStandardMode(FaultCase fault, RequestJournal journal) {
        assertConverseReaction(fault, journal, RetryMode.STANDARD);
    }

    @LlmFaultMatrix(allFaults = true, except = {Fault.SLOW_RESPONSE, Fault.STREAM_STALLED, Fault.LENGTH_TRUNCATED,
            Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS},
            times = LlmFaultScenario.UNLIMITED)
    void whatConverseDoesUnderEachFaultInAdaptiveMode(FaultCase fault, RequestJournal journal) {
        assertConverseReaction(fault, journal, RetryMode.ADAPTIVE);
    }

    @Test
    void conversesAndSignsEveryRequest(RequestJournal journal) {
        ConverseResponse response = converse(client(RetryMode.STANDARD));

        assertThat(response.output().message().content().get(0).text()).isEqualTo(REPLY);
        assertThat(response.usage().totalTokens()).isEqualTo(response.usage().inputTokens() + response.usage().outputTokens());
        JournalEntry request = journal.entries().get(0);
        assertThat(request.model()).isEqualTo(MODEL);
        assertThat(request.apiKeyMask()).isEqualTo("AKIAI***MPLE"); // the access key id is the journal's key
        assertThat(request.header("authorization")).doesNotContain(SECRET);
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 2)
    void standardModeRetriesThrottlingWithItsOwnBackoff(RequestJournal journal) {
        ConverseResponse response = converse(client(RetryMode.STANDARD));

        assertThat(response.output().message().content().get(0).text()).isEqualTo(REPLY);
        assertThat(attempts(journal)).containsExactlyElementsOf(expectedAttempts(3));
        // full jitter on 1 s * 2^(n-1) for throttling: each wait is anywhere below its cap
        assertThat(waitsMs(journal)).hasSize(2).allSatisfy(w -> assertThat(w).isLessThan(2_500));
    }

    // ---- streaming: the async client over h2c ----

    /** Fault (always on) -> what {@code converseStream} ends with and how many requests it sent. */
    static final Map<Fault, Reaction> CONVERSE_STREAM = new EnumMap<>(Map.ofEntries(
            Map.entry(Fault.RATE_LIMITED, retried(ThrottlingException.class, "ThrottlingException")),
            Map.entry(Fault.SERVER_ERROR, retried(InternalServerException.class, "InternalServerException")),
            Map.entry(Fault.STREAM_ERROR, once(ModelStreamErrorException.class, "modelStreamErrorException")),
            Map.entry(Fault.STREAM_INTERRUPTED, retried(SdkClientException.class, null)),
            Map.entry(Fault.CONNECTION_RESET, retried(SdkClientException.class, null))));

    @Test
    void streamsTheWholeAnswerOverHttp2(RequestJournal journal) {
        StreamOutcome outcome = converseStream(asyncClient(RetryMode.STANDARD));

        assertThat(outcome.thrown()).isNull();
        assertThat(outcome.text()).isEqualTo(REPLY);
        assertThat(journal.entries()).singleElement().satisfies(e -> assertThat(e.stream()).isTrue());
    }

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, times = 1, afterChunks = 2)
    void aStreamCutMidwayIsRestartedAndTheHandlerSeesTheFirstPiecesTwice(RequestJournal journal) {
        StreamOutcome outcome = converseStream(asyncClient(RetryMode.STANDARD));

        // the SDK retries the whole call and feeds the new stream's events to the same handler: no exception,
        // and the text it assembled starts with the two pieces the cut stream had already delivered
        assertThat(outcome.thrown()).isNull();
        assertThat(outcome.text()).isEqualTo("Hello from " + REPLY);
        assertThat(attempts(journal)).containsExactlyElementsOf(expectedAttempts(2));
        assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactly(Fault.STREAM_INTERRUPTED, null);
    }

    @LlmFaultMatrix(faults = {Fault.RATE_LIMITED, Fault.SERVER_ERROR, Fault.STREAM_ERROR, Fault.STREAM_INTERRUPTED,
            Fault.CONNECTION_RESET}, times = LlmFaultScenario.UNLIMITED, afterChunks = 2)
    void whatConverseStreamDoesUnderEachFault(FaultCase fault, RequestJournal journal) {
        Reaction expected = CONVERSE_STREAM.get(fault.fault());

        StreamOutcome outcome = converseStream(asyncClient(RetryMode.STANDARD));

        assertThat(outcome.thrown()).isExactlyInstanceOf(expected.thrown());
        assertThat(attempts(journal)).containsExactlyElementsOf(expectedAttempts(expected.requests()));
        System.out.printf("measure: converseStream %s: %s, %d requests, waits %s ms, text '%s'%n", fault.fault(),
                outcome.thrown().getClass().getSimpleName(), journal.entries().size(), waitsMs(journal), outcome.text());
    }

    // ---- credentials: the access key id is the key the policies and the journal see ----

    @Test
    @LlmCredentials(apiKeys = "AKIAJEXAMPLEREGISTER")
    void anAccessKeyTheCredentialsPolicyDoesNotKnowIsAnUnrecognizedClient(RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> converse(client(RetryMode.STANDARD)));

        assertThat(thrown).isInstanceOfSatisfying(BedrockRuntimeException.class, e -> {
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("UnrecognizedClientException");
            assertThat(e.requestId()).isEqualTo(journal.entries().get(0).responseHeader("x-amzn-RequestId"));
        });
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
        assertThat(journal.entries().get(0).faultReason()).contains("unknown credential AKIAI***MPLE");
    }

    // tag::bedrock-expiring-session-token[]
    @Test
    void aSessionTokenThatExpiresFailsUntilTheClientTakesNewCredentials(FakeLlmServer server, RequestJournal journal) {
        Instant expiry = Instant.now().plusMillis(1_000);
        server.policies().credentials(CredentialPolicy.builder()  // temporary keys: the key id expires with its token
                .apiKey("ASIAIOSFODNN7EXAMPLE", Set.of(CredentialPolicy.DEFAULT_SCOPE), expiry)
                .apiKey("ASIAJEXAMPLERENEWED1")
                .build());
        AwsCredentials[] current = {AwsSessionCredentials.create("ASIAIOSFODNN7EXAMPLE", SECRET, "session-token-1-0123456789")};
        BedrockRuntimeClient client = client(RetryMode.STANDARD, () -> current[0]);

        ConverseResponse before = converse(client);
        await().until(() -> Instant.now().isAfter(expiry));
        Throwable expired = catchThrowable(() -> converse(client));
        current[0] = AwsSessionCredentials.create("ASIAJEXAMPLERENEWED1", SECRET, "session-token-2-0123456789");
        ConverseResponse after = converse(client);

        assertThat(expired).isInstanceOfSatisfying(BedrockRuntimeException.class, e -> {  // no class of its own
            assertThat(e.statusCode()).isEqualTo(403);
            assertThat(e.awsErrorDetails().errorCode()).isEqualTo("ExpiredTokenException");
        });
        assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactly(null, Fault.EXPIRED_TOKEN, null);
        assertThat(List.of(before, after)).allSatisfy(r -> assertThat(r.output().message().content().get(0).text()).isEqualTo(REPLY));
        assertThat(journal.entries()).allSatisfy(e ->  // the session token is masked in the journal like any credential
                assertThat(e.header("x-amz-security-token")).doesNotContain("session-token"));
    }
    // end::bedrock-expiring-session-token[]

    // ---- InvokeModel with an Anthropic body ----

    @Test
    void invokesAnAnthropicModelWithItsOwnBody(RequestJournal journal) throws Exception {
        String body = "{\"anthropic_version\":\"bedrock-2023-05-31\",\"max_tokens\":256,"
                + "\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

        InvokeModelResponse response = client(RetryMode.STANDARD).invokeModel(r -> r.modelId(MODEL)
                .contentType("application/json").accept("application/json").body(SdkBytes.fromUtf8String(body)));

        JsonNode message = new ObjectMapper().readTree(response.body().asUtf8String());
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("content").get(0).path("text").asText()).isEqualTo(REPLY);
        assertThat(journal.entries()).singleElement().satisfies(e -> {
            assertThat(e.path()).isEqualTo("/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke");
            assertThat(e.model()).isEqualTo(MODEL);
        });
    }
}
