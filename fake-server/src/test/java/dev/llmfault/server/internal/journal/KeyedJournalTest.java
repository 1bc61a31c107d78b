package dev.llmfault.server.internal.journal;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The journal's indexes: a keyed query answers exactly what a scan would, walks only its key's entries,
 * stays exact while the ring evicts, and a keyed wait is woken by its key's entries only.
 */
class KeyedJournalTest {
    private static final Provider[] PROVIDERS = Provider.values();
    private static final Fault[] FAULTS = {null, null, Fault.RATE_LIMITED, Fault.SERVER_ERROR, Fault.STREAM_ERROR};

    private static JournalEntry entry(long seq, String key, String scenario, Provider provider, Fault fault, int status) {
        return entry(seq, key, null, scenario, provider, fault, status);
    }

    /** An entry sent with {@code key}, a token of {@code owner} when that is not null. */
    private static JournalEntry entry(long seq, String key, String owner, String scenario, Provider provider, Fault fault,
                                      int status) {
        return new JournalEntry(seq, Instant.EPOCH, seq, "POST", "/v1/chat/completions", null, Map.of(), "", "127.0.0.1",
                provider, "m", false, key == null ? null : "sk-***", key, fault, fault == null ? null : "scenario",
                scenario, status, Map.of(), Duration.ZERO, JournalEntry.Origin.LOCAL, null, null, null, null, null, owner);
    }

    /** One entry in ten has no key; one in four of the others carries a token ("tok-N") that a key owns. */
    private static JournalEntry random(long seq, Random r) {
        Fault fault = FAULTS[r.nextInt(FAULTS.length)];
        boolean token = r.nextInt(4) == 0;
        String key = r.nextInt(10) == 0 ? null : token ? "tok-" + r.nextInt(60) : "fp-" + r.nextInt(40);
        return entry(seq, key, key != null && token ? "fp-" + r.nextInt(40) : null, fault == null ? null : "s-" + r.nextInt(5),
                PROVIDERS[r.nextInt(PROVIDERS.length)], fault, fault == null ? 200 : fault == Fault.RATE_LIMITED ? 429 : 500);
    }

    /** Every query a test could make of these entries: each key alone, and some together. */
    private static List<JournalQuery> queries(Random r) {
        List<JournalQuery> out = new ArrayList<>();
        out.add(JournalQuery.all());
        for (int i = 0; i < 40; i++) {
            out.add(JournalQuery.all().apiKeyFingerprint("fp-" + i));
        }
        for (int i = 0; i < 5; i++) {
            out.add(JournalQuery.all().scenarioId("s-" + i));
        }
        for (Provider p : PROVIDERS) {
            out.add(JournalQuery.all().provider(p));
            out.add(JournalQuery.all().provider(p).status(200).apiKeyFingerprint("fp-" + r.nextInt(40)));
        }
        for (Fault f : new Fault[] {Fault.RATE_LIMITED, Fault.SERVER_ERROR, Fault.STREAM_ERROR, Fault.CONNECTION_RESET}) {
            out.add(JournalQuery.all().fault(f));
            out.add(JournalQuery.all().fault(f).scenarioId("s-" + r.nextInt(5)));
        }
        for (int status : new int[] {200, 429, 500, 404}) {
            out.add(JournalQuery.all().status(status));
        }
        out.add(JournalQuery.all().model("m").apiKeyFingerprint("fp-3"));
        out.add(JournalQuery.all().path("/v1/chat/completions"));
        out.add(JournalQuery.all().apiKeyFingerprint("fp-none"));
        for (int i = 0; i < 60; i += 7) {
            out.add(JournalQuery.all().apiKeyFingerprint("tok-" + i)); // a token's own requests
        }
        return out;
    }

