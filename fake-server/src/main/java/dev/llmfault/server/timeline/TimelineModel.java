package dev.llmfault.server.timeline;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import org.apiguardian.api.API;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The request timeline as data, the one model behind every picture of it: the text timeline of failure messages,
 * the SVG of the HTML report and the dashboard's last minute. Times are the server's: each row starts at the
 * request's arrival (offset from the first arrival) and ends at its last byte; an answer that asked for a wait
 * ({@code retry-after-ms}, {@code retry-after}) opens a band after it, and a later request of the same client that
 * arrives inside that band is an early retry.
 *
 * <pre>{@code
 * TimelineModel model = TimelineModel.of(server.journal().entries(), Set.of());
 * model.rows().get(1).earlyBy();   // Optional[88 ms]: the retry came 88 ms before the wait ran out
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class TimelineModel {

    /** What a request met, the colour of its bar (always drawn together with its {@link Row#answer() text}). */
    public enum Outcome {
        /** Answered normally. */
        SUCCESS("success"),
        /** A scenario injected an HTTP error. */
        INJECTED_ERROR("injected error"),
        /** A scenario injected a transport fault: a slow answer, a reset, a cut or broken stream. */
        INJECTED_TRANSPORT("injected transport fault"),
        /** Refused by an emulated policy (credentials, rate limit, network, version) or by validation. */
        REFUSED("policy or validation refusal");

        private final String description;

        Outcome(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }

        /** The CSS class and JSON name: {@code injected-error}. */
        public String cssName() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** Which lane a request is drawn on. */
    public enum Lane { TOKEN, REQUEST }

    /**
     * One request on the timeline.
     *
     * @param entry    the journal entry (already masked)
     * @param startNanos arrival, from the first arrival of the timeline
     * @param endNanos last byte of the answer, from the first arrival
     * @param askedWait the wait the answer asked for, or null
     * @param earlyBy  for a request that arrived inside the wait an earlier answer of the same client asked for:
     *                 how much too early, else null
     * @param marked   named by a failed assertion as offending
     */
    public record Row(JournalEntry entry, Lane lane, Outcome outcome, long startNanos, long endNanos, Duration askedWait,
                      Duration earlyBy, boolean marked) {

        /** {@code 429 RATE_LIMITED}, {@code 200}, {@code no answer CONNECTION_RESET}. */
        public String answer() {
            String status = entry.status() == 0 ? "no answer" : String.valueOf(entry.status());
            return entry.fault() == null ? status : status + " " + entry.fault();
        }

        /** The end of the wait band (from the first arrival), or the end of the answer when it asked for none. */
        public long waitEndNanos() {
            return askedWait == null ? endNanos : endNanos + askedWait.toNanos();
        }

        public double startMillis() {
            return startNanos / 1_000_000.0;
        }

        public double endMillis() {
            return endNanos / 1_000_000.0;
        }

        /** True for a stream answer that a fault cut or broke after some chunks. */
        public boolean streamCut() {
            return entry.stream() && (entry.fault() == Fault.STREAM_INTERRUPTED || entry.fault() == Fault.STREAM_ERROR);
        }
    }

    private final List<Row> rows;

    private TimelineModel(List<Row> rows) {
        this.rows = List.copyOf(rows);
    }

    /**
     * The timeline of the entries in arrival order.
     *
     * @param marked sequence numbers a failed assertion named
     */
    public static TimelineModel of(List<JournalEntry> entries, Set<Long> marked) {
        List<JournalEntry> sorted = new ArrayList<>(entries);
        sorted.sort((a, b) -> Long.compare(a.monotonicNanos(), b.monotonicNanos()));
        long origin = sorted.isEmpty() ? 0 : sorted.get(0).monotonicNanos();
        Map<String, Row> lastAnswerByClient = new HashMap<>();
        List<Row> rows = new ArrayList<>();
        for (JournalEntry e : sorted) {
            long start = e.monotonicNanos() - origin;
            long end = start + Math.max(0, e.duration().toNanos());
            Lane lane = isTokenFetch(e) ? Lane.TOKEN : Lane.REQUEST;
            Duration earlyBy = null;
            String client = lane + " " + Objects.toString(e.apiKeyFingerprint(), e.clientAddress());
            Row previous = lastAnswerByClient.get(client);
            if (lane == Lane.REQUEST && previous != null && previous.askedWait() != null && start < previous.waitEndNanos()) {
                earlyBy = Duration.ofNanos(previous.waitEndNanos() - start);
            }
            Row row = new Row(e, lane, outcome(e), start, end, e.retryAfter().orElse(null), earlyBy,
                    marked.contains(e.sequence()));
            lastAnswerByClient.put(client, row);
            rows.add(row);
        }
        return new TimelineModel(rows);
    }

    /** Token requests ({@code POST /oauth/token} and the like) are drawn on their own lane. */
    public static boolean isTokenFetch(JournalEntry e) {
        return e.path().endsWith("/token");
    }

    static Outcome outcome(JournalEntry e) {
        if (e.fault() == null) {
            return Outcome.SUCCESS;
        }
        if (e.scenarioId() == null) {
            return Outcome.REFUSED;
        }
        return e.fault().kind() == Fault.Kind.HTTP_ERROR ? Outcome.INJECTED_ERROR : Outcome.INJECTED_TRANSPORT;
    }

    public List<Row> rows() {
        return rows;
    }

    public boolean isEmpty() {
        return rows.isEmpty();
    }

    /** The time the picture must span: the last answer's end or the last wait band's end. */
    public long spanNanos() {
        return rows.stream().mapToLong(r -> Math.max(r.endNanos(), r.waitEndNanos())).max().orElse(0);
    }
}
