package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** A retry re-sent another conversation than the attempt it repeats. */
public final class ShouldHaveRetriedTheSameRequest extends JournalMessage {
    private ShouldHaveRetriedTheSameRequest(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveRetriedTheSameRequest(List<String> violations, Timeline timeline) {
        return new ShouldHaveRetriedTheSameRequest("%nExpecting every retry to re-send the same conversation as the"
                + " attempt it repeats (the same messages in the same order, the same tool calls and results, the same"
                + " tools and output schema; compared by meaning, not bytes), but:%n%s" + TIMELINE,
                lines(violations), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveRetriedAFailedCall(Timeline timeline) {
        return new ShouldHaveRetriedTheSameRequest("%nExpecting a failed model call followed by its retry (the next"
                + " call to the same provider and path), but there was none: nothing to check. Did the scenario fire,"
                + " and did the client retry?" + TIMELINE, timeline(timeline));
    }
}
