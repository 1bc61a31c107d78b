package dev.llmfault.server.faults;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.internal.catalogue.FaultCatalogue;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Envelopes;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model's own failures on every provider, plain and streamed: a 200 (or the provider's refusal where its row
 * has an error status) whose content is the failure, the finish reason of the row's {@code type} column, the
 * scenario's triggers as for any fault, and a normal answer once the scenario is spent.
 */
class ModelOutputFaultsTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.replyText("one two three four five six"));

    static final List<Fault> MODEL_FAULTS = List.of(Fault.values()).stream()
            .filter(f -> f.kind() == Fault.Kind.MODEL_OUTPUT).toList();

    static Stream<Arguments> everyFaultOnEveryProvider() {
        List<Arguments> out = new ArrayList<>();
        for (Fault f : MODEL_FAULTS) {
            for (Provider p : Provider.values()) {
                out.add(Arguments.of(f, p));
            }
        }
        return out.stream();
    }

    private static JournalEntry last() {
        return server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
    }

    @Test
    void theModelsOwnFailuresAreTheirOwnKindCauseAndAdvice() {
        assertThat(MODEL_FAULTS).containsExactly(Fault.LENGTH_TRUNCATED, Fault.CONTENT_FILTERED,
                Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS);
        assertThat(MODEL_FAULTS).allSatisfy(f -> assertThat(f.cause()).isEqualTo(Fault.Cause.MODEL_OUTPUT));
        assertThat(Fault.LENGTH_TRUNCATED.isRetryable()).as("the same request is cut again").isFalse();
        assertThat(Fault.CONTENT_FILTERED.isRetryable()).as("the same prompt is filtered again").isFalse();
        assertThat(Fault.INVALID_JSON_OUTPUT.retry()).isEqualTo(Fault.Retry.REASK);
        assertThat(Fault.UNKNOWN_TOOL_CALL.isRetryable()).isTrue();
    }

    @ParameterizedTest(name = "{0} on {1}")
    @MethodSource("everyFaultOnEveryProvider")
    void aPlainCallGetsTheRowsAnswerAndTheNextOneIsNormal(Fault fault, Provider p) {
        server.get().scenarios().add(Scenario.builder(fault).provider(p).times(1).build());

        Answer a = Calls.chat(server.get(), p, false);

        Rendering row = FaultCatalogue.get().lookup(fault, p);
        assertThat(a.status()).as(a.body()).isEqualTo(row.status());
        if (row.status() >= 400) {
            ProviderFixture.of(p).assertMatchesRow(Envelopes.read(p, a), row);
        } else {
            assertThat(a.body()).doesNotContain("six"); // never the whole answer
            if (fault == Fault.LENGTH_TRUNCATED) {
                assertThat(a.body()).contains("one two thr");
            }
        }
        JournalEntry e = last();
        assertThat(e.fault()).isEqualTo(fault);
        assertThat(e.status()).isEqualTo(row.status());
        assertThat(Calls.chat(server.get(), p, false).body()).as("times 1: then the whole answer").contains("six");
        if (row.status() == 200) {
            assertThat(a.body()).as("the finish reason of the row").contains("\"" + row.type() + "\"");
        }
    }

    @ParameterizedTest(name = "{0} on {1}")
    @EnumSource(value = Fault.class, names = {"LENGTH_TRUNCATED", "CONTENT_FILTERED", "INVALID_JSON_OUTPUT"})
    void aStreamCarriesTheSamePiecesOnEveryProvider(Fault fault) {
        for (Provider p : Provider.values()) {
            server.get().scenarios().clear();
            server.get().scenarios().add(Scenario.builder(fault).provider(p).afterChunks(2).build());

            Answer a = Calls.chat(server.get(), p, true);

            Rendering row = FaultCatalogue.get().lookup(fault, p, "stream");
            assertThat(a.status()).as("%s on %s: %s", fault, p, a.body()).isEqualTo(row.status());
            ProviderFixture f = ProviderFixture.of(p);
            List<String> pieces = f.streamText(a.body());
            switch (fault) {
                case LENGTH_TRUNCATED -> assertThat(pieces).as(p.name()).containsExactly("one ", "two ", "thr");
                case CONTENT_FILTERED -> assertThat(pieces).as(p.name()).containsExactly("one ", "two ");
                default -> assertThat(String.join("", pieces)).as(p.name()).startsWith("{\"answer\":\"one")
                        .doesNotEndWith("}");
            }
            assertThat(a.body()).as("%s ends its stream with the row's finish reason", p).contains("\"" + row.type() + "\"");
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void toolCallFaultsCallATool(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.UNKNOWN_TOOL_CALL).provider(p).build());

        Answer plain = Calls.chat(server.get(), p, false);
        Answer streamed = Calls.chat(server.get(), p, true);

        assertThat(plain.body()).contains("lookup_internal_records");
        assertThat(streamed.body()).contains("lookup_internal_records");
    }
}
