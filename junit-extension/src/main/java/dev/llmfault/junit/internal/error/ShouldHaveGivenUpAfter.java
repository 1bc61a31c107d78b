package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** The client did not stop after the expected number of failed attempts. */
public final class ShouldHaveGivenUpAfter extends JournalMessage {
    private ShouldHaveGivenUpAfter(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveGivenUpAfter(int expected, String actual, Timeline timeline) {
        return new ShouldHaveGivenUpAfter("%nExpecting the client to give up after:%n  %s failed attempt(s)%nbut:%n  %s"
                + TIMELINE, text(expected), text(actual), timeline(timeline));
    }
}
