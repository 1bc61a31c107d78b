package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.RecoveryFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The recovery assertions pass on a correct client and fail, with a message that explains, on a wrong one. */
class RecoveryAssertionsTest {
    private static FixtureRun run;

    @BeforeAll
    static void runFixture() {
        run = FixtureRun.run(RecoveryFixture.class);
    }

    @Test
    void aClientThatHonoursHintsAndBacksOffPassesEveryAssertion() {
        run.assertPassed("recoversFromRateLimit");
        run.assertPassed("failsFastOnInvalidToken");
        run.assertPassed("givesUpAfterThree");
        run.assertPassed("refreshesExpiredToken");
        run.assertPassed("awaitsRequests");
    }

    @Test
    void aRetryBeforeTheHintFailsRespectedRetryAfter() {
        assertThat(run.failure("retriesTooSoon"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting every retry to wait at least as long as the retry hint")
                .hasMessageContaining("whose answer (429 RATE_LIMITED) asked to wait 5000 ms")
                .hasMessageMatching("(?s).*#\\d+ came \\d+(\\.\\d)? ms after #\\d+.*")
                .hasMessageContaining("Request timeline (server arrival times):")
                .hasMessageContaining("POST /v1/chat/completions [OPENAI] -> 429 RATE_LIMITED (retry after 5000 ms)");
    }

    @Test
    void respectedRetryAfterWithoutAnyHintHasNothingToCheck() {
        assertThat(run.failure("noRetryHint")).hasMessageContaining("no answer carried one: nothing to check");
    }

    @Test
    void retryingA401FailsDidNotRetryNonRetryableFaults() {
        assertThat(run.failure("retriesInvalidToken"))
                .hasMessageContaining("Expecting the client not to retry faults that must not be retried")
                .hasMessageMatching("(?s).*#\\d+ retried #\\d+, whose answer was 401 INVALID_TOKEN: never retry INVALID_TOKEN.*");
    }

    @Test
    void aConstantBackoffFailsBackedOffExponentially() {
        assertThat(run.failure("constantBackoff"))
                .hasMessageContaining("Expecting each wait between attempts to be 2.0 times the one before (from x1.50 to x2.67 with 25% jitter)")
                .hasMessageMatching("(?s).*: x\\d+\\.\\d\\d.*");
    }

    @Test
    void gaveUpAfterCountsTheFailedAttempts() {
        assertThat(run.failure("givesUpLaterThanExpected"))
                .hasMessageContaining("Expecting the client to give up after:\n  2 failed attempt(s)".replace("\n", System.lineSeparator()))
                .hasMessageMatching("(?s).*it made 3 failed attempt\\(s\\): #\\d+, #\\d+, #\\d+.*");
    }

    @Test
    void waitedAtLeastNamesTheShortWait() {
        assertThat(run.failure("waitedTooLittle"))
                .hasMessageContaining("Expecting every retry to come at least 5000 ms after the attempt before it");
    }

    @Test
    void didNotRetryNamesTheRepeatedRequest() {
        assertThat(run.failure("retriedButShouldNot"))
                .hasMessageMatching("(?s).*#\\d+ POST /v1/chat/completions was sent 2 times: #\\d+, #\\d+ \\(first answer: 500 SERVER_ERROR\\).*");
    }

    @Test
    void hasAttemptsNeedsOneLogicalRequest() {
        assertThat(run.failure("twoLogicalRequests"))
                .hasMessageContaining("the journal holds 2 different requests (method, path or body differ)")
                .hasMessageContaining("filteredOn(JournalQuery.all().path(...))");
    }

    @Test
    void replayingAnExpiredTokenFailsRefreshedTokenBeforeRetrying() {
        assertThat(run.failure("replaysExpiredToken"))
                .hasMessageMatching("(?s).*#\\d+ retried #\\d+ without a token request in between.*")
                .hasMessageMatching("(?s).*with the same expired token sk-fi\\*\\*\\*cdef.*");
    }

    @Test
    void geminisDocumentedQueryKeyIsTheOneException() {
        run.assertPassed("geminiKeyInQuery");
        assertThat(run.failure("geminiTokenInQuery"))
                .hasMessageContaining("Expecting no credential in a query string")
                .hasMessageContaining("access_token=")
                .hasMessageNotContaining("ya29.fixture-token-0123456789");
    }

    @Test
    void aKeyInTheQueryIsReportedMasked() {
        assertThat(run.failure("keyInQuery"))
                .hasMessageContaining("Expecting no credential in a query string")
                .hasMessageContaining("GET /v1/models?key=sk-fi***cdef")
                .hasMessageNotContaining(RecoveryFixtureKey.KEY);
    }

    @Test
    void softAssertionsCollectEveryFailure() {
        assertThat(run.failure("wrongVersionAndHeader"))
                .hasMessageContaining("Multiple Failures (2 failures)")
                .hasMessageContaining("Expecting every request to use API version:")
                .hasMessageContaining("used v1")
                .hasMessageContaining("Expecting every request to carry the header:")
                .hasMessageContaining("x-trace-id");
    }

    @Test
    void awaitRequestsFailsWithTheTimeline() {
        assertThat(run.failure("awaitTimesOut"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the fake LLM server to receive at least:")
                .hasMessageContaining("(no requests)");
    }

    @Test
    void aFailedTestPublishesItsTimelineWithMaskedKeys() {
        String timeline = run.report("retriesTooSoon", "llmfault.timeline").orElseThrow();
        assertThat(timeline)
                .contains("request(s) seen by the fake LLM server")
                .contains("429 RATE_LIMITED")
                .contains("key sk-fi***cdef")
                .doesNotContain(RecoveryFixtureKey.KEY);
        assertThat(run.reports("recoversFromRateLimit")).isEmpty();
    }

    /** The fixture's full key, to prove it never appears. */
    private static final class RecoveryFixtureKey {
        static final String KEY = "sk-fixture-0123456789abcdef";
    }
}
