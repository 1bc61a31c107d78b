package dev.llmfault.server.journal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the journal records of each request, how it is bounded, and how it is queried. */
class JournalRecordingTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    static String sha256(String s) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void recordsEveryFieldOfARequestAndItsAnswer() throws Exception {
        String body = Calls.body(Provider.OPENAI, true).toString();
        Map<String, String> headers = Calls.with(Calls.headers(Provider.OPENAI), "X-Stainless-Retry-Count", "0");
        Instant before = Instant.now();
        long nanosBefore = System.nanoTime();
        Answer a = Http.send("POST", URI.create(server.get().url() + "/v1/chat/completions?trace=abc&limit=2"), headers, body);
        long nanosAfter = System.nanoTime();
        Instant after = Instant.now();

        JournalEntry e = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);

        assertThat(e.sequence()).isPositive();
        assertThat(e.time()).isBetween(before, after);
        assertThat(e.monotonicNanos()).isBetween(nanosBefore, nanosAfter);
        assertThat(e.method()).isEqualTo("POST");
        assertThat(e.path()).isEqualTo("/v1/chat/completions");
        assertThat(e.query()).isEqualTo("trace=abc&limit=2");
        assertThat(e.headers()).allSatisfy((name, value) -> assertThat(name).isLowerCase());
        assertThat(e.header("X-STAINLESS-RETRY-COUNT")).isEqualTo("0");
        assertThat(e.header("content-type")).isEqualTo("application/json");
        assertThat(e.header("authorization")).isEqualTo("Bearer sk-pr***WXYZ");
        assertThat(e.body()).isEqualTo(body);
        assertThat(e.json()).get().isEqualTo(Answer.JSON.readTree(body));
        assertThat(e.clientAddress()).isEqualTo("127.0.0.1");
        assertThat(e.provider()).isEqualTo(Provider.OPENAI);
        assertThat(e.model()).isEqualTo(Calls.model(Provider.OPENAI));
        assertThat(e.stream()).isTrue();
        assertThat(e.apiKeyMask()).isEqualTo("sk-pr***WXYZ");
        assertThat(e.apiKeyFingerprint()).isEqualTo(sha256(Calls.key(Provider.OPENAI)));
        assertThat(e.fault()).isNull();
        assertThat(e.faultReason()).isNull();
        assertThat(e.scenarioId()).isNull();
        assertThat(e.isFault()).isFalse();
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.responseHeaders()).allSatisfy((name, value) -> assertThat(name).isLowerCase());
        assertThat(e.responseHeader("X-Request-Id")).isEqualTo(a.header("x-request-id"));
        assertThat(e.responseHeader("content-type")).startsWith("text/event-stream");
        assertThat(e.retryAfter()).isEmpty();
        assertThat(e.duration()).isPositive().isLessThanOrEqualTo(Duration.ofNanos(nanosAfter - nanosBefore));
    }

    /** The journal keeps no answer body: what the model was asked and answered is kept as the model call. */
    @Test
    void recordsTheModelCallItReadAndWhatTheModelAnswered() {
        var body = Calls.body(Provider.OPENAI, false, "one two three");
        body.put("max_tokens", 64);
        Calls.chat(server.get(), Provider.OPENAI, Calls.headers(Provider.OPENAI), body.toString());
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(1).build());
        Calls.chat(server.get(), Provider.OPENAI, Calls.headers(Provider.OPENAI), body.toString());
        Http.send("GET", URI.create(server.get().url() + "/v1/models"), Calls.headers(Provider.OPENAI), null);

        List<JournalEntry> entries = server.get().journal().awaitRequests(3, Duration.ofSeconds(5));

        JournalEntry.ModelCall answered = entries.get(0).modelCall();
        assertThat(answered.promptTokens()).isPositive();
        assertThat(answered.reservedTokens()).isEqualTo(64);
        assertThat(answered.completionTokens()).isPositive();
        assertThat(answered.toolCalls()).isEmpty();
        JournalEntry.ModelCall refused = entries.get(1).modelCall();
        assertThat(refused.promptTokens()).as("read before the fault answered").isEqualTo(answered.promptTokens());
        assertThat(refused.completionTokens()).as("no answer was chosen").isZero();
        assertThat(entries.get(2).modelCall()).as("a model list is no model call").isNull();
    }

    @Test
    void recordsTheFaultItsReasonAndTheScenario() {
        Scenario s = server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).retryAfterMs(1500).times(1).build());

        Calls.chat(server.get(), Provider.ANTHROPIC, false);
        Calls.chat(server.get(), Provider.ANTHROPIC, Calls.headers(Provider.ANTHROPIC), "{oops");

        List<JournalEntry> entries = server.get().journal().awaitRequests(2, Duration.ofSeconds(5));
        JournalEntry injected = entries.get(0);
        assertThat(injected.fault()).isEqualTo(Fault.RATE_LIMITED);
        assertThat(injected.scenarioId()).isEqualTo(s.id());
        assertThat(injected.faultReason()).isEqualTo("scenario " + s.id() + " (match #1)");
        assertThat(injected.status()).isEqualTo(429);
        assertThat(injected.retryAfter()).contains(Duration.ofSeconds(2));
        JournalEntry invalid = entries.get(1);
        assertThat(invalid.fault()).isEqualTo(Fault.MALFORMED_BODY);
        assertThat(invalid.faultReason()).startsWith("validation: invalid JSON");
        assertThat(invalid.scenarioId()).isNull();
        assertThat(invalid.body()).isEqualTo("{oops");
        assertThat(invalid.json()).isEmpty();
        assertThat(invalid.sequence()).isGreaterThan(injected.sequence());
    }

    @Test
    void recordsRequestsThatNeverReachAProviderRoute() {
        Http.send("PATCH", URI.create(server.get().url() + "/nowhere?x=1"), Map.of(), null);

        JournalEntry e = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(e.method()).isEqualTo("PATCH");
        assertThat(e.path()).isEqualTo("/nowhere");
        assertThat(e.query()).isEqualTo("x=1");
        assertThat(e.status()).isEqualTo(404);
        assertThat(e.provider()).isNotNull();
        assertThat(e.apiKeyMask()).isNull();
        assertThat(e.body()).isEmpty();
    }

    @Test
    void cutsLongBodiesAt64KiB() {
        String big = Calls.body(Provider.COHERE, false).put("padding", "p".repeat(100_000)).toString();

        assertThat(Calls.chat(server.get(), Provider.COHERE, Calls.headers(Provider.COHERE), big).status()).isEqualTo(200);

        JournalEntry e = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(e.body()).hasSize(64 * 1024).isEqualTo(big.substring(0, 64 * 1024));
        assertThat(e.model()).as("parsed before cutting").isEqualTo(Calls.model(Provider.COHERE));
    }

    @Test
    void sequencesKeepGrowingAcrossAClear() {
        Calls.chat(server.get(), Provider.OPENAI, false);
        long first = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0).sequence();

        server.get().journal().clear();
        assertThat(server.get().journal().entries()).isEmpty();
        assertThat(server.get().journal().size()).isZero();
        assertThat(server.get().journal().last()).isEmpty();
        Calls.chat(server.get(), Provider.OPENAI, false);

        assertThat(server.get().journal().awaitRequests(1, Duration.ofSeconds(5))).singleElement()
                .satisfies(e -> assertThat(e.sequence()).isEqualTo(first + 1));
    }

    @Test
    void awaitRequestsNamesHowManyItSaw() {
        Calls.chat(server.get(), Provider.OPENAI, false);

        assertThatThrownBy(() -> server.get().journal().awaitRequests(3, Duration.ofMillis(50)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("Expecting the fake LLM server to receive at least:%n  3 request(s)".formatted())
                .hasMessageContaining("but it received:%n  1".formatted())
                .hasMessageContaining("POST /v1/chat/completions [OPENAI] -> 200");
    }

    @Test
    void keepsOnlyTheNewestEntries() {
        try (FakeLlmServer small = FakeLlmServer.builder().journalSize(5).start()) {
            for (int i = 0; i < 12; i++) {
                assertThat(Calls.chat(small, Provider.OPENAI, false).status()).isEqualTo(200);
            }
            List<JournalEntry> kept = small.journal().awaitRequests(12, Duration.ofSeconds(5));
            assertThat(kept).extracting(JournalEntry::sequence).containsExactly(8L, 9L, 10L, 11L, 12L);
            assertThat(small.journal().last()).get().extracting(JournalEntry::sequence).isEqualTo(12L);
            JsonNode health = Http.get(small.url().resolve("/__admin/health")).json();
            assertThat(health.path("requests").asLong()).as("counted, even when dropped").isEqualTo(12);
        }
    }

    @Test
    void aJournalOfSizeZeroKeepsNothingAndStillServes() {
        try (FakeLlmServer none = FakeLlmServer.builder().journalSize(0).start()) {
            assertThat(Calls.chat(none, Provider.OPENAI, false).status()).isEqualTo(200);
            assertThat(none.journal().awaitRequests(1, Duration.ofSeconds(5))).isEmpty();
        }
    }

    @Test
    void queriesByProviderPathStatusFaultKeyModelAndScenario() {
        Scenario s = server.get().scenarios().add(Scenario.builder(Fault.SERVER_ERROR).provider(Provider.COHERE).times(1).build());
        String otherKey = "sk-other-key-0123456789ABCD";
        Calls.chat(server.get(), Provider.OPENAI, false);                                     // 200
        Calls.chat(server.get(), Provider.OPENAI, Calls.headers(Provider.OPENAI, otherKey),   // 200, other key
                Calls.body(Provider.OPENAI, false).put("model", "gpt-4o").toString());
        Calls.chat(server.get(), Provider.COHERE, false);                                     // 500 injected
        Calls.chat(server.get(), Provider.COHERE, Calls.headers(Provider.COHERE), "[");       // 400
        Calls.chat(server.get(), Provider.ANTHROPIC, true);                                   // 200
        server.get().journal().awaitRequests(5, Duration.ofSeconds(5));

        assertThat(server.get().journal().find(JournalQuery.all())).hasSize(5);
        assertThat(server.get().journal().find(JournalQuery.all().provider(Provider.OPENAI))).hasSize(2);
        assertThat(server.get().journal().find(JournalQuery.all().path("/v2/chat"))).hasSize(2);
        assertThat(server.get().journal().find(JournalQuery.all().status(200))).hasSize(3);
        assertThat(server.get().journal().find(JournalQuery.all().status(500))).singleElement()
                .satisfies(e -> assertThat(e.scenarioId()).isEqualTo(s.id()));
        assertThat(server.get().journal().find(JournalQuery.all().fault(Fault.MALFORMED_BODY))).singleElement()
                .satisfies(e -> assertThat(e.status()).isEqualTo(400));
        assertThat(server.get().journal().find(JournalQuery.all().apiKey(otherKey))).singleElement()
                .satisfies(e -> assertThat(e.model()).isEqualTo("gpt-4o"));
        assertThat(server.get().journal().find(JournalQuery.all().apiKey(Calls.key(Provider.OPENAI)))).hasSize(1);
        assertThat(server.get().journal().find(JournalQuery.all().model("gpt-4o"))).hasSize(1);
        assertThat(server.get().journal().find(JournalQuery.all().scenarioId(s.id()))).hasSize(1);
        assertThat(server.get().journal().find(JournalQuery.all().provider(Provider.COHERE).status(200))).isEmpty();
        assertThat(server.get().journal().find(JournalQuery.all().provider(Provider.ANTHROPIC).status(200)))
                .singleElement().satisfies(e -> assertThat(e.stream()).isTrue());
    }
}
