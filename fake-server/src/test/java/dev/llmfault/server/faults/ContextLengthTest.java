package dev.llmfault.server.faults;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.internal.catalogue.FaultCatalogue;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.dialect.ContextWindow;
import dev.llmfault.server.internal.dialect.Dialects;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Envelopes;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * CONTEXT_LENGTH_EXCEEDED computed for real: a prompt longer than the model's context window (by the server's
 * token estimate, 4 characters a token) is refused by validation with the provider's own 400, with no scenario;
 * one that fits alone but not with the output it reserves gets the {@code with_output} wording where the provider
 * has one. Ollama refuses nothing: it cuts the prompt to fit and answers, as the real one does.
 */
class ContextLengthTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();
    private static final Dialects DIALECTS = Dialects.create();

    private static int window(Provider p) {
        return ContextWindow.of(DIALECTS.dialect(p), ProviderFixture.of(p).model());
    }

    private static JournalEntry last() {
        return server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = "OLLAMA", mode = EnumSource.Mode.EXCLUDE)
    void aPromptLongerThanTheWindowIsRefusedWithTheProvidersOwnText(Provider p) {
        int window = window(p);
        assertThat(window).as("the fixture's model has a known window").isPositive();
        String prompt = "x".repeat(window * 4 + 40); // window + 10 tokens of this message alone

        Answer a = Calls.chat(server.get(), p, Calls.headers(p), Calls.body(p, false, prompt).toString());

        Rendering row = FaultCatalogue.get().lookup(Fault.CONTEXT_LENGTH_EXCEEDED, p);
        assertThat(a.status()).as(a.body()).isEqualTo(row.status());
        Envelopes.ProviderError e = Envelopes.read(p, a);
        ProviderFixture.of(p).assertMatchesRow(e, row);
        if (row.message().contains("{limit}")) {
            assertThat(e.message()).contains(String.valueOf(window));
        }
        JournalEntry entry = last();
        assertThat(entry.fault()).isEqualTo(Fault.CONTEXT_LENGTH_EXCEEDED);
        assertThat(entry.scenarioId()).as("validation, not a scenario").isNull();
        assertThat(entry.faultReason()).startsWith("validation: ").contains("exceed the context window of");
    }

    @Test
    void ollamaCutsAPromptTooLongForTheWindowAndAnswers() {
        String prompt = "x".repeat(window(Provider.OLLAMA) * 4 + 40);

        Answer a = Calls.chat(server.get(), Provider.OLLAMA, Calls.headers(Provider.OLLAMA),
                Calls.body(Provider.OLLAMA, false, prompt).toString());

        assertThat(a.status()).isEqualTo(200);
        assertThat(last().fault()).isNull();
    }

    @Test
    void aPromptThatFitsOnlyWithoutItsReservedOutputGetsTheWithOutputWording() {
        var openAi = Calls.body(Provider.OPENAI, false, "Say hello").put("max_tokens", 200_000);
        var anthropic = Calls.body(Provider.ANTHROPIC, false, "Say hello").put("max_tokens", 200_000);

        Answer o = Calls.chat(server.get(), Provider.OPENAI, Calls.headers(Provider.OPENAI), openAi.toString());
        Answer c = Calls.chat(server.get(), Provider.ANTHROPIC, Calls.headers(Provider.ANTHROPIC), anthropic.toString());

        assertThat(o.status()).isEqualTo(400);
        assertThat(Envelopes.read(Provider.OPENAI, o).message()).startsWith(
                "This model's maximum context length is 128000 tokens. However, you requested 200003 tokens (3 in the "
                        + "messages, 200000 in the completion).");
        assertThat(o.json().path("error").path("code").asText()).isEqualTo("context_length_exceeded");
        assertThat(c.status()).isEqualTo(400);
        assertThat(Envelopes.read(Provider.ANTHROPIC, c).message()).isEqualTo("input length and `max_tokens` exceed "
                + "context limit: 3 + 200000 > 200000, decrease input length or `max_tokens` and try again");
    }

    @Test
    void geminiCountsTheInputAloneAgainstItsLimit() {
        var body = Calls.body(Provider.GEMINI, false, "Say hello");
        body.putObject("generationConfig").put("maxOutputTokens", 2_000_000);

        Answer a = Calls.chat(server.get(), Provider.GEMINI, Calls.headers(Provider.GEMINI), body.toString());

        assertThat(a.status()).as("maxOutputTokens is capped, not counted: %s", a.body()).isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void injectedItReadsLikeARealRefusalOfTheRequestsModel(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.CONTEXT_LENGTH_EXCEEDED).provider(p).times(1).build());

        Answer a = Calls.chat(server.get(), p, false);

        Rendering row = FaultCatalogue.get().lookup(Fault.CONTEXT_LENGTH_EXCEEDED, p);
        assertThat(a.status()).isEqualTo(400);
        String message = Envelopes.read(p, a).message();
        if (row.message().contains("{limit}")) {
            assertThat(message).contains(String.valueOf(window(p)));
        }
        assertThat(last().fault()).isEqualTo(Fault.CONTEXT_LENGTH_EXCEEDED);
        assertThat(Calls.chat(server.get(), p, false).status()).isEqualTo(200);
    }
}
