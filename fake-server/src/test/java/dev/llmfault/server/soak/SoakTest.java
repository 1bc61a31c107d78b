package dev.llmfault.server.soak;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.KeepAliveClient;
import dev.llmfault.server.testing.Load;
import dev.llmfault.server.testing.Scale;
import org.junit.jupiter.api.Test;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Many requests through a mix of faults (a quick run normally, a million under -Preliability): every
 * request is journaled, no 5xx comes without a scenario, the bounded journal stays ordered and full, and
 * the heap stays bounded.
 */
class SoakTest {
    static final int REQUESTS = Scale.of(20_000, 1_000_000);
    static final int JOURNAL = Scale.of(1_000, 10_000);

    @Test
    void aMixOfFaultsKeepsTheJournalConsistentAndTheHeapBounded() {
        try (FakeLlmServer server = FakeLlmServer.builder().journalSize(JOURNAL)
                .scenario(Scenario.builder(Fault.RATE_LIMITED).provider(Provider.OPENAI).every(7).retryAfterMs(10).build())
                .scenario(Scenario.builder(Fault.SERVER_ERROR).probability(0.05).seed(3).build())
                .scenario(Scenario.builder(Fault.STREAM_ERROR).provider(Provider.ANTHROPIC).every(11).afterChunks(1).build())
                .scenario(Scenario.builder(Fault.INVALID_TOKEN).provider(Provider.ZHIPU).every(13).build())
                .start()) {
            List<String> answers = Load.run(16, REQUESTS, i -> {
                Provider p = Provider.values()[i % Provider.values().length];
                if (i % 50 == 0) {
                    return String.valueOf(KeepAliveClient.send(server, "POST", Calls.chatPath(p), Calls.headers(p), "{broken").status());
                }
                // Stream or not by the round over the providers, not by i: with 6 providers, i % 3 == 0 never fell on
                // ANTHROPIC (i % 6 == 1), so its STREAM_ERROR scenario never met a stream.
                var a = KeepAliveClient.chat(server, p, (i / Provider.values().length) % 3 == 0);
                return a.status() == 200 && a.body().contains("event: error") ? "stream error" : String.valueOf(a.status());
            });

            List<JournalEntry> kept = server.journal().awaitRequests(REQUESTS, Duration.ofSeconds(30));
            assertThat(kept).hasSize(JOURNAL);
            for (int i = 1; i < kept.size(); i++) {
                assertThat(kept.get(i).sequence()).isGreaterThan(kept.get(i - 1).sequence());
            }
            assertThat(kept.get(kept.size() - 1).sequence()).isEqualTo(REQUESTS);
            assertThat(kept).filteredOn(e -> e.status() >= 500)
                    .allSatisfy(e -> assertThat(e.scenarioId()).as("a 5xx only when injected").isNotNull());
            Map<String, Long> byAnswer = answers.stream().collect(Collectors.groupingBy(Function.identity(), Collectors.counting()));
            assertThat(byAnswer.keySet()).containsOnly("200", "400", "401", "429", "500", "stream error");
            assertThat(byAnswer.get("400")).as("only the broken bodies are invalid").isEqualTo((REQUESTS + 49) / 50);
            long fired = server.scenarios().list().stream().mapToLong(s -> server.scenarios().firedCount(s.id())).sum();
            assertThat(byAnswer.get("401") + byAnswer.get("429") + byAnswer.get("500") + byAnswer.get("stream error"))
                    .as("every fault a client saw was fired by a scenario, and every fired one was seen").isEqualTo(fired);

            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            System.gc();
            long heapMb = memory.getHeapMemoryUsage().getUsed() / (1024 * 1024);
            System.out.printf("measure: soak of %d requests (%s): heap after GC %d MB%n", REQUESTS, byAnswer, heapMb);
            assertThat(heapMb).as("heap after GC").isLessThan(400);
        }
    }
}
