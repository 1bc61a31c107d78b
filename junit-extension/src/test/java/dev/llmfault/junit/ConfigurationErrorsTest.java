package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.ConfigErrorFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/** A wrong declaration fails the test at start with the annotation, where it is, the element and the value. */
class ConfigurationErrorsTest {
    private static FixtureRun run;

    @BeforeAll
    static void runFixture() {
        ConfigErrorFixture.bodyRan = false;
        run = FixtureRun.run(ConfigErrorFixture.class);
    }

    @Test
    void noTestBodyRan() {
        assertThat(ConfigErrorFixture.bodyRan).isFalse();
    }

    @Test
    void negativeTimes() {
        assertThat(run.failure("negativeTimes"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessage("@LlmFaultScenario(times = -1) on method ConfigErrorFixture#negativeTimes(): "
                        + "times: invalid value -1, expected an integer >= 1; for no limit leave times out (in an"
                        + " annotation: LlmFaultScenario.UNLIMITED, the default)");
    }

    @Test
    void zeroTimesIsNeitherNeverNorUnlimited() {
        assertThat(run.failure("zeroTimes"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("@LlmFaultScenario(times = 0) on method ConfigErrorFixture#zeroTimes(): "
                        + "times: invalid value 0, expected an integer >= 1")
                .hasMessageContaining("LlmFaultScenario.UNLIMITED");
    }

    @Test
    void probabilityAboveOne() {
        assertThat(run.failure("probabilityAboveOne"))
                .hasMessage("@LlmFaultScenario(probability = 2.0) on method ConfigErrorFixture#probabilityAboveOne(): "
                        + "probability: invalid value 2.0, expected a number from 0.0 to 1.0");
    }

    @Test
    void aComposedAnnotationIsNamed() {
        assertThat(run.failure("wrongValueInAComposedAnnotation"))
                .hasMessageStartingWith("@LlmFaultScenario(probability = 2.0) on method "
                        + "ConfigErrorFixture#wrongValueInAComposedAnnotation() via @BrokenComposition: probability:");
    }

    @Test
    void malformedHeader() {
        assertThat(run.failure("malformedHeader"))
                .hasMessage("@LlmFaultScenario(headers = \"no colon here\") on method ConfigErrorFixture#malformedHeader(): "
                        + "headers: invalid value 'no colon here', expected \"Name: value\"");
    }

    @Test
    void relativeMatchPath() {
        assertThat(run.failure("relativeMatchPath"))
                .hasMessage("@LlmFaultScenario(match.path = \"v1/chat\") on method ConfigErrorFixture#relativeMatchPath(): "
                        + "match.path: invalid value 'v1/chat', expected a path starting with '/'");
    }

    @Test
    void aMatrixWithNoFaultFailsTheTemplate() {
        assertThat(run.failure("emptyMatrix"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@LlmFaultMatrix(faults = []) on method ConfigErrorFixture#emptyMatrix(): "
                        + "faults: a matrix needs at least one fault (list them, name their kinds or set allFaults = true; except may not leave none), allowed: [MISSING_TOKEN,");
    }

    @Test
    void aMatrixWithAWrongValueFailsTheTemplate() {
        assertThat(run.failure("matrixWithNegativeTimes"))
                .hasMessage("@LlmFaultMatrix(times = -3) on method ConfigErrorFixture#matrixWithNegativeTimes(): "
                        + "times: invalid value -3, expected an integer >= 1; for no limit leave times out (in an"
                        + " annotation: LlmFaultScenario.UNLIMITED, the default)");
    }

    @Test
    void aWrongServerSettingNamesLlmFaultTest() {
        assertThat(run.failure("negativeJournalSize"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@LlmFaultTest(journalSize = -5) on method ConfigErrorFixture#negativeJournalSize(): "
                        + "journalSize: invalid value -5");
    }
}
