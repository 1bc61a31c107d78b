package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** A request used another API version than the expected one. */
public final class ShouldHaveUsedApiVersion extends JournalMessage {
    private ShouldHaveUsedApiVersion(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveUsedApiVersion(String expected, List<String> violations, Timeline timeline) {
        return new ShouldHaveUsedApiVersion("%nExpecting every request to use API version:%n  %s%n(the anthropic-version"
                + " header, the api-version query parameter, or the version segment of the path) but:%n%s" + TIMELINE,
                text(expected), lines(violations), timeline(timeline));
    }
}
