package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** The gaps between the attempts of a request did not grow by the expected factor. */
public final class ShouldHaveBackedOffExponentially extends JournalMessage {
    private ShouldHaveBackedOffExponentially(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveBackedOffExponentially(double factor, double jitter,
                                                                       List<String> violations, Timeline timeline) {
        return new ShouldHaveBackedOffExponentially("%nExpecting each wait between attempts to be %s times the one "
                + "before (from x%s to x%s with %s jitter), but:%n%s" + TIMELINE,
                text(factor), text(String.format(java.util.Locale.ROOT, "%.2f", factor * (1 - jitter))),
                text(String.format(java.util.Locale.ROOT, "%.2f", factor / (1 - jitter))),
                text(Math.round(jitter * 100) + "%"), lines(violations), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveEnoughAttempts(Timeline timeline) {
        return new ShouldHaveBackedOffExponentially("%nExpecting at least 3 attempts of one request to see a backoff "
                + "(two waits to compare), but no request was attempted more than twice" + TIMELINE,
                timeline(timeline));
    }
}
