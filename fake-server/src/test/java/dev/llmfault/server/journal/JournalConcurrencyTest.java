package dev.llmfault.server.journal;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.journal.BoundedJournal;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.KeepAliveClient;
import dev.llmfault.server.testing.Scale;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal under concurrent writers and readers: every read is a consistent, ordered, bounded view. */
class JournalConcurrencyTest {

    static JournalEntry entry(long sequence) {
        return new JournalEntry(sequence, Instant.now(), System.nanoTime(), "POST", "/v1/chat/completions", null,
                Map.of(), "", "127.0.0.1", Provider.OPENAI, "m", false, null, null, null, null, null, 200, Map.of(),
                Duration.ZERO);
    }

    /** Fails unless a read is strictly ordered, bounded and holds no entry from before the last clear. */
    static void assertConsistent(List<JournalEntry> read, int capacity) {
        assertThat(read.size()).isLessThanOrEqualTo(capacity);
        for (int i = 1; i < read.size(); i++) {
            assertThat(read.get(i).sequence()).as("ordered without duplicates").isGreaterThan(read.get(i - 1).sequence());
        }
    }

    @Test
    void concurrentWritersAndReadersOfTheRing() throws Exception {
        int capacity = 1000;
        int writers = 8;
        int perWriter = Scale.of(5_000, 100_000);
        BoundedJournal journal = new BoundedJournal(capacity);
        ExecutorService pool = Executors.newFixedThreadPool(writers + 2);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean writing = new AtomicBoolean(true);
        AtomicInteger reads = new AtomicInteger();
        try {
            List<Future<?>> futures = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                futures.add(pool.submit(() -> {
                    go.await();
                    for (int i = 0; i < perWriter; i++) {
                        journal.record(entry(journal.nextSequence()));
                    }
                    return null;
                }));
            }
            List<Future<?>> readers = new ArrayList<>();
            for (int r = 0; r < 2; r++) {
                readers.add(pool.submit(() -> {
                    go.await();
                    while (writing.get()) {
                        assertConsistent(journal.entries(), capacity);
                        reads.incrementAndGet();
                    }
                    return null;
                }));
            }
            go.countDown();
            for (Future<?> f : futures) {
                f.get();
            }
            writing.set(false);
            for (Future<?> f : readers) {
                f.get();
            }
        } finally {
            pool.shutdownNow();
        }

