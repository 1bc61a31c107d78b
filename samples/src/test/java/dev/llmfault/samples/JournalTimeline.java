package dev.llmfault.samples;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static org.awaitility.Awaitility.await;

/**
 * Reads the fake server's journal as a timeline: the requests a client made and the gaps between them.
 * Stand-in until the JUnit extension's {@code LlmFaultAssertions} (hasRequestCount, respectedRetryAfter,
 * backedOffExponentially) lands; the samples then use those instead.
 */
final class JournalTimeline {
    private static final long QUIET_NANOS = TimeUnit.MILLISECONDS.toNanos(60);

    private JournalTimeline() {
    }

    /**
     * The entries once at least {@code atLeast} are recorded and no new one came for a short while. The
     * server records a request after its answer is written, so a client can see the answer (and the test go
     * on) a moment before the journal has the entry.
     */
    static List<JournalEntry> settled(RequestJournal journal, int atLeast) {
        AtomicInteger lastSize = new AtomicInteger(-1);
        AtomicLong since = new AtomicLong(System.nanoTime());
        await("journal to hold at least " + atLeast + " entries and stay quiet")
                .atMost(Duration.ofSeconds(10))
                .pollInterval(Duration.ofMillis(10))
                .until(() -> {
                    int size = journal.size();
                    long now = System.nanoTime();
                    if (size != lastSize.getAndSet(size)) {
                        since.set(now);
                        return false;
                    }
                    return size >= atLeast && now - since.get() >= QUIET_NANOS;
                });
        return journal.entries();
    }

    /** The time from each request's arrival to the next one's, from the server's monotonic clock. */
    static List<Duration> gaps(List<JournalEntry> entries) {
        List<Duration> gaps = new ArrayList<>();
        for (int i = 1; i < entries.size(); i++) {
            gaps.add(Duration.ofNanos(entries.get(i).monotonicNanos() - entries.get(i - 1).monotonicNanos()));
        }
        return gaps;
    }

    /** Each request as a line: offset, path, status, fault, retry hint, SDK retry counter. For failure messages. */
    static String describe(List<JournalEntry> entries) {
        if (entries.isEmpty()) {
            return "(no request)";
        }
        long t0 = entries.get(0).monotonicNanos();
        StringBuilder sb = new StringBuilder();
        for (JournalEntry e : entries) {
            sb.append(String.format("%n  #%d +%d ms %s %s -> %d %s", e.sequence(),
                    TimeUnit.NANOSECONDS.toMillis(e.monotonicNanos() - t0), e.method(), e.path(), e.status(),
                    e.fault() == null ? "" : e.fault()));
            e.retryAfter().ifPresent(h -> sb.append(" retry-after=").append(h.toMillis()).append("ms"));
            if (e.header("x-stainless-retry-count") != null) {
                sb.append(" x-stainless-retry-count=").append(e.header("x-stainless-retry-count"));
            }
            sb.append(" key=").append(e.apiKeyMask());
        }
        return sb.toString();
    }
}
