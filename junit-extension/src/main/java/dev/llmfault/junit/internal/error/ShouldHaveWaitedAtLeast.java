package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** A retry came sooner than the minimum wait. */
public final class ShouldHaveWaitedAtLeast extends JournalMessage {
    private ShouldHaveWaitedAtLeast(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveWaitedAtLeast(String minimum, List<String> violations, Timeline timeline) {
        return new ShouldHaveWaitedAtLeast("%nExpecting every retry to come at least %s after the attempt before it,"
                + " but:%n%s" + TIMELINE, text(minimum), lines(violations), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveRetried(String minimum, Timeline timeline) {
        return new ShouldHaveWaitedAtLeast("%nExpecting retries at least %s apart, but no request was retried: "
                + "nothing to measure" + TIMELINE, text(minimum), timeline(timeline));
    }
}
