package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.LifecycleFixture;
import dev.llmfault.junit.fixtures.MatrixFixture;
import dev.llmfault.server.Fault;
import dev.llmfault.junit.fixtures.ParameterFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ParameterResolutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** Parameter injection, the fault matrix, server lifecycles and the builder, through EngineTestKit. */
class ParametersAndLifecycleTest {

    @Test
    void everyParameterIsInjected() {
        FixtureRun run = FixtureRun.run(ParameterFixture.class);
        run.assertPassed("serverJournalAndBaseUrls");
        run.assertPassed("keyScopedView");
    }

    @Test
    void wrongParametersFailWithAMessage() {
        FixtureRun run = FixtureRun.run(ParameterFixture.class);
        assertThat(run.failure("faultCaseOutsideAMatrix")).isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("a FaultCase is injected only into @LlmFaultMatrix tests");
        assertThat(run.failure("baseUrlOnAnInt")).hasMessageContaining("@LlmBaseUrl goes on a URI or String parameter");
        assertThat(run.failure("twoProviders")).hasMessageContaining("name at most one provider");
    }

    @Test
    void aKeyTakenInBeforeEachScopesTheTest() {
        FixtureRun.run(ParameterFixture.KeyInBeforeEachFixture.class)
                .assertPassed("scenariosMatchTheKeyTakenInBeforeEach");
    }

    @Test
    void theMatrixRunsEveryCaseWithItsNameAndScenario() {
        FixtureRun run = FixtureRun.run(MatrixFixture.class);
        for (String fault : new String[] {"RATE_LIMITED", "SERVER_ERROR", "INVALID_TOKEN", "QUOTA_EXCEEDED"}) {
            run.assertPassed("[" + fault + " on OPENAI]");
            run.assertPassed("[" + fault + " on ZHIPU]");
        }
        run.assertPassed("[OVERLOADED on OPENAI]");
        assertThat(run.failure("[MALFORMED_BODY on OPENAI]"))
                .hasMessageContaining("never retry MALFORMED_BODY");
    }

    @Test
    void allFaultsRunsTheWholeCatalogueLessTheExceptions() {
        FixtureRun run = FixtureRun.run(MatrixFixture.AllFaultsFixture.class);
        for (Fault fault : Fault.values()) {
            if (fault.kind() == Fault.Kind.HTTP_ERROR) {
                run.assertPassed("[" + fault + " on OPENAI]");
            } else {
                assertThat(run.outcomes()).doesNotContainKey("[" + fault + " on OPENAI]");
            }
        }
    }

    @Test
    void kindsRunEveryFaultOfThoseKindsLessTheExceptionsAndNothingElse() {
        FixtureRun run = FixtureRun.run(MatrixFixture.KindsFixture.class);
        for (Fault fault : Fault.values()) {
            boolean included = (fault.kind() == Fault.Kind.MODEL_OUTPUT || fault.kind() == Fault.Kind.TRANSPORT)
                    && fault != Fault.SLOW_RESPONSE;
            if (included) {
                run.assertPassed("[" + fault + " on OPENAI]");
            } else {
                assertThat(run.outcomes()).as(fault.name()).doesNotContainKey("[" + fault + " on OPENAI]");
            }
        }
        assertThat(run.outcomes().keySet()).as("model faults ran").contains("[INVALID_JSON_OUTPUT on OPENAI]");
    }

    @Test
    void aClassSharesOneServerAndStopsItAfterwards() {
        FixtureRun run = FixtureRun.run(LifecycleFixture.SharedServerFixture.class);
        run.assertPassed("first");
        run.assertPassed("second");
        run.assertPassed("otherSettingsOtherServer");
        run.assertPassed("LifecycleFixture$SharedServerFixture"); // @AfterAll saw it running
        assertThat(LifecycleFixture.SharedServerFixture.shared.isRunning()).isFalse();
    }

    @Test
    void serverPerMethodGivesEachTestItsOwnServerAndStopsIt() {
        LifecycleFixture.PerMethodFixture.SERVERS.clear();
        FixtureRun run = FixtureRun.run(LifecycleFixture.PerMethodFixture.class);
        run.assertPassed("one");
        run.assertPassed("two");
        assertThat(LifecycleFixture.PerMethodFixture.SERVERS).hasSize(2)
                .allSatisfy(server -> assertThat(server.isRunning()).isFalse());
    }

    @Test
    void aRegisteredExtensionUsesItsBuilderAndActsAlone() {
        FixtureRun.run(LifecycleFixture.BuilderFixture.class).assertPassed("builderSettingsAndScenariosApply");
    }
}
