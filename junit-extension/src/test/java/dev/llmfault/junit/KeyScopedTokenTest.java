package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.KeyScopedTokenFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * refreshedTokenBeforeRetrying in tests that share one embedded server in parallel, each scoped to its key: it
 * passes for OAuth clients that refresh (each test seeing its own token requests and token calls only) and
 * fails, saying what happened, for one that replays the expired token or authenticates with another secret.
 */
class KeyScopedTokenTest {
    private static FixtureRun run;

    @BeforeAll
    static void runFixture() {
        run = FixtureRun.run(KeyScopedTokenFixture.class, ParallelIsolationTest.PARALLEL);
    }

    @Test
    void parallelClientsThatRefreshEachSeeTheirOwnTokenRequestsAndPass() {
        for (int i = 1; i <= KeyScopedTokenFixture.TESTS; i++) {
            run.assertPassed("repetition " + i + " of " + KeyScopedTokenFixture.TESTS);
        }
    }

    @Test
    void aClientThatReplaysTheExpiredTokenFails() {
        assertThat(run.failure("replaysTheExpiredToken"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting each EXPIRED_TOKEN answer to be followed by a token request")
                .hasMessageMatching("(?s).*#\\d+ retried #\\d+ without a token request in between.*")
                .hasMessageMatching("(?s).*#\\d+ retried #\\d+ with the same expired token llmfa\\*\\*\\*.*")
                .hasMessageContaining("POST /oauth/token")
                .hasMessageContaining("401 EXPIRED_TOKEN");
    }

    @Test
    void aClientWhoseTokensAreNotTheTestKeysIsToldWhyNothingCounted() {
        assertThat(run.failure("authenticatesWithAnotherSecret"))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting at least one EXPIRED_TOKEN answer, but there was none")
                .hasMessageContaining("sends the test's key as its OAuth client secret");
    }
}
