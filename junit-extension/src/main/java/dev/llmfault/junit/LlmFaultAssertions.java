package dev.llmfault.junit;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.RequestJournal;
import io.micrometer.core.instrument.MeterRegistry;
import org.apiguardian.api.API;
import org.assertj.core.api.SoftAssertionsProvider;

import java.util.function.Consumer;

/**
 * Entry point of the recovery assertions, AssertJ style. To wait for a client that runs in the background,
 * use {@link RequestJournal#awaitRequests(int, java.time.Duration)} first.
 *
 * <pre>{@code
 * server.journal().awaitRequests(3, Duration.ofSeconds(5)); // a background client
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
@API(status = API.Status.STABLE, since = "0.1")
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
}
