package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** The client sent a heavy request before a cheap credential check had succeeded. */
public final class ShouldHaveCheckedCredentialsFirst extends JournalMessage {
    private ShouldHaveCheckedCredentialsFirst(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveCheckedCredentialsFirst(List<String> violations, Timeline timeline) {
        return new ShouldHaveCheckedCredentialsFirst("%nExpecting the client to check its credentials with a cheap request"
                + " (a GET such as the models list, a token count) and to send heavy requests only once a check"
                + " succeeded, but:%n%s" + TIMELINE, lines(violations), timeline(timeline));
    }
}
