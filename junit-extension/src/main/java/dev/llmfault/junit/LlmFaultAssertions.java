package dev.llmfault.junit;

import dev.llmfault.junit.internal.Timeline;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;
import io.micrometer.core.instrument.MeterRegistry;
import org.assertj.core.api.SoftAssertionsProvider;
import org.awaitility.Awaitility;
import org.awaitility.core.ConditionTimeoutException;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Entry point of the recovery assertions, AssertJ style, plus a wait for the server to see requests.
 *
 * <pre>{@code
 * LlmFaultAssertions.awaitRequests(server, 3, Duration.ofSeconds(5)); // a background client
 * LlmFaultAssertions.assertThat(server.journal())
 *         .hasRequestCount(3)
 *         .respectedRetryAfter()
 *         .backedOffExponentially()
 *         .checkedCredentialsFirst();
 * LlmFaultAssertions.assertThat(logs).neverContainSecrets().loggedEveryFailure();       // CapturedLogs
 * LlmFaultAssertions.assertThat(thrown).carriesRequestIdOf(journal.last().orElseThrow()); // what the client threw
 * LlmFaultAssertions.assertThat(meters).recordedFailures();                               // a MeterRegistry
 * }</pre>
 */
public final class LlmFaultAssertions {
    private LlmFaultAssertions() {
    }

    public static RequestJournalAssert assertThat(RequestJournal journal) {
        return new RequestJournalAssert(journal);
    }

    /** Assertions on what the code under test logged: secrets, failures, key ids. */
    public static CapturedLogsAssert assertThat(CapturedLogs logs) {
        return new CapturedLogsAssert(logs);
    }

    /**
     * Assertions on what a client threw (request id, cause, secrets), plus AssertJ's throwable assertions. Call it
     * as {@code LlmFaultAssertions.assertThat(thrown)}: statically imported next to AssertJ's, it is ambiguous.
     */
    public static LlmFaultThrowableAssert assertThat(Throwable thrown) {
        return new LlmFaultThrowableAssert(thrown);
    }

    /** Assertions on the failures a client counted in a Micrometer registry. */
    public static LlmFaultMetersAssert assertThat(MeterRegistry meters) {
        return new LlmFaultMetersAssert(meters);
    }

    /** Assertions on the server's journal. */
    public static RequestJournalAssert assertThat(FakeLlmServer server) {
        return new RequestJournalAssert(server == null ? null : server.journal());
    }

    /** Runs soft assertions and reports every failure at the end. */
    public static void assertSoftly(Consumer<LlmFaultSoftAssertions> softly) {
        SoftAssertionsProvider.assertSoftly(LlmFaultSoftAssertions.class, softly);
    }

    /** {@link #awaitRequests(RequestJournal, int, Duration)} on the server's journal. */
    public static List<JournalEntry> awaitRequests(FakeLlmServer server, int count, Duration timeout) {
        return awaitRequests(server.journal(), count, timeout);
    }

    /**
     * Waits (with Awaitility, polling the journal) until it holds at least {@code count} requests and returns
     * them; on timeout fails with an {@link AssertionError} that shows the timeline seen so far. Uses its own
     * Awaitility settings: Awaitility's global defaults are neither read nor changed.
     */
    public static List<JournalEntry> awaitRequests(RequestJournal journal, int count, Duration timeout) {
        AtomicReference<List<JournalEntry>> seen = new AtomicReference<>(List.of());
        try {
            return Awaitility.await("the fake LLM server to receive " + count + " request(s)")
                    .atMost(timeout)
                    .pollDelay(Duration.ZERO)
                    .pollInterval(Duration.ofMillis(10))
                    .pollInSameThread()
                    .until(() -> {
                        List<JournalEntry> entries = journal.entries();
                        seen.set(entries);
                        return entries;
                    }, entries -> entries.size() >= count);
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(String.format("%nExpecting the fake LLM server to receive at least:%n  %d request(s)"
                    + " within %s%nbut it received:%n  %d%n%nRequest timeline (server arrival times):%n%s", count, timeout,
                    seen.get().size(), Timeline.of(seen.get())), e);
        }
    }
}
