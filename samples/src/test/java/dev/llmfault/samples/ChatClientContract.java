package dev.llmfault.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmfault.junit.CapturedLogs;
import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmCredentials;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.junit.LlmRateLimit;
import dev.llmfault.junit.LlmReply;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.RequestJournal;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * What every chat client must do under the faults of the catalogue and the emulated policies, written once and
 * run against two clients: {@link ResilientChatClientTest} passes every test here, and
 * {@link NaiveChatClientContractFixture} fails every one, each with the message that names the bug
 * ({@link NaiveChatClientTest} runs it through EngineTestKit and checks each message). So the kit is shown to
 * catch the bugs it promises to catch, with the very bodies a correct client passes.
 *
 * <p>Each body first catches what the call threw, then asserts on the journal (what the server saw), and only
 * then on the outcome, so a failure names the misbehaviour rather than its consequence.
 */
@LlmFaultTest
abstract class ChatClientContract {
    /** The fake server's default reply (standalone servers in CI use it too). */
    static final String REPLY = FakeLlmServer.DEFAULT_REPLY_TEXT;
    static final String KEY = "sk-test-contract-0123456789abcdef";
    static final String OAUTH_CLIENT = "sample-app";
    static final String OAUTH_SECRET = "sample-secret-0123456789";
    static final long TOKEN_LIFETIME_MS = 1_000;
    /**
     * The weather tool loop through one 429: 35 tokens as the server counts them (12 for the first turn, 9 for the
     * refused call, 14 for its retry); starting the loop over spends 47.
     */
    static final long TOKEN_BUDGET = 40;

    /** The client under test, as the contract drives it. */
    interface Chat {
        /** One prompt, the whole answer; throws when there is none. */
        String ask(String prompt);

        /** The same over a stream; throws when the stream did not end as a complete answer. */
        String askStreaming(String prompt);

        /** What the client does before its first call: a credential check, if it has one. */
        void prepare();

        /** The tool loop with {@link #WEATHER}: the model's final text. */
        String askWithTools(String prompt);

        /** Structured output: the answer read into a {@link Forecast}. */
        Forecast askForForecast(String prompt);
    }

    /** What the structured-output tests ask for. */
    record Forecast(String city, int celsius) {
    }

