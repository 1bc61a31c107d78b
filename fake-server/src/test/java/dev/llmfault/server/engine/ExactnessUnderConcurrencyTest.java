package dev.llmfault.server.engine;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.KeepAliveClient;
import dev.llmfault.server.testing.Load;
import dev.llmfault.server.testing.Scale;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Triggers count exactly however many clients race: the decision and the count happen as one step, and
 * the seeded coin depends only on the seed and the match number, not on which thread came first.
 */
class ExactnessUnderConcurrencyTest {
    static final int CLIENTS = 64;
    static final int REQUESTS = Scale.of(5_000, 50_000);
    static final Pattern MATCH_NUMBER = Pattern.compile("\\(match #(\\d+)\\)");

    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.journalSize(REQUESTS));

    /** Sends {@code total} OpenAI calls from 64 clients at once; returns the statuses. */
    static List<Integer> race(int clients, int total) {
        return Load.run(clients, total, i -> KeepAliveClient.chat(server.get(), Provider.OPENAI, false).status());
    }

    static long count(List<Integer> statuses, int status) {
        return statuses.stream().filter(s -> s == status).count();
    }

    /** The match numbers (from 1) that fired, read from the journal. */
    static Set<Long> firedMatchNumbers() {
        Set<Long> out = new TreeSet<>();
        for (JournalEntry e : server.get().journal().find(JournalQuery.all().fault(Fault.RATE_LIMITED))) {
            Matcher m = MATCH_NUMBER.matcher(e.faultReason());
            assertThat(m.find()).as(e.faultReason()).isTrue();
            out.add(Long.parseLong(m.group(1)));
        }
        return out;
    }

    @RepeatedTest(3)
    void timesTwoUnderFiftyConcurrentRequestsFiresExactlyTwice() {
        Scenario s = server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(2).build());

        List<Integer> statuses = race(50, 50);

        assertThat(count(statuses, 429)).isEqualTo(2);
        assertThat(count(statuses, 200)).isEqualTo(48);
        assertThat(server.get().scenarios().firedCount(s.id())).isEqualTo(2);
        assertThat(server.get().scenarios().matchedCount(s.id())).isEqualTo(50);
        assertThat(server.get().journal().awaitRequests(50, Duration.ofSeconds(10))).filteredOn(JournalEntry::isFault).hasSize(2);
    }

    @Test
    void afterAndTimesUnderSixtyFourClients() {
        int after = REQUESTS / 4;
        int times = REQUESTS / 10;
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).after(after).times(times).build());

        List<Integer> statuses = race(CLIENTS, REQUESTS);

        assertThat(count(statuses, 429)).isEqualTo(times);
        server.get().journal().awaitRequests(REQUESTS, Duration.ofSeconds(10));
        assertThat(firedMatchNumbers()).as("match numbers that fired")
                .containsExactlyElementsOf(range(after + 1, after + times));
    }

    @Test
    void everyKthUnderSixtyFourClients() {
        int after = 7;
        int every = 5;
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).after(after).every(every).build());

        List<Integer> statuses = race(CLIENTS, REQUESTS);

        long expected = (REQUESTS - after - 1) / every + 1;
        assertThat(count(statuses, 429)).isEqualTo(expected);
        server.get().journal().awaitRequests(REQUESTS, Duration.ofSeconds(10));
        assertThat(firedMatchNumbers()).allSatisfy(n -> assertThat((n - 1 - after) % every).isZero())
                .hasSize((int) expected);
    }

    @Test
    void probabilityWithASeedDecidesTheSameMatchNumbersInEveryRunAndUnderConcurrency() {
        Scenario coin = Scenario.builder(Fault.RATE_LIMITED).id("coin").probability(0.3).seed(1234).build();
        int n = REQUESTS / 2;

        server.get().scenarios().add(coin);
        List<Integer> sequential = race(1, n);
        server.get().journal().awaitRequests(n, Duration.ofSeconds(10));
        Set<Long> sequentialFired = firedMatchNumbers();
        server.get().reset();

        server.get().scenarios().add(coin);
        List<Integer> again = race(1, n);
        server.get().journal().awaitRequests(n, Duration.ofSeconds(10));
        assertThat(again).as("the same seed: the same decision for every request").isEqualTo(sequential);
        server.get().reset();

        server.get().scenarios().add(coin);
        List<Integer> concurrent = race(CLIENTS, n);
        server.get().journal().awaitRequests(n, Duration.ofSeconds(10));

        assertThat(count(concurrent, 429)).isEqualTo(count(sequential, 429));
        assertThat(firedMatchNumbers()).as("the same match numbers fire under 64 clients").isEqualTo(sequentialFired);
        double share = count(sequential, 429) / (double) n;
        assertThat(share).as("a fair coin at 0.3").isBetween(0.22, 0.38);
        server.get().reset();

        server.get().scenarios().add(coin.toBuilder().seed(4321).build());
        List<Integer> otherSeed = race(1, n);
        assertThat(otherSeed).as("another seed decides otherwise").isNotEqualTo(sequential);
    }

    @Test
    void theServerSeedDecidesForScenariosWithoutOne() {
        List<List<Integer>> runs = new java.util.ArrayList<>();
        for (long seed : new long[] {99, 99, 100}) {
            try (FakeLlmServer seeded = FakeLlmServer.builder().seed(seed)
                    .scenario(Scenario.builder(Fault.SERVER_ERROR).probability(0.5).build()).start()) {
                runs.add(Load.run(1, 100, i -> KeepAliveClient.chat(seeded, Provider.OPENAI, false).status()));
            }
        }
        assertThat(runs.get(1)).isEqualTo(runs.get(0));
        assertThat(runs.get(2)).isNotEqualTo(runs.get(0));
    }

    @Test
    void theFirstScenarioThatFiresWinsAndLaterOnesDoNotCount() {
        Scenario first = server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(10).build());
        Scenario second = server.get().scenarios().add(Scenario.builder(Fault.SERVER_ERROR).times(1000).build());

        List<Integer> statuses = race(CLIENTS, 200);

        assertThat(count(statuses, 429)).isEqualTo(10);
        assertThat(count(statuses, 500)).isEqualTo(190);
        assertThat(server.get().scenarios().matchedCount(first.id())).isEqualTo(200);
        assertThat(server.get().scenarios().matchedCount(second.id())).isEqualTo(190);
    }

    static List<Long> range(long fromInclusive, long toInclusive) {
        return java.util.stream.LongStream.rangeClosed(fromInclusive, toInclusive).boxed().toList();
    }
}
