package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.ReplyFixture;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @LlmReply} through EngineTestKit: rules per test, overriding the class's, scoped to a key; wrong values named. */
class ReplyAnnotationTest {
    private static FixtureRun run;

    @BeforeAll
    static void runFixture() {
        ReplyFixture.badBodyRan = false;
        run = FixtureRun.run(ReplyFixture.class);
    }

    @Test
    void rulesAnswerPerTest() {
        run.assertPassed("theClassRuleAnswers");
        run.assertPassed("aMethodRuleAnswersWithAToolCall");
        run.assertPassed("theMethodsRuleOverridesTheClasss");
        run.assertPassed("aSequenceAnswersTheFirstTurnWithItsFirstReply");
        run.assertPassed("aJsonReplyIsTheAnswersText");
        run.assertPassed("aKeyedTestsRuleAnswersOnlyItsKey");
    }

    @Test
    void wrongValuesFailBeforeTheBodyNamingAnnotationPlaceElementAndValue() {
        assertThat(ReplyFixture.badBodyRan).isFalse();
        assertThat(run.failure("badToolName")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@LlmReply(toolCalls[0].name = \"get weather\") on method ReplyFixture#badToolName(): "
                        + "toolCalls[0].name: invalid value 'get weather', expected a tool name");
        assertThat(run.failure("argumentsThatAreNoObject")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@LlmReply(toolCalls[1].arguments = ")
                .hasMessageContaining("toolCalls[1].arguments: invalid value '[1]', expected a JSON object");
        assertThat(run.failure("regexThatDoesNotCompile")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@LlmReply(match.lastUserMessageRegex = \"(weather\") on method ")
                .hasMessageContaining("expected a Java regular expression");
        assertThat(run.failure("textAndJson")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@LlmReply(json = \"{}\") on method ReplyFixture#textAndJson(): json: a JSON reply"
                        + " is the whole answer");
        assertThat(run.failure("nothingToAnswer")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("text: a reply rule needs what to answer: give text, toolCalls, json or a sequence");
        assertThat(run.failure("badJsonInASequence")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@LlmReply(sequence[1].json = \"{oops\") on method ")
                .hasMessageContaining("sequence[1].json: invalid value '{oops', expected valid JSON");
    }
}
