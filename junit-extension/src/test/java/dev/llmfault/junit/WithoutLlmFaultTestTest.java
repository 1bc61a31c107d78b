package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.WithoutLlmFaultTestFixture;
import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EventConditions;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A new user's first mistake: the kit's annotations without {@code @LlmFaultTest}. Each carries the extension,
 * so the scenario is injected, the parameters resolved and the policy applied; nothing is silently ignored.
 */
class WithoutLlmFaultTestTest {

    @Test
    void aScenarioOnAMethodIsInjectedWithoutLlmFaultTest() {
        FixtureRun run = FixtureRun.run(WithoutLlmFaultTestFixture.ScenarioOnly.class);

        run.assertPassed("scenarioIsInjected");
        run.assertPassed("repeatedScenariosAreInjectedInOrder");
    }

    @Test
    void aScenarioOnAClassIsInjectedWithoutLlmFaultTest() {
        FixtureRun.run(WithoutLlmFaultTestFixture.ScenarioOnClass.class).assertPassed("classScenarioIsInjected");
    }

    @Test
    void parameterAnnotationsAloneBringTheExtension() {
        FixtureRun.run(WithoutLlmFaultTestFixture.ParametersOnly.class).assertPassed("baseUrlAndKeyAreInjected");
    }

    @Test
    void aMatrixAloneRunsEveryCase() {
        FixtureRun run = FixtureRun.run(WithoutLlmFaultTestFixture.MatrixOnly.class);

        run.assertPassed("[SERVER_ERROR on OPENAI]");
        run.assertPassed("[OVERLOADED on OPENAI]");
    }

    @Test
    void aPolicyAnnotationAloneIsApplied() {
        FixtureRun.run(WithoutLlmFaultTestFixture.PolicyOnly.class).assertPassed("theRateWindowFills");
    }

    @Test
    void theExtensionIsRegisteredOnceWhenAnnotationsRepeatIt() {
        // @LlmFaultTest on the class and @LlmFaultScenario on the method both name the extension: one server,
        // one scenario installed, one answer per parameter (ParameterResolutionException otherwise)
        FixtureRun run = FixtureRun.run(dev.llmfault.junit.fixtures.RecoveryFixture.class);

        run.results.testEvents().assertStatistics(stats -> stats.aborted(0));
        assertThat(run.results.testEvents().failed().filter(EventConditions.finishedWithFailure(
                org.junit.platform.testkit.engine.TestExecutionResultConditions.instanceOf(
                        org.junit.jupiter.api.extension.ParameterResolutionException.class))::matches).count()).isZero();
    }
}
