package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** A failed request left no log line naming its status and request id. */
public final class ShouldHaveLoggedEveryFailure extends JournalMessage {
    private ShouldHaveLoggedEveryFailure(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveLoggedEveryFailure(List<String> missing, String logs, Timeline timeline) {
        return new ShouldHaveLoggedEveryFailure("%nExpecting a log line for every failed request, naming its HTTP status"
                + " and the provider's request id (what a support ticket needs), but no line names:%n%s" + LOGS + TIMELINE,
                lines(missing), text(logs), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveFailedRequests(Timeline timeline) {
        return new ShouldHaveLoggedEveryFailure("%nExpecting at least one failed request to look for in the logs, but"
                + " every request succeeded: nothing to check. Did the scenario fire?" + TIMELINE, timeline(timeline));
    }
}
