package dev.llmfault.samples;

import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.platform.engine.TestDescriptor;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.params.provider.Arguments.arguments;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The naive client fails the {@link ChatClientContract} that the resilient client passes, and each failure's
 * message names the bug the error-1200 article warns about. This is the kit proving that it catches what it
 * promises to catch: the contract runs on the naive client through EngineTestKit, and every test must fail with
 * the recovery assertion's message expected here.
 */
@LlmFaultTest
class NaiveChatClientTest {
    private static final String N = String.format("%n");
    private static Map<String, TestExecutionResult> outcomes;

    @BeforeAll
    static void runTheContractOnTheNaiveClient() {
        outcomes = new LinkedHashMap<>();
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(NaiveChatClientContractFixture.class))
                .configurationParameter("llmfault.timeline.print", "false") // the failures are expected: keep the log quiet
                .execute()
                .testEvents().finished().stream()
                .forEach(e -> outcomes.put(name(e), e.getRequiredPayload(TestExecutionResult.class)));
    }

    /** A test method's name, or a matrix case's display name such as {@code [RATE_LIMITED on OPENAI]}. */
    private static String name(Event e) {
        TestDescriptor test = e.getTestDescriptor();
        boolean invocation = test.getUniqueId().getLastSegment().getType().endsWith("-invocation");
        return !invocation && test.getSource().orElse(null) instanceof org.junit.platform.engine.support.descriptor.MethodSource m
                ? m.getMethodName() : test.getDisplayName();
    }

    /** Contract test (or matrix case) -> what the failure says. */
    static Stream<Arguments> expectedFailures() {
        String never = "never retry ";
        String toldToWait = "asked to wait 200 ms";
        String noBackoff = "Expecting every retry to come at least 50 ms after the attempt before it";
        return Stream.of(
                arguments("waitsAsLongAsTheRateLimitSays", "whose answer (429 RATE_LIMITED) asked to wait 300 ms"),
                arguments("backsOffExponentiallyWhenNoHintIsGiven", noBackoff),
                arguments("doesNotRetryTheGatewaysCode1200", "POST /v1/chat/completions was sent 3 times"),
                arguments("doesNotPassAStreamThatEndedInAnErrorOffAsAnAnswer", "a stream that ended in an error event is not an answer"),
                arguments("retriesAStreamThatFailedBeforeAnyText", "but it was attempted:" + N + "  1 time(s)"),
                arguments("refreshesATokenThatExpiredMidRun", "without a token request in between"),
                arguments("waitsForAFilledRateWindowToReopen", "Expecting every retry to wait at least as long as the retry hint"),
                arguments("stopsWhenTheQuotaIsSpent", never + "QUOTA_EXCEEDED"),
                arguments("[MISSING_TOKEN on OPENAI]", never + "MISSING_TOKEN"),
                arguments("[INVALID_TOKEN on OPENAI]", never + "INVALID_TOKEN"),
                arguments("[EXPIRED_TOKEN on OPENAI]", "with the same credential sk-te***cdef: refresh it first"),
                arguments("[INSUFFICIENT_SCOPE on OPENAI]", never + "INSUFFICIENT_SCOPE"),
                arguments("[MALFORMED_BODY on OPENAI]", never + "MALFORMED_BODY"),
                arguments("[MISSING_FIELD on OPENAI]", never + "MISSING_FIELD"),
                arguments("[WRONG_METHOD on OPENAI]", never + "WRONG_METHOD"),
                arguments("[RATE_LIMITED on OPENAI]", toldToWait),
                arguments("[QUOTA_EXCEEDED on OPENAI]", never + "QUOTA_EXCEEDED"),
                arguments("[IP_BLOCKED on OPENAI]", never + "IP_BLOCKED"),
                arguments("[REGION_BLOCKED on OPENAI]", never + "REGION_BLOCKED"),
                arguments("[OLD_API_VERSION on OPENAI]", never + "OLD_API_VERSION"),
                arguments("[MODEL_NOT_FOUND on OPENAI]", never + "MODEL_NOT_FOUND"),
                arguments("[OVERLOADED on OPENAI]", toldToWait),
                arguments("[SERVER_ERROR on OPENAI]", toldToWait),
                // no timeout: it waits as long as the server stalls, so there is no second attempt
                arguments("[SLOW_RESPONSE on OPENAI]", "but it was attempted:" + N + "  1 time(s)"),
                arguments("[CONNECTION_RESET on OPENAI]", noBackoff),
                arguments("[STREAM_INTERRUPTED on OPENAI]", noBackoff),
                arguments("[STREAM_ERROR on OPENAI]", toldToWait),
                // no timeout: it waits until the server cuts the stalled body
                arguments("[STREAM_STALLED on OPENAI]", "a timeout that ends an answer whose body stalls"),
                arguments("[CONTEXT_LENGTH_EXCEEDED on OPENAI]", never + "CONTEXT_LENGTH_EXCEEDED"),
                arguments("logsEachFailureWithItsStatusAndRequestId", "Expecting a log line for every failed request"),
                arguments("neverLogsTheKey", "Expecting the captured logs to contain no credential"),
                arguments("logsTheKeysMaskNotTheKey", "but no line names any request of the journal"),
                arguments("putsTheRequestIdInItsError", "Expecting the exception (or a cause) to carry the provider's request id"),
                arguments("namesTheCauseInItsError", "to name the cause:" + N + "  RATE_LIMIT_OR_QUOTA"),
                arguments("keepsTheKeyOutOfItsError", "Expecting the exception and its causes to contain no credential"),
                arguments("checksTheKeyBeforeTheRealWork", "the first request was the heavy"),
                arguments("stopsAtTheCheckWhenTheKeyIsRefused", "the first request was the heavy"),
                arguments("countsEachFailure", "the client counted 0"),
                arguments("answersEveryToolCallOfTheModel", "carried no result for get_weather({\"city\":\"Rome\"})"),
                arguments("retriesTheToolLoopWithTheWholeConversation",
                        "(429 RATE_LIMITED) but lost message 2 of 3: ASSISTANT calling get_weather({\"city\":\"Paris\"})"),
                arguments("doesNotRunACompletedToolAgainAfterAFault", "without the result of get_weather({\"city\":\"Paris\"})"),
                arguments("staysWithinItsTokenBudgetThroughAFault", "over the budget of " + ChatClientContract.TOKEN_BUDGET),
                arguments("readsStructuredOutputIntoARecord", "the request asks for the record's schema"),
                arguments("failsClearlyWhenTheStructuredOutputDoesNotParse", "to name the cause:" + N + "  MODEL_OUTPUT"));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("expectedFailures")
    void failsTheContractNamingTheBug(String test, String message) {
        TestExecutionResult outcome = outcomes.get(test);

        assertThat(outcome).as("an outcome for %s among %s", test, outcomes.keySet()).isNotNull();
        assertThat(outcome.getStatus()).as("%s on the naive client", test).isEqualTo(TestExecutionResult.Status.FAILED);
        assertThat(outcome.getThrowable()).get().isInstanceOf(AssertionError.class)
                .extracting(Throwable::getMessage).asString().contains(message);
    }

    @Test
    void failsEveryTestOfTheContract() {
        assertThat(outcomes.keySet()).as("every contract test has an expected failure above")
                .containsExactlyInAnyOrderElementsOf(expectedFailures().map(a -> (String) a.get()[0]).toList());
        assertThat(outcomes.values()).extracting(TestExecutionResult::getStatus).containsOnly(TestExecutionResult.Status.FAILED);
    }

    /** Besides: its error says nothing about the cause (no provider message, no request id, no cause number), and shows the key. */
    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN)
    void throwsAnErrorThatNamesNoCause(@LlmBaseUrl URI baseUrl) {
        RuntimeException e = catchThrowableOfType(RuntimeException.class,
                () -> new NaiveChatClient(baseUrl, ChatClientContract.KEY).ask("hi"));

        assertThat(e).hasMessage("LLM call failed (key " + ChatClientContract.KEY + ")");
        assertThat(e.getCause()).hasMessage("HTTP 401");
    }
}
