package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** An expired token was not refreshed before the retry. */
public final class ShouldHaveRefreshedTokenBeforeRetrying extends JournalMessage {
    private ShouldHaveRefreshedTokenBeforeRetrying(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveRefreshedTokenBeforeRetrying(List<String> violations, Timeline timeline) {
        return new ShouldHaveRefreshedTokenBeforeRetrying("%nExpecting each EXPIRED_TOKEN answer to be followed by a "
                + "token request (a path ending in /token), then a retry with a different token, but:%n%s" + TIMELINE,
                lines(violations), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveMetExpiredToken(Timeline timeline) {
        return new ShouldHaveRefreshedTokenBeforeRetrying("%nExpecting at least one EXPIRED_TOKEN answer, but there "
                + "was none: nothing to check. Did the scenario or the token policy fire?" + TIMELINE,
                timeline(timeline));
    }
}
