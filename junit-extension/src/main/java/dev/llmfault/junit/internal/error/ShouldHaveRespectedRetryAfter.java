package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** A retry came sooner than the retry hint of the answer before it. */
public final class ShouldHaveRespectedRetryAfter extends JournalMessage {
    private ShouldHaveRespectedRetryAfter(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveRespectedRetryAfter(List<String> violations, Timeline timeline) {
        return new ShouldHaveRespectedRetryAfter("%nExpecting every retry to wait at least as long as the retry hint "
                + "(retry-after-ms or Retry-After) of the answer before it, but:%n%s" + TIMELINE,
                lines(violations), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveHadRetryHint(Timeline timeline) {
        return new ShouldHaveRespectedRetryAfter("%nExpecting an answer with a retry hint (retry-after-ms or "
                + "Retry-After) to check the client against, but no answer carried one: nothing to check. Does the "
                + "scenario set retryAfterMs, and did it fire?" + TIMELINE, timeline(timeline));
    }
}
