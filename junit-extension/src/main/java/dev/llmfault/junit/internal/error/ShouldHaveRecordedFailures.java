package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** The client's failure counters do not match the failures the server answered. */
public final class ShouldHaveRecordedFailures extends JournalMessage {
    private ShouldHaveRecordedFailures(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveRecordedFailures(String counters, List<String> violations, String seen,
                                                                 Timeline timeline) {
        return new ShouldHaveRecordedFailures("%nExpecting the client to count each failed request in %s, tagged with"
                + " provider, status and cause, as the server answered them, but:%n%s%nCounters found:%n%s" + TIMELINE,
                text(counters), lines(violations), text(seen), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveFailedRequests(Timeline timeline) {
        return new ShouldHaveRecordedFailures("%nExpecting at least one failed request to find in the counters, but every"
                + " request succeeded: nothing to check. Did the scenario fire?" + TIMELINE, timeline(timeline));
    }
}
