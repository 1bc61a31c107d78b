package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.PolicyFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/** @LlmRateLimit, @LlmCredentials, @LlmNetwork and @LlmVersions, run through EngineTestKit. */
class PolicyAnnotationsTest {
    private static final String[] PARALLEL = {
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "4"};
    private static FixtureRun run;

    @BeforeAll
    static void runFixture() {
        run = FixtureRun.run(PolicyFixture.class);
    }

    @Test
    void aRateLimitAnnotationMakesTheWindowReallyFill() {
        run.assertPassed("rateWindowReallyFills");
    }

    @Test
    void policiesEndWithTheirTestAndClassPoliciesApplyToEveryTest() {
        run.assertPassed("theNextTestFindsTheClassPoliciesOnly");
    }

    @Test
    void credentialsAndNetworkAnnotationsAreApplied() {
        run.assertPassed("onlyTheDeclaredKeyPasses");
        run.assertPassed("networkPolicyIsOn");
    }

    @Test
    void aWrongPolicyValueFailsTheTestAtStartNamingAnnotationElementAndValue() {
        assertThat(run.failure("zeroRequestsPerWindowIsAConfigurationError"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@LlmRateLimit(requestsPerWindow = 0) on method "
                        + "PolicyFixture#zeroRequestsPerWindowIsAConfigurationError(): invalid value 0, expected an integer >= 1");
        assertThat(run.failure("anOAuthClientWithoutSecretIsAConfigurationError"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@LlmCredentials(oauthClients = \"(secrets not shown)\") on method "
                        + "PolicyFixture#anOAuthClientWithoutSecretIsAConfigurationError(): "
                        + "an entry is not \"clientId:clientSecret\"");
    }

    @Test
    void policiesOnASharedServerWithConcurrentTestsAreRefused() {
        FixtureRun concurrent = FixtureRun.run(PolicyFixture.ConcurrentFixture.class, PARALLEL);
        assertThat(concurrent.failure("repetition 1 of 2"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("policies are server-wide")
                .hasMessageContaining("serverPerMethod = true");
    }

    @Test
    void policiesOnAServerPerMethodWorkInParallel() {
        FixtureRun own = FixtureRun.run(PolicyFixture.OwnServerFixture.class, PARALLEL);
        own.assertPassed("repetition 1 of 2");
        own.assertPassed("repetition 2 of 2");
    }
}