        long total = (long) writers * perWriter;
        assertThat(journal.recordedCount()).isEqualTo(total);
        assertThat(journal.entries()).extracting(JournalEntry::sequence)
                .containsExactlyElementsOf(LongStream.rangeClosed(total - capacity + 1, total).boxed().toList());
        assertThat(reads.get()).as("the readers really read while writers wrote").isPositive();
    }

    @Test
    void aSlowEntryFinishingLateNeverOverwritesANewerOne() {
        BoundedJournal journal = new BoundedJournal(4);
        long slow = journal.nextSequence(); // 1: a long stream
        for (int i = 0; i < 5; i++) {
            journal.record(entry(journal.nextSequence())); // 2..6; 5 took slot 1
        }
        journal.record(entry(slow));

        assertThat(journal.entries()).extracting(JournalEntry::sequence).containsExactly(3L, 4L, 5L, 6L);
    }

    @Test
    void anEntryOfARequestThatArrivedBeforeAClearIsDropped() {
        BoundedJournal journal = new BoundedJournal(10);
        long inFlight = journal.nextSequence();
        journal.clear();
        journal.record(entry(inFlight));
        journal.record(entry(journal.nextSequence()));

        assertThat(journal.entries()).extracting(JournalEntry::sequence).containsExactly(2L);
        assertThat(journal.recordedCount()).isEqualTo(1);
    }

    @Test
    void rejectsANegativeSizeNamingTheField() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new BoundedJournal(-1))
                .hasMessageContaining("journalSize").hasMessageContaining("-1").hasMessageContaining(">= 0");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> FakeLlmServer.builder().journalSize(-5).start())
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("journalSize");
    }

    @Test
    void clientsReadersAndTheAdminApiAtOnce() throws Exception {
        int clients = 16;
        int perClient = Scale.of(200, 5_000);
        int capacity = 200;
        try (FakeLlmServer server = FakeLlmServer.builder().journalSize(capacity).start()) {
            ExecutorService pool = Executors.newFixedThreadPool(clients + 2);
            CountDownLatch go = new CountDownLatch(1);
            AtomicBoolean sending = new AtomicBoolean(true);
            try {
                List<Future<?>> senders = new ArrayList<>();
                for (int c = 0; c < clients; c++) {
                    Provider p = Provider.values()[c % Provider.values().length];
                    senders.add(pool.submit(() -> {
                        go.await();
                        try {
                            for (int i = 0; i < perClient; i++) {
                                assertThat(KeepAliveClient.chat(server, p, i % 2 == 0).status()).isEqualTo(200);
                            }
                        } finally {
                            KeepAliveClient.closeThreadConnections();
                        }
                        return null;
                    }));
                }
                Future<?> javaReader = pool.submit(() -> {
                    go.await();
                    while (sending.get()) {
                        assertConsistent(server.journal().entries(), capacity);
                    }
                    return null;
                });
                Future<?> adminReader = pool.submit(() -> {
                    go.await();
                    while (sending.get()) {
                        Answer a = Http.get(server.url().resolve("/__admin/requests?provider=ANTHROPIC"));
                        assertThat(a.status()).isEqualTo(200);
                        assertThat(a.json().path("requests")).allSatisfy(
                                e -> assertThat(e.path("provider").asText()).isEqualTo("ANTHROPIC"));
                    }
                    return null;
                });
                go.countDown();
                for (Future<?> f : senders) {
                    f.get();
                }
                sending.set(false);
                javaReader.get();
                adminReader.get();
            } finally {
                pool.shutdownNow();
            }
            List<JournalEntry> kept = server.journal().awaitRequests(clients * perClient, Duration.ofSeconds(10));
            assertThat(kept).hasSize(capacity);
            assertConsistent(kept, capacity);
            assertThat(kept.get(kept.size() - 1).sequence()).isEqualTo((long) clients * perClient);
        }
    }
    @Test
    void resetsWhileClientsSendLeaveACleanStateAndNeverAnUninjectedError() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.builder()
                .scenario(dev.llmfault.server.Scenario.builder(dev.llmfault.server.Fault.RATE_LIMITED).every(3).build())
                .start()) {
            AtomicBoolean sending = new AtomicBoolean(true);
            AtomicInteger resets = new AtomicInteger();
            ExecutorService pool = Executors.newSingleThreadExecutor();
            Future<?> resetter = pool.submit(() -> {
                while (sending.get()) {
                    server.reset();
                    server.scenarios().add(dev.llmfault.server.Scenario.builder(dev.llmfault.server.Fault.OVERLOADED)
                            .provider(Provider.COHERE).times(1).build());
                    resets.incrementAndGet();
                }
                return null;
            });
            List<Integer> statuses;
            try {
                statuses = dev.llmfault.server.testing.Load.run(16, Scale.of(2_000, 50_000), i -> {
                    Provider p = Provider.values()[i % Provider.values().length];
                    return KeepAliveClient.chat(server, p, i % 2 == 0).status();
                });
            } finally {
                sending.set(false);
                resetter.get();
                pool.shutdownNow();
            }

            assertThat(statuses).as("only successes and the scenarios' faults").allSatisfy(s -> assertThat(s).isIn(200, 429, 503));
            assertThat(resets.get()).as("resets really raced the clients").isGreaterThan(1);
            server.reset();
            assertThat(server.journal().entries()).isEmpty();
            assertThat(server.scenarios().list()).singleElement()
                    .satisfies(s -> assertThat(server.scenarios().firedCount(s.id())).isZero());
            assertThat(Calls.chat(server, Provider.OPENAI, false).status()).isEqualTo(429);
            assertThat(server.journal().awaitRequests(1, Duration.ofSeconds(5))).singleElement()
                    .satisfies(e -> assertThat(e.status()).isEqualTo(429));
        }
    }
}
