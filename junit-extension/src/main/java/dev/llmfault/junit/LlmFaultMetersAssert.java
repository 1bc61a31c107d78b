package dev.llmfault.junit;

import dev.llmfault.junit.internal.Attempts;
import dev.llmfault.junit.internal.CurrentTest;
import dev.llmfault.junit.internal.Timeline;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractAssert;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import static dev.llmfault.junit.internal.error.ShouldHaveRecordedFailures.shouldHaveFailedRequests;
import static dev.llmfault.junit.internal.error.ShouldHaveRecordedFailures.shouldHaveRecordedFailures;

/**
 * Assertions on the metrics a client recorded in a Micrometer {@link MeterRegistry}, compared with what the fake
 * server answered. Take a {@code MeterRegistry} parameter in an {@code @LlmFaultTest} (a fresh
 * {@code SimpleMeterRegistry} per test), hand it to the client, then:
 *
 * <pre>{@code
 * LlmFaultAssertions.assertThat(meters).recordedFailures();
 * LlmFaultAssertions.assertThat(meters).counterNamed("llm.client.failures").recordedFailures(journal);
 * }</pre>
 *
 * <p>A failure is counted in a counter tagged {@code provider} (the provider's name, any case), {@code status}
 * (the HTTP status, {@code 0} when no answer came) and {@code cause} (the article's cause, e.g.
 * {@code RATE_LIMIT_OR_QUOTA}, any case, {@code -} or {@code _}).
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public class LlmFaultMetersAssert extends AbstractAssert<LlmFaultMetersAssert, MeterRegistry> {
    private final String counterName;

    public LlmFaultMetersAssert(MeterRegistry actual) {
        this(actual, null);
    }

    private LlmFaultMetersAssert(MeterRegistry actual, String counterName) {
        super(actual, LlmFaultMetersAssert.class);
        this.counterName = counterName;
    }

    /** A new assert that looks only at counters of this name (by default: every counter with the three tags). */
    public LlmFaultMetersAssert counterNamed(String name) {
        return new LlmFaultMetersAssert(actual, name);
    }

    /** {@link #recordedFailures(RequestJournal)} with the journal of the test running on this thread. */
    public LlmFaultMetersAssert recordedFailures() {
        RequestJournal journal = CurrentTest.get().map(CurrentTest.Context::journal).orElseThrow(() ->
                new IllegalStateException("recordedFailures() reads the journal of the running @LlmFaultTest, and none"
                        + " runs on this thread: pass the journal, recordedFailures(server.journal())"));
        return recordedFailures(journal);
    }

    /**
     * Each failed request of the journal (a fault, or a status of 400 or more; token requests aside) was counted
     * once, by provider, status and cause, and nothing else was counted. Fails when no request failed.
     */
    public LlmFaultMetersAssert recordedFailures(RequestJournal journal) {
        isNotNull();
        List<JournalEntry> entries = journal.entries();
        Timeline timeline = Timeline.of(entries);
        Map<String, List<JournalEntry>> answered = new TreeMap<>();
        for (JournalEntry e : Attempts.providerRequests(entries)) {
            if (e.fault() != null) {
                answered.computeIfAbsent(key(e.provider() == null ? "?" : e.provider().name(), String.valueOf(e.status()),
                        e.fault().cause().name()), k -> new ArrayList<>()).add(e);
            }
        }
        if (answered.isEmpty()) {
            throwAssertionError(shouldHaveFailedRequests(timeline));
        }
        Map<String, Double> counted = counted();
        Set<String> keys = new TreeSet<>(answered.keySet());
        keys.addAll(counted.keySet());
        List<String> violations = new ArrayList<>();
        for (String k : keys) {
            List<JournalEntry> served = answered.getOrDefault(k, List.of());
            double count = counted.getOrDefault(k, 0.0);
            if (Math.abs(count - served.size()) > 1e-9) {
                violations.add(k + ": the server answered " + served.size()
                        + (served.isEmpty() ? "" : " (" + String.join(", ", served.stream().map(e -> "#" + e.sequence()).toList()) + ")")
                        + ", the client counted " + (count == Math.rint(count) ? String.valueOf((long) count) : String.valueOf(count)));
            }
        }
        if (!violations.isEmpty()) {
            throwAssertionError(shouldHaveRecordedFailures(counterName == null ? "a counter" : "the counter " + counterName,
                    violations, describe(), timeline));
        }
        return myself;
    }

    /** provider/status/cause -> count, over the counters that carry the three tags. */
    private Map<String, Double> counted() {
        Map<String, Double> out = new TreeMap<>();
        for (Meter m : actual.getMeters()) {
            Meter.Id id = m.getId();
            if (counterName != null && !id.getName().equals(counterName)) {
                continue;
            }
            String provider = id.getTag("provider");
            String status = id.getTag("status");
            String cause = id.getTag("cause");
            if (provider == null || status == null || cause == null) {
                continue;
            }
            double count = m instanceof Counter c ? c.count() : m instanceof FunctionCounter f ? f.count() : Double.NaN;
            if (!Double.isNaN(count) && count > 0) {
                out.merge(key(provider, status, cause), count, Double::sum);
            }
        }
        return out;
    }

    private String describe() {
        List<String> seen = new ArrayList<>();
        for (Meter m : actual.getMeters()) {
            if (m instanceof Counter || m instanceof FunctionCounter) {
                double count = m instanceof Counter c ? c.count() : ((FunctionCounter) m).count();
                seen.add("  " + m.getId().getName() + m.getId().getTags() + " = " + count);
            }
        }
        return seen.isEmpty() ? "  (no counter at all)" : String.join(System.lineSeparator(), seen);
    }

    private static String key(String provider, String status, String cause) {
        return provider.toUpperCase(Locale.ROOT) + " " + status + " "
                + cause.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
    }
}