    private static void assertIndexesMatchAScan(BoundedJournal journal, Random r) {
        List<JournalEntry> all = journal.entries();
        assertThat(all).extracting(JournalEntry::sequence).isSorted();
        for (JournalQuery q : queries(r)) {
            List<JournalEntry> scanned = all.stream().filter(q).toList();
            assertThat(journal.find(q)).as("find(%s)", q).containsExactlyElementsOf(scanned);
        }
        long keys = all.stream().map(JournalEntry::apiKeyFingerprint).filter(k -> k != null).distinct().count();
        assertThat(journal.indexedValues(JournalIndex.Key.API_KEY)).as("keys still indexed").isEqualTo((int) keys);
        long owners = all.stream().filter(e -> e.tokenOwnerFingerprint() != null
                && !e.tokenOwnerFingerprint().equals(e.apiKeyFingerprint())).map(JournalEntry::tokenOwnerFingerprint)
                .distinct().count();
        assertThat(journal.indexedValues(JournalIndex.Key.KEY_OWNER)).as("token owners still indexed").isEqualTo((int) owners);
        long scenarios = all.stream().map(JournalEntry::scenarioId).filter(k -> k != null).distinct().count();
        assertThat(journal.indexedValues(JournalIndex.Key.SCENARIO)).as("scenarios still indexed").isEqualTo((int) scenarios);
    }

    @Test
    void keyedQueriesAnswerWhatAScanWouldWhileTheRingEvicts() {
        Random r = new Random(15);
        BoundedJournal journal = new BoundedJournal(100);
        List<JournalEntry> late = new ArrayList<>();
        for (int round = 0; round < 30; round++) {
            // Requests end out of arrival order: some finish a round later, like slow streams.
            List<JournalEntry> batch = new ArrayList<>(late);
            late.clear();
            for (int i = 0; i < 37; i++) {
                JournalEntry e = random(journal.nextSequence(), r);
                (r.nextInt(8) == 0 ? late : batch).add(e);
            }
            Collections.shuffle(batch, r);
            batch.forEach(journal::record);
            assertIndexesMatchAScan(journal, r);
        }
        assertThat(journal.size()).isEqualTo(100);
    }

    @Test
    void anEntryOlderThanTheWindowIsDroppedFromTheIndexesToo() {
        BoundedJournal journal = new BoundedJournal(3);
        for (int i = 1; i <= 5; i++) {
            journal.nextSequence();
        }
        for (long s = 2; s <= 5; s++) {
            journal.record(entry(s, "fp-new", null, Provider.OPENAI, null, 200));
        }
        journal.record(entry(1, "fp-old", null, Provider.OPENAI, null, 200)); // finished last, slot owned by 4

        assertThat(journal.find(JournalQuery.all().apiKeyFingerprint("fp-old"))).isEmpty();
        assertThat(journal.find(JournalQuery.all().apiKeyFingerprint("fp-new"))).extracting(JournalEntry::sequence)
                .containsExactly(3L, 4L, 5L);
        assertThat(journal.indexedValues(JournalIndex.Key.API_KEY)).isEqualTo(1);
        assertThat(journal.recordedCount()).isEqualTo(5);
    }

    @Test
    void aKeyedQueryLooksAtItsKeysEntriesOnly() {
        BoundedJournal journal = new BoundedJournal(100_000);
        for (int i = 0; i < 100_000; i++) {
            journal.record(entry(journal.nextSequence(), "fp-" + (i % 1000), null, Provider.OPENAI, null, 200));
        }

        List<JournalEntry> found = journal.find(JournalQuery.all().apiKeyFingerprint("fp-7").provider(Provider.OPENAI));

        assertThat(found).hasSize(100).allSatisfy(e -> assertThat(e.apiKeyFingerprint()).isEqualTo("fp-7"));
        assertThat(journal.lastQueryWalked()).as("entries looked at").isEqualTo(100);
        journal.find(JournalQuery.all().apiKeyFingerprint("fp-unknown"));
        assertThat(journal.lastQueryWalked()).isZero();
    }

    @Test
    void clearEmptiesTheIndexes() {
        BoundedJournal journal = new BoundedJournal(10);
        journal.record(entry(journal.nextSequence(), "fp-1", "s-1", Provider.COHERE, Fault.RATE_LIMITED, 429));
        journal.clear();
        journal.record(entry(journal.nextSequence(), "fp-2", null, Provider.OPENAI, null, 200));

        assertThat(journal.find(JournalQuery.all().apiKeyFingerprint("fp-1"))).isEmpty();
        assertThat(journal.find(JournalQuery.all().fault(Fault.RATE_LIMITED))).isEmpty();
        assertThat(journal.find(JournalQuery.all().provider(Provider.OPENAI))).hasSize(1);
        assertThat(journal.indexedValues(JournalIndex.Key.SCENARIO)).isZero();
    }

