package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.ObservabilityFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.io.PrintStream;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Logger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The log, exception, credential-check and counter assertions pass on a careful client and fail, each with a
 * message that shows what went wrong (secrets masked) and the request timeline, on a careless one.
 */
class ObservabilityAssertionsTest {
    private static final String N = System.lineSeparator();
    private static FixtureRun run;
    private static PrintStream outBefore;
    private static PrintStream errBefore;
    private static List<Handler> julBefore;

    @BeforeAll
    static void runFixture() {
        outBefore = System.out;
        errBefore = System.err;
        julBefore = List.of(Logger.getLogger("").getHandlers());
        run = FixtureRun.run(ObservabilityFixture.class);
    }

    @Test
    void aCarefulClientPassesEveryAssertion() {
        run.assertPassed("carefulLogsPass");
        run.assertPassed("eachLoggingSystemIsCaptured");
        run.assertPassed("carefulExceptionPasses");
        run.assertPassed("checksFirst");
        run.assertPassed("stopsAfterABadCheck");
        run.assertPassed("countsEachFailure");
    }

    @Test
    void everyHookIsRemovedAfterTheTests() {
        assertThat(System.out).isSameAs(outBefore);
        assertThat(System.err).isSameAs(errBefore);
        assertThat(Logger.getLogger("").getHandlers()).containsExactlyElementsOf(julBefore);
    }

    @Test
    void parallelTestsEachCaptureOnlyTheirOwnLines() {
        FixtureRun parallel = FixtureRun.run(dev.llmfault.junit.fixtures.ParallelLogsFixture.class,
                "junit.jupiter.execution.parallel.enabled", "true",
                "junit.jupiter.execution.parallel.config.strategy", "fixed",
                "junit.jupiter.execution.parallel.config.fixed.parallelism", "16");

        List<String> repetitions = parallel.outcomes().keySet().stream().filter(n -> n.startsWith("repetition")).toList();
        assertThat(repetitions).hasSize(dev.llmfault.junit.fixtures.ParallelLogsFixture.TESTS);
        repetitions.forEach(parallel::assertPassed);
        assertThat(System.out).isSameAs(outBefore);
        assertThat(System.err).isSameAs(errBefore);
    }

    @Test
    void withCaptureLogsAFailingTestsReportShowsItsLinesMasked() {
        assertThat(run.report("failingTestReportsItsLogs", "llmfault.logs")).get().asString()
                .startsWith("1 line(s) logged during the test, credentials masked")
                .containsPattern("1: \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[main] System.out - about to fail with \\[secret sk-ll\\*\\*\\*\\w{4}]")
                .doesNotContain("sk-llmfault-");
    }

