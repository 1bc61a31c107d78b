package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** An expired token was not refreshed before the retry. */
public final class ShouldHaveRefreshedTokenBeforeRetrying extends JournalMessage {
    /** Why a key-scoped journal may lack the token requests, or every request of an OAuth client. */
    private static final String KEY_SCOPED = "%n(In a test scoped to its key (@LlmApiKey), token requests and the calls"
            + " bearing their tokens count for the test only when the client sends the test's key as its OAuth client"
            + " secret.)";

    private ShouldHaveRefreshedTokenBeforeRetrying(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveRefreshedTokenBeforeRetrying(List<String> violations, Timeline timeline) {
        return new ShouldHaveRefreshedTokenBeforeRetrying("%nExpecting each EXPIRED_TOKEN answer to be followed by a "
                + "token request (a path ending in /token), then a retry with a different token, but:%n%s" + KEY_SCOPED
                + TIMELINE,
                lines(violations), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveMetExpiredToken(Timeline timeline) {
        return new ShouldHaveRefreshedTokenBeforeRetrying("%nExpecting at least one EXPIRED_TOKEN answer, but there "
                + "was none: nothing to check. Did the scenario or the token policy fire?" + KEY_SCOPED + TIMELINE,
                timeline(timeline));
    }
}