    @Test
    void aKeyedWaitIsWokenByItsOwnKeysEntriesOnly() {
        BoundedJournal journal = new BoundedJournal(1000);
        journal.record(entry(journal.nextSequence(), "fp-mine", null, Provider.OPENAI, null, 200));
        CompletableFuture<Void> mine = journal.whenRecorded(JournalQuery.all().apiKeyFingerprint("fp-mine"), 3);
        CompletableFuture<Void> theirs = journal.whenRecorded(JournalQuery.all().apiKeyFingerprint("fp-theirs"), 1);

        for (int i = 0; i < 50; i++) {
            journal.record(entry(journal.nextSequence(), "fp-other-" + i, null, Provider.OPENAI, null, 200));
        }
        assertThat(mine).as("others' entries do not count").isNotDone();
        journal.record(entry(journal.nextSequence(), "fp-mine", null, Provider.OPENAI, null, 200));
        assertThat(mine).isNotDone();
        journal.record(entry(journal.nextSequence(), "fp-mine", null, Provider.OPENAI, null, 200));

        assertThat(mine).isCompleted();
        assertThat(theirs).isNotDone();
        journal.cancel(theirs);
        journal.record(entry(journal.nextSequence(), "fp-theirs", null, Provider.OPENAI, null, 200));
        assertThat(theirs).as("a cancelled wait is forgotten").isNotDone();
    }

    @Test
    void aWaitOnAFilterWithoutAnIndexCountsMatchesOnly() {
        BoundedJournal journal = new BoundedJournal(1000);
        CompletableFuture<Void> wait = journal.whenRecorded(JournalQuery.all().model("other"), 1);
        journal.record(entry(journal.nextSequence(), "fp-1", null, Provider.OPENAI, null, 200));
        assertThat(wait).isNotDone();
    }

    @Test
    void awaitRequestsForAKeyReturnsItsEntriesWhileOthersKeepComing() throws Exception {
        BoundedJournal journal = new BoundedJournal(10_000);
        ExecutorService writers = Executors.newFixedThreadPool(4);
        CountDownLatch waiting = new CountDownLatch(1);
        try {
            for (int w = 0; w < 4; w++) {
                int writer = w;
                writers.submit(() -> {
                    waiting.await();
                    for (int i = 0; i < 2000; i++) {
                        String key = writer == 0 && i % 100 == 0 ? "fp-mine" : "fp-" + writer + "-" + i;
                        journal.record(entry(journal.nextSequence(), key, null, Provider.OPENAI, null, 200));
                    }
                    return null;
                });
            }
            CompletableFuture<List<JournalEntry>> found = CompletableFuture.supplyAsync(() ->
                    journal.awaitRequests(JournalQuery.all().apiKeyFingerprint("fp-mine"), 20, Duration.ofSeconds(30)));
            waiting.countDown();

            List<JournalEntry> mine = found.get(60, TimeUnit.SECONDS);
            assertThat(mine).hasSize(20).extracting(JournalEntry::sequence).isSorted();
            assertThat(mine).allSatisfy(e -> assertThat(e.apiKeyFingerprint()).isEqualTo("fp-mine"));
        } finally {
            writers.shutdownNow();
        }
    }

    @Test
    void aKeyedWaitThatTimesOutNamesItsKeyAndWhatItSaw() {
        BoundedJournal journal = new BoundedJournal(10);
        journal.record(entry(journal.nextSequence(), "0123456789abcdef-fingerprint", null, Provider.OPENAI, null, 200));

        assertThatThrownBy(() -> journal.awaitRequests(JournalQuery.all().apiKeyFingerprint("0123456789abcdef-fingerprint"),
                2, Duration.ofMillis(1)))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("2 request(s) matching apiKeyFingerprint=0123456789ab...")
                .hasMessageContaining("but it received:%n  1%n", new Object[0]);
    }

