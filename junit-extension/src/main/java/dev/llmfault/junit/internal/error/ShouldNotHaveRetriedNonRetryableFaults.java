package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** A fault that the catalogue says must not be retried was retried. */
public final class ShouldNotHaveRetriedNonRetryableFaults extends JournalMessage {
    private ShouldNotHaveRetriedNonRetryableFaults(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldNotHaveRetriedNonRetryableFaults(List<String> violations, Timeline timeline) {
        return new ShouldNotHaveRetriedNonRetryableFaults("%nExpecting the client not to retry faults that must not be"
                + " retried (the catalogue's retry column: NEVER, and AFTER_REFRESH only with a new credential), but:%n%s"
                + TIMELINE, lines(violations), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveMetNonRetryableFault(Timeline timeline) {
        return new ShouldNotHaveRetriedNonRetryableFaults("%nExpecting at least one answer with a fault that must not"
                + " be retried, but there was none: nothing to check. Did the scenario fire?" + TIMELINE,
                timeline(timeline));
    }
}
