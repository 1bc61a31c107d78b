package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.AliasFixture;
import dev.llmfault.junit.fixtures.BadAliasFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;
import org.junit.jupiter.api.extension.ParameterResolutionException;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code @LlmFaultTest(aliases = ...)} and {@code @LlmBaseUrl(alias = ...)}, run through EngineTestKit. */
class AliasTest {

    @Test
    void anAliasedVendorIsServedAndItsBaseUrlInjected() {
        FixtureRun run = FixtureRun.run(AliasFixture.class);

        run.assertPassed("aClientOfTheVendorTalksToItsAlias");
        run.assertPassed("aStringParameterGetsTheSameUrl");
        assertThat(run.failure("anAliasTheServerDoesNotHave"))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("@LlmBaseUrl(alias = \"groq\")")
                .hasMessageContaining("no alias 'groq' on this server, which has [mistral, vllm]");
        assertThat(run.failure("anAliasAndAProviderAtOnce"))
                .isInstanceOf(ParameterResolutionException.class)
                .hasMessageContaining("name a provider or an alias, not both");
    }

    @Test
    void anAliasThatClashesWithAProviderFailsTheTestNamingTheAttribute() {
        BadAliasFixture.bodyRan = false;
        FixtureRun run = FixtureRun.run(BadAliasFixture.class);

        assertThat(run.failure("clashesWithOpenAi"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("@LlmFaultTest(aliases = [openai=/v1]) on class BadAliasFixture: alias openai:"
                        + " base path '/v1' clashes with OPENAI's own route POST /v1/chat/completions");
        assertThat(BadAliasFixture.bodyRan).isFalse();
    }
}
