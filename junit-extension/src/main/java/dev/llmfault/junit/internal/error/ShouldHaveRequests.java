package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** There was no request to check. */
public final class ShouldHaveRequests extends JournalMessage {
    private ShouldHaveRequests(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveRequests(String what, Timeline timeline) {
        return new ShouldHaveRequests("%nExpecting requests to check %s, but the fake LLM server received none"
                + TIMELINE, text(what), timeline(timeline));
    }
}
