package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** One logical request was not attempted the expected number of times, or there was not exactly one. */
public final class ShouldHaveAttempts extends JournalMessage {
    private ShouldHaveAttempts(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveAttempts(int expected, int actual, Timeline timeline) {
        return new ShouldHaveAttempts("%nExpecting the request to have been attempted:%n  %s time(s)%n"
                + "but it was attempted:%n  %s time(s)" + TIMELINE, text(expected), text(actual), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveOneLogicalRequest(int expected, List<String> requests, Timeline timeline) {
        return new ShouldHaveAttempts("%nExpecting the attempts of one logical request (%s attempt(s)), but the "
                + "journal holds %s different requests (method, path or body differ):%n%s%n"
                + "Narrow the journal first, for example with filteredOn(JournalQuery.all().path(...))." + TIMELINE,
                text(expected), text(requests.size()), lines(requests), timeline(timeline));
    }
}