    /** The JSON Schema of a {@link Forecast}, as a client sends it. */
    static final JsonNode FORECAST_SCHEMA = json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"},"
            + "\"celsius\":{\"type\":\"integer\"}},\"required\":[\"city\",\"celsius\"],\"additionalProperties\":false}");

    /** The contract's tool: the weather in a city, always 18°C. */
    static final ResilientChatClient.Tool WEATHER = new ResilientChatClient.Tool("get_weather", "The weather in a city",
            json("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},\"required\":[\"city\"]}"),
            arguments -> "18°C in " + arguments.path("city").asText());

    static JsonNode json(String text) {
        try {
            return new ObjectMapper().readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    /**
     * The client under test, sending the credentials' current value, for a provider at {@code baseUrl}, counting
     * what it counts in {@code meters}.
     */
    protected abstract Chat chat(URI baseUrl, Credentials credentials, MeterRegistry meters);

    private Chat chat(URI baseUrl, Credentials credentials) {
        return chat(baseUrl, credentials, new SimpleMeterRegistry());
    }

    private Chat chat(URI baseUrl) {
        return chat(baseUrl, Credentials.apiKey(KEY));
    }

    // ---- injected faults ----

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 2, retryAfterMs = 300)
    void waitsAsLongAsTheRateLimitSays(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        String answer = chat(baseUrl).ask("hi");

        LlmFaultAssertions.assertThat(journal).hasAttempts(3).respectedRetryAfter();
        assertThat(answer).isEqualTo(REPLY);
    }

    @Test
    @LlmFaultScenario(fault = Fault.SERVER_ERROR, times = 2)
    void backsOffExponentiallyWhenNoHintIsGiven(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        String answer = chat(baseUrl).ask("hi");

        LlmFaultAssertions.assertThat(journal)
                .hasAttempts(3)
                .waitedAtLeast(Duration.ofMillis(50))
                // each wait about twice the one before; 40 % tolerance, as a busy machine delays some more than others
                .backedOffExponentially(2.0, 0.4);
        assertThat(answer).isEqualTo(REPLY);
    }

    /** The article's own case: a gateway that answers a bad credential with business code 1200. */
    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN, status = 401,
            body = "{\"error\":{\"code\":1200,\"message\":\"Authentication failed: Invalid token or permissions.\"}}")
    void doesNotRetryTheGatewaysCode1200(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> chat(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(journal).didNotRetry().gaveUpAfter(1);
        assertThat(thrown).as("the call fails").isNotNull();
    }

    /**
     * Every fault of the catalogue, once, on a plain call: the catalogue's retry column says what a correct
     * client does. A fault that no retry can fix (and an expired token, with a static key that cannot be
     * refreshed) fails the call at once; a transient one is retried after a wait, never sooner than the hint,
     * and answered. SLOW_RESPONSE stalls 3 s: longer than a careful client waits for an answer.
     */
    @LlmFaultMatrix(allFaults = true, times = 1, retryAfterMs = 200, delayMs = 3_000, except = {Fault.LENGTH_TRUNCATED,
            Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS})
    void reactsToEachFaultAsTheCatalogueSays(FaultCase fault, @LlmBaseUrl URI baseUrl, RequestJournal journal) {
        String[] answer = new String[1];
        Throwable thrown = catchThrowable(() -> answer[0] = chat(baseUrl).ask("hi"));

        switch (fault.retry()) {
            case NEVER, AFTER_REFRESH -> {
                LlmFaultAssertions.assertThat(journal).didNotRetryNonRetryableFaults().gaveUpAfter(1);
                assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactly(fault.fault());
                assertThat(thrown).as("the call fails").isNotNull();
            }
            case ALWAYS, DEPENDS, CALLER_DECIDES -> {
                if (fault.fault() == Fault.STREAM_STALLED) {
                    // the body never comes: only the client's own timeout ends the wait, long before the server's cut
                    JournalEntry stalled = journal.awaitRequests(JournalQuery.all().fault(Fault.STREAM_STALLED), 1,
                            Duration.ofSeconds(10)).get(0);
                    assertThat(stalled.faultReason()).as("a timeout that ends an answer whose body stalls after its "
                            + "headers (the server cut it after 3 s instead)").contains("client closed the connection");
                }
                // a reset, a timeout, a body cut short or an error answer: transient on a plain call
                var retried = LlmFaultAssertions.assertThat(journal).hasAttempts(2);
                if (journal.entries().get(0).retryAfter().isPresent()) {
                    retried.respectedRetryAfter();
                }
                retried.waitedAtLeast(Duration.ofMillis(50));
                assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactly(fault.fault(), null);
                assertThat(thrown).as("the call succeeds after one retry").isNull();
                assertThat(answer[0]).isEqualTo(REPLY);
            }
        }
    }

    // ---- streams ----

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_ERROR, afterChunks = 3)
    void doesNotPassAStreamThatEndedInAnErrorOffAsAnAnswer(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> chat(baseUrl).askStreaming("hi"));

        LlmFaultAssertions.assertThat(journal).didNotRetry(); // text reached the caller: replaying would repeat it
        assertThat(thrown).as("a stream that ended in an error event is not an answer").isNotNull();
    }

    @Test
    @LlmFaultScenario(fault = Fault.STREAM_ERROR, times = 1, afterChunks = 0)
    void retriesAStreamThatFailedBeforeAnyText(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        String answer = chat(baseUrl).askStreaming("hi");

        LlmFaultAssertions.assertThat(journal).hasAttempts(2);
        assertThat(answer).as("the whole answer, from the retry").isEqualTo(REPLY);
    }

    // ---- agents: the tool loop and structured output (the model's answers come from reply rules) ----

    /** The model calls two tools at once, then answers: the next call carries a result for each. */
    @Test
    @LlmReply(sequence = {
            @LlmReply.Turn(toolCalls = {@LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Paris\"}"),
                    @LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Rome\"}")}),
            @LlmReply.Turn(text = "Sunny in both.")})
    void answersEveryToolCallOfTheModel(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        String[] answer = new String[1];
        Throwable thrown = catchThrowable(() -> answer[0] = chat(baseUrl).askWithTools("Weather in Paris and Rome?"));

        LlmFaultAssertions.assertThat(journal).resumedAfterToolCall();
        assertThat(thrown).as("the loop ends in the model's answer").isNull();
        assertThat(answer[0]).isEqualTo("Sunny in both.");
    }

    // tag::agent-retry[]
    /** A 429 hits the call that carries the tool's result: the retry re-sends the whole conversation. */
    @Test
    @LlmReply(sequence = {
            @LlmReply.Turn(toolCalls = @LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Paris\"}")),
            @LlmReply.Turn(text = "It is 18°C in Paris.")})
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, after = 1, times = 1, retryAfterMs = 200)
    void retriesTheToolLoopWithTheWholeConversation(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        String answer = chat(baseUrl).askWithTools("Weather in Paris?");

        LlmFaultAssertions.assertThat(journal)
                .resumedAfterToolCall()
                .retriedTheSameRequest() // the same messages, tool calls and results, compared per provider
                .respectedRetryAfter();
        assertThat(answer).isEqualTo("It is 18°C in Paris.");
    }
    // end::agent-retry[]

    @Test
    @LlmReply(sequence = {
            @LlmReply.Turn(toolCalls = @LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Paris\"}")),
            @LlmReply.Turn(text = "It is 18°C in Paris.")})
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, after = 1, times = 1, retryAfterMs = 200)
    void doesNotRunACompletedToolAgainAfterAFault(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        catchThrowable(() -> chat(baseUrl).askWithTools("Weather in Paris?"));

        LlmFaultAssertions.assertThat(journal).didNotRepeatCompletedToolCalls();
    }

    /** The tokens a fault costs: the retry re-sends the prompt; starting over re-sends every turn. */
    @Test
    @LlmReply(sequence = {
            @LlmReply.Turn(toolCalls = @LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Paris\"}")),
            @LlmReply.Turn(text = "It is 18°C in Paris.")})
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, after = 1, times = 1, retryAfterMs = 200)
    void staysWithinItsTokenBudgetThroughAFault(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        catchThrowable(() -> chat(baseUrl).askWithTools("Weather in Paris?"));

        LlmFaultAssertions.assertThat(journal).stayedWithinTokenBudget(TOKEN_BUDGET);
    }

    // tag::structured-output[]
    @Test
    @LlmReply(json = "{\"city\":\"Paris\",\"celsius\":18}")
    void readsStructuredOutputIntoARecord(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        Forecast[] forecast = new Forecast[1];
        Throwable thrown = catchThrowable(() -> forecast[0] = chat(baseUrl).askForForecast("Weather in Paris?"));

        assertThat(journal.entries().get(0).conversation().outputSchema())
                .as("the request asks for the record's schema").isEqualTo(FORECAST_SCHEMA);
        assertThat(thrown).isNull();
        assertThat(forecast[0]).isEqualTo(new Forecast("Paris", 18));
    }
    // end::structured-output[]

    /** The model's JSON does not parse, every time: the client asks again, then fails naming the model's output. */
    @Test
    @LlmReply(text = "{\"city\":\"Par")
    void failsClearlyWhenTheStructuredOutputDoesNotParse(@LlmBaseUrl URI baseUrl) {
        Throwable thrown = catchThrowable(() -> chat(baseUrl).askForForecast("Weather in Paris?"));

        LlmFaultAssertions.assertThat(thrown).isNotNull().namesCause(Fault.Cause.MODEL_OUTPUT);
    }

    // ---- emulated policies: the faults happen for real ----

    /**
     * A token really expires on the server while the client believes it fresh: the client's clock stands still
     * (a suspended VM, a laptop that slept, a clock stepped back), so only the server's 401 tells it. A correct
     * client asks the token endpoint for a new token and replays the call once.
     */
    @Test
    @LlmCredentials(oauthClients = OAUTH_CLIENT + ":" + OAUTH_SECRET, tokenLifetimeMs = TOKEN_LIFETIME_MS)
    void refreshesATokenThatExpiredMidRun(FakeLlmServer server, @LlmBaseUrl URI baseUrl, RequestJournal journal) {
        Credentials tokens = OAuthClientCredentials.builder(URI.create(server.url() + "/oauth/token"), OAUTH_CLIENT,
                        OAUTH_SECRET)
                .clock(Clock.fixed(Instant.now(), ZoneOffset.UTC))
                .refreshSkew(Duration.ZERO)
                .build();
        Chat chat = chat(baseUrl, tokens);
        assertThat(chat.ask("before the token expires")).isEqualTo(REPLY);
        long expired = System.nanoTime() + Duration.ofMillis(TOKEN_LIFETIME_MS + 100).toNanos();
        // the token's lifetime is real time on the server: wait for it to pass (a deadline, polled)
        await("the token's lifetime to pass").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(20))
                .until(() -> System.nanoTime() >= expired);

        Throwable thrown = catchThrowable(() -> chat.ask("after the token expired"));

        LlmFaultAssertions.assertThat(journal).refreshedTokenBeforeRetrying().didNotRetryNonRetryableFaults();
        assertThat(thrown).as("the call succeeds with the new token").isNull();
    }

    /** Two requests per window: the third call meets a 429 whose Retry-After is the real time until the window reopens. */
    @Test
    @LlmRateLimit(requestsPerWindow = 2, windowMs = 1_200)
    void waitsForAFilledRateWindowToReopen(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        Chat chat = chat(baseUrl);

        Throwable thrown = catchThrowable(() -> {
            for (String prompt : List.of("one", "two", "three")) {
                assertThat(chat.ask(prompt)).isEqualTo(REPLY);
            }
        });

        LlmFaultAssertions.assertThat(journal).respectedRetryAfter(); // and fails when no 429 came: the window filled
        assertThat(thrown).as("every call is answered").isNull();
    }

    @Test
    @LlmRateLimit(quotaRequests = 1)
    void stopsWhenTheQuotaIsSpent(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        Chat chat = chat(baseUrl);
        assertThat(chat.ask("one")).isEqualTo(REPLY);

        Throwable thrown = catchThrowable(() -> chat.ask("two"));

        LlmFaultAssertions.assertThat(journal).didNotRetryNonRetryableFaults();
        assertThat(thrown).as("the call fails: the quota is gone until the period renews").isNotNull();
    }

    // ---- what the client tells people: logs, errors, a check first, counters (the article's last practices) ----

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 100)
    void logsEachFailureWithItsStatusAndRequestId(@LlmBaseUrl URI baseUrl, CapturedLogs logs) {
        catchThrowable(() -> chat(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(logs).loggedEveryFailure();
    }

    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN)
    void neverLogsTheKey(@LlmBaseUrl URI baseUrl, CapturedLogs logs) {
        catchThrowable(() -> chat(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(logs).neverContainSecrets();
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 100)
    void logsTheKeysMaskNotTheKey(@LlmBaseUrl URI baseUrl, CapturedLogs logs) {
        catchThrowable(() -> chat(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(logs).loggedKeyIdNotKey();
    }

    // tag::error-request-id[]
    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN)
    void putsTheRequestIdInItsError(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> chat(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(thrown)
                .carriesRequestIdOf(journal.last().orElseThrow()) // for the support ticket
                .namesCause(Fault.Cause.INVALID_OR_EXPIRED_TOKEN);
    }
    // end::error-request-id[]

    @Test
    @LlmFaultScenario(fault = Fault.QUOTA_EXCEEDED)
    void namesTheCauseInItsError(@LlmBaseUrl URI baseUrl) {
        Throwable thrown = catchThrowable(() -> chat(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(thrown).namesCause(Fault.Cause.RATE_LIMIT_OR_QUOTA);
    }

    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN)
    void keepsTheKeyOutOfItsError(@LlmBaseUrl URI baseUrl) {
        Throwable thrown = catchThrowable(() -> chat(baseUrl).ask("hi"));

        LlmFaultAssertions.assertThat(thrown).isNotNull().doesNotContainSecrets();
    }

    @Test
    void checksTheKeyBeforeTheRealWork(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        Chat chat = chat(baseUrl);
        chat.prepare();
        chat.ask("hi");

        LlmFaultAssertions.assertThat(journal).checkedCredentialsFirst();
    }

    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN)
    void stopsAtTheCheckWhenTheKeyIsRefused(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        Chat chat = chat(baseUrl);

        Throwable thrown = catchThrowable(() -> {
            chat.prepare();
            chat.ask("hi");
        });

        LlmFaultAssertions.assertThat(journal).checkedCredentialsFirst();
        assertThat(thrown).as("the call fails").isNotNull();
    }

    // tag::meters[]
    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 2, retryAfterMs = 100)
    void countsEachFailure(@LlmBaseUrl URI baseUrl, MeterRegistry meters, CapturedLogs logs) {
        chat(baseUrl, Credentials.apiKey(KEY), meters).ask("hi");

        LlmFaultAssertions.assertThat(meters).recordedFailures(); // by provider, status and cause
        LlmFaultAssertions.assertThat(logs).neverContainSecrets().loggedEveryFailure().loggedKeyIdNotKey();
    }
    // end::meters[]
}
