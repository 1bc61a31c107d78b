package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** The journal does not hold the expected number of requests. */
public final class ShouldHaveRequestCount extends JournalMessage {
    private ShouldHaveRequestCount(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveRequestCount(int expected, int actual, Timeline timeline) {
        return new ShouldHaveRequestCount("%nExpecting the fake LLM server to have received:%n  %s request(s)%n"
                + "but it received:%n  %s" + TIMELINE, text(expected), text(actual), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveNoRequests(int actual, Timeline timeline) {
        return new ShouldHaveRequestCount("%nExpecting the fake LLM server to have received no request, but it "
                + "received %s" + TIMELINE, text(actual), timeline(timeline));
    }
}
