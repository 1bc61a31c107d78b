package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** A request was sent more than once. */
public final class ShouldNotHaveRetried extends JournalMessage {
    private ShouldNotHaveRetried(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldNotHaveRetried(List<String> violations, Timeline timeline) {
        return new ShouldNotHaveRetried("%nExpecting no request to be retried, but:%n%s" + TIMELINE,
                lines(violations), timeline(timeline));
    }
}
