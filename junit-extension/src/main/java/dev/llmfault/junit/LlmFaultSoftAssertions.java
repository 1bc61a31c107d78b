package dev.llmfault.junit;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.RequestJournal;
import org.apiguardian.api.API;
import org.assertj.core.api.SoftAssertions;

/**
 * AssertJ soft assertions that also know the request journal: every failure is collected and reported
 * together at the end. Works with AssertJ's {@code SoftAssertionsExtension} and {@code @InjectSoftAssertions}.
 *
 * <pre>{@code
 * LlmFaultAssertions.assertSoftly(softly -> {
 *     softly.assertThat(server.journal()).respectedRetryAfter();
 *     softly.assertThat(server.journal()).didNotRetryNonRetryableFaults();
 *     softly.assertThat(answer).isNotBlank();
 * });
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public class LlmFaultSoftAssertions extends SoftAssertions {

    /** Soft assertions on a request journal. */
    public RequestJournalAssert assertThat(RequestJournal journal) {
        return proxy(RequestJournalAssert.class, RequestJournal.class, journal);
    }

    /** Soft assertions on captured logs. */
    public CapturedLogsAssert assertThat(CapturedLogs logs) {
        return proxy(CapturedLogsAssert.class, CapturedLogs.class, logs);
    }

    /** Soft assertions on a server's request journal. */
    public RequestJournalAssert assertThat(FakeLlmServer server) {
        return assertThat(server.journal());
    }
}