    @Test
    void aKeysQueryFindsTheRequestsSentWithTheTokensItOwnsInArrivalOrderAndWalksOnlyThose() {
        BoundedJournal journal = new BoundedJournal(10_000);
        for (int i = 0; i < 5_000; i++) {
            journal.record(entry(journal.nextSequence(), "fp-" + (i % 500), null, Provider.OPENAI, null, 200));
        }
        long asked = journal.nextSequence(); // the token request: sent with the key (its client secret), owned by it
        long expired = journal.nextSequence();
        long retried = journal.nextSequence();
        journal.record(entry(retried, "tok-2", "fp-mine", null, Provider.OPENAI, null, 200)); // ends before the 401 is written
        journal.record(entry(expired, "tok-1", "fp-mine", null, Provider.OPENAI, Fault.EXPIRED_TOKEN, 401));
        journal.record(entry(asked, "fp-mine", "fp-mine", null, null, null, 200));
        journal.record(entry(journal.nextSequence(), "tok-9", "fp-theirs", null, Provider.OPENAI, null, 200));

        List<JournalEntry> mine = journal.find(JournalQuery.all().apiKeyFingerprint("fp-mine"));

        assertThat(mine).extracting(JournalEntry::sequence).containsExactly(asked, expired, retried);
        assertThat(mine).extracting(JournalEntry::keyScope).containsOnly("fp-mine");
        assertThat(journal.lastQueryWalked()).as("entries looked at").isEqualTo(3);
        assertThat(journal.find(JournalQuery.all().apiKeyFingerprint("fp-mine").fault(Fault.EXPIRED_TOKEN)))
                .extracting(JournalEntry::sequence).containsExactly(expired);
        assertThat(journal.find(JournalQuery.all().apiKeyFingerprint("tok-1"))).extracting(JournalEntry::sequence)
                .containsExactly(expired);
        assertThat(journal.find(JournalQuery.all().apiKeyFingerprint("fp-theirs"))).hasSize(1);
    }

    @Test
    void aKeysWaitIsWokenByTheRequestsSentWithItsTokens() {
        BoundedJournal journal = new BoundedJournal(1000);
        CompletableFuture<Void> mine = journal.whenRecorded(JournalQuery.all().apiKeyFingerprint("fp-mine"), 2);

        journal.record(entry(journal.nextSequence(), "tok-9", "fp-theirs", null, Provider.OPENAI, null, 200));
        journal.record(entry(journal.nextSequence(), "fp-mine", "fp-mine", null, null, null, 200));
        assertThat(mine).as("a token of another key does not count").isNotDone();
        journal.record(entry(journal.nextSequence(), "tok-1", "fp-mine", null, Provider.OPENAI, null, 200));

        assertThat(mine).isCompleted();
    }

    @Test
    void evictionTakesTokenRequestsOutOfTheirOwnersChain() {
        BoundedJournal journal = new BoundedJournal(4);
        for (int i = 0; i < 4; i++) {
            journal.record(entry(journal.nextSequence(), "tok-" + i, "fp-owner-" + i, null, Provider.OPENAI, null, 200));
        }
        for (int i = 0; i < 3; i++) {
            journal.record(entry(journal.nextSequence(), "fp-plain", null, Provider.OPENAI, null, 200));
        }

        assertThat(journal.indexedValues(JournalIndex.Key.KEY_OWNER)).isEqualTo(1);
        assertThat(journal.find(JournalQuery.all().apiKeyFingerprint("fp-owner-0"))).isEmpty();
        assertThat(journal.find(JournalQuery.all().apiKeyFingerprint("fp-owner-3"))).hasSize(1);
    }

    @Test
    void statusAndFaultChainsHoldEveryValueSeen() {
        BoundedJournal journal = new BoundedJournal(50);
        Random r = new Random(7);
        for (int i = 0; i < 500; i++) {
            journal.record(random(journal.nextSequence(), r));
        }
        Map<Integer, Long> byStatus = journal.entries().stream()
                .collect(Collectors.groupingBy(JournalEntry::status, Collectors.counting()));
        byStatus.forEach((status, n) -> assertThat(journal.find(JournalQuery.all().status(status))).hasSize(n.intValue()));
        assertIndexesMatchAScan(journal, r);
    }
}