    @Test
    void aKeyInTheLogsIsFoundAndShownMasked() {
        assertThat(run.failure("keyInLogs"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the captured logs to contain no credential")
                .hasMessageMatching("(?s).*line 1 \\(SLF4J WARN .*ObservedClient, .*\\): the test's API key \\(@LlmApiKey\\)"
                        + " sk-ll\\*\\*\\*\\w{4}, whole, in plain text:.*")
                .hasMessageMatching("(?s).*LLM call failed, Authorization: Bearer \\[secret sk-ll\\*\\*\\*\\w{4}].*")
                .hasMessageNotContaining("sk-llmfault-0")
                .hasMessageContaining("Request timeline (server arrival times):" + N)
                .hasMessageContaining("POST /v1/chat/completions [OPENAI] -> 401 INVALID_TOKEN");
    }

    @Test
    void aFragmentOfTheKeyIsALeakToo() {
        assertThat(run.failure("fragmentOfKeyInLogs"))
                .hasMessageContaining("the test's API key (@LlmApiKey)")
                .hasMessageContaining(", a fragment, in plain text")
                .hasMessageContaining("using key starting [secret sk-ll***");
    }

    @Test
    void aBasicAuthHeaderGivesTheClientSecretAway() {
        assertThat(run.failure("basicAuthHeaderInLogs"))
                .hasMessageContaining("the OAuth client secret of fixture-app fixtu***6789, whole, in Base64")
                .hasMessageContaining("Authorization: Basic [secret fixtu***6789]")
                .hasMessageMatching("(?s).*line 1 \\(STDOUT INFO System.out, .*");
    }

    @Test
    void aNamedSecretIsFoundUrlEncoded() {
        assertThat(run.failure("urlEncodedAwsSecretInLogs"))
                .hasMessageContaining("a secret named in the assertion wJalr***EKEY, whole, in URL-encoded text")
                .hasMessageContaining("signing with [secret wJalr***EKEY]");
    }

    @Test
    void aFailureLoggedWithoutStatusAndRequestIdFailsLoggedEveryFailure() {
        assertThat(run.failure("vagueFailureLine"))
                .hasMessageContaining("Expecting a log line for every failed request, naming its HTTP status and the provider's request id")
                .hasMessageMatching("(?s).*#\\d+ POST /v1/chat/completions -> 429 RATE_LIMITED: status 429 and request id req_\\w+.*")
                .hasMessageContaining("Captured log lines (secrets masked):" + N + "  1: ")
                .hasMessageContaining("[main] System.err - LLM call failed")
                .hasMessageContaining("Request timeline (server arrival times):");
    }

    @Test
    void aFailureLineWithoutTheKeysMaskFailsLoggedKeyIdNotKey() {
        assertThat(run.failure("failureLineWithoutKeyId"))
                .hasMessageContaining("Expecting each log line about a request to identify its credential")
                .hasMessageMatching("(?s).*line 1 names #\\d+ POST /v1/chat/completions \\(request id req_\\w+\\) but not its"
                        + " credential sk-ll\\*\\*\\*\\w{4}: LLM call failed: HTTP 429.*");
    }

    @Test
    void anExceptionWithoutTheRequestIdFailsCarriesRequestIdOf() {
        assertThat(run.failure("exceptionWithoutRequestId"))
                .hasMessageMatching("(?s).*Expecting the exception \\(or a cause\\) to carry the provider's request id of\\R"
                        + "  #\\d+ POST /v1/chat/completions -> 429 RATE_LIMITED:\\R  req_\\w+.*")
                .hasMessageContaining("ObservedClient$CallFailed: call failed")
                .hasMessageContaining("caused by java.lang.IllegalStateException: with key [secret sk-ll***");
    }

    @Test
    void anExceptionThatNamesNoCauseFailsNamesCause() {
        assertThat(run.failure("exceptionWithoutCause"))
                .hasMessageContaining("to name the cause:" + N + "  RATE_LIMIT_OR_QUOTA (words such as \"rate limit\"")
                .hasMessageContaining("but it names none:");
    }

    @Test
    void anExceptionWithTheKeyFailsDoesNotContainSecrets() {
        assertThat(run.failure("exceptionWithKey"))
                .hasMessageContaining("Expecting the exception and its causes to contain no credential")
                .hasMessageMatching("(?s).*cause 1: the test's API key \\(@LlmApiKey\\) sk-ll\\*\\*\\*\\w{4}, whole, in plain text.*");
    }

    @Test
    void aHeavyFirstRequestFailsCheckedCredentialsFirst() {
        assertThat(run.failure("heavyFirst"))
                .hasMessageContaining("Expecting the client to check its credentials with a cheap request")
                .hasMessageMatching("(?s).*the first request was the heavy #\\d+ POST /v1/chat/completions \\(200\\).*");
    }

    @Test
    void goingOnAfterARefusedCheckFailsCheckedCredentialsFirst() {
        assertThat(run.failure("goesOnAfterABadCheck"))
                .hasMessageMatching("(?s).*#\\d+ POST /v1/chat/completions was sent after the check #\\d+ GET /v1/models"
                        + " refused the credential \\(401 INVALID_TOKEN\\): stop there.*");
    }

    @Test
    void uncountedFailuresFailRecordedFailures() {
        assertThat(run.failure("countsNothing"))
                .hasMessageContaining("Expecting the client to count each failed request in a counter, tagged with provider, status and cause")
                .hasMessageMatching("(?s).*OPENAI 429 RATE_LIMIT_OR_QUOTA: the server answered 2 \\(#\\d+, #\\d+\\), the client counted 0.*")
                .hasMessageContaining("(no counter at all)");
    }
}
