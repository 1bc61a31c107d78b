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
import dev.llmfault.server.testing.Envelopes.ProviderError;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault catalogue as a table: every (fault, provider) pair has a row, and injecting each HTTP fault by
 * scenario answers exactly the row's status with a body of the provider's envelope, the row's error type
 * and code, its fixed headers and, for throttling rows, the retry hints.
 */
class CatalogueTableTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    static List<Rendering> mainRows() {
        return FaultCatalogue.get().all().stream().filter(r -> r.variant().isEmpty()).toList();
    }

    static Stream<Rendering> httpRows() {
        return mainRows().stream().filter(r -> r.fault().kind() == Fault.Kind.HTTP_ERROR);
    }

    @Test
    void everyFaultHasExactlyOneMainRowForEveryProvider() {
        List<String> missing = new ArrayList<>();
        for (Fault f : Fault.values()) {
            for (Provider p : Provider.values()) {
                long rows = mainRows().stream().filter(r -> r.fault() == f && r.provider() == p).count();
                if (rows != 1) {
                    missing.add(f + " x " + p + " has " + rows + " main rows");
                }
            }
        }
        assertThat(missing).isEmpty();
        assertThat(mainRows()).hasSize(Fault.values().length * Provider.values().length);
    }

    @Test
    void everyVariantRefinesAnExistingRowWithAnErrorStatus() {
        List<Rendering> variants = FaultCatalogue.get().all().stream().filter(r -> !r.variant().isEmpty()).toList();
        assertThat(variants).isNotEmpty().allSatisfy(v -> {
            if (v.fault().kind() == Fault.Kind.MODEL_OUTPUT) {
                // how a stream ends where the plain call is refused (Azure's filter): a 200 with a finish reason
                assertThat(v.status()).as("%s/%s/%s", v.fault(), v.provider(), v.variant()).isEqualTo(200);
                assertThat(v.type()).as("the finish reason of %s/%s", v.fault(), v.provider()).isNotBlank();
                assertThat(FaultCatalogue.get().lookup(v.fault(), v.provider(), v.variant())).isEqualTo(v);
                return;
            }
            assertThat(v.status()).as("%s/%s/%s", v.fault(), v.provider(), v.variant()).isBetween(400, 599);
            assertThat(v.message()).isNotBlank();
            assertThat(FaultCatalogue.get().lookup(v.fault(), v.provider(), v.variant())).isEqualTo(v);
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("httpRows")
    void injectingTheFaultAnswersExactlyTheRow(Rendering row) {
        Scenario s = server.get().scenarios().add(Scenario.builder(row.fault()).provider(row.provider()).times(1).build());

        Answer a = Calls.chat(server.get(), row.provider(), false);

        assertThat(a.status()).as("status of %s: %s", row, a.body()).isEqualTo(row.status());
        ProviderFixture fixture = ProviderFixture.of(row.provider());
        ProviderError e = Envelopes.read(row.provider(), a);
        fixture.assertMatchesRow(e, row);
        row.headers().keySet().forEach(h -> assertThat(a.header(h)).as("header %s", h).isNotBlank());
        if (row.throttle()) {
            fixture.assertThrottleHeaders(a); // retry hints: a header, or in the body (Gemini's RetryInfo)
        }
        JournalEntry entry = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(entry.fault()).isEqualTo(row.fault());
        assertThat(entry.scenarioId()).isEqualTo(s.id());
        assertThat(entry.faultReason()).contains(s.id());
        assertThat(entry.status()).isEqualTo(row.status());
        // times: 1 -> the next request passes
        assertThat(Calls.chat(server.get(), row.provider(), false).status()).isEqualTo(200);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("httpRows")
    void aStreamingRequestGetsTheSameErrorBeforeAnyStream(Rendering row) {
        server.get().scenarios().add(Scenario.builder(row.fault()).provider(row.provider()).build());

        Answer a = Calls.chat(server.get(), row.provider(), true);

        assertThat(a.status()).isEqualTo(row.status());
        Envelopes.read(row.provider(), a);
    }

    @Test
    void retryHintsOfAScenarioReachTheHeaders() {
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).retryAfterMs(2500).shouldRetry(false)
                .header("x-custom", "{fault}-{status}").build());

        Answer openAi = Calls.chat(server.get(), Provider.OPENAI, false);
        Answer anthropic = Calls.chat(server.get(), Provider.ANTHROPIC, false);

        assertThat(openAi.header("retry-after-ms")).isEqualTo("2500");
        assertThat(openAi.header("retry-after")).isEqualTo("3");
        assertThat(openAi.header("x-should-retry")).isEqualTo("false");
        assertThat(openAi.header("x-custom")).isEqualTo("RATE_LIMITED-429");
        assertThat(Envelopes.read(Provider.OPENAI, openAi).message()).contains("Please try again in 2.50s");
        assertThat(anthropic.header("retry-after")).isEqualTo("3");
        assertThat(server.get().journal().awaitRequests(2, Duration.ofSeconds(5)).get(0).retryAfter())
                .contains(Duration.ofMillis(2500));
    }

    @Test
    void aScenarioMayReplaceStatusAndBody() {
        server.get().scenarios().add(Scenario.builder(Fault.INVALID_TOKEN).provider(Provider.ZHIPU).status(401)
                .body("{\"error\":{\"code\":1200,\"message\":\"Authentication failed for {keyMask}\"}}").build());

        Answer a = Calls.chat(server.get(), Provider.ZHIPU, false);

        assertThat(a.status()).isEqualTo(401);
        assertThat(a.json().path("error").path("code").asInt()).isEqualTo(1200);
        assertThat(a.json().path("error").path("message").asText()).startsWith("Authentication failed for ")
                .doesNotContain(Calls.key(Provider.ZHIPU)).contains("***");
    }
}
