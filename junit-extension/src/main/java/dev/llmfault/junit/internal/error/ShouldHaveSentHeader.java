package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** A request lacked a header, or carried another value. */
public final class ShouldHaveSentHeader extends JournalMessage {
    private ShouldHaveSentHeader(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveSentHeader(String header, List<String> violations, Timeline timeline) {
        return new ShouldHaveSentHeader("%nExpecting every request to carry the header:%n  %s%nbut:%n%s" + TIMELINE,
                text(header), lines(violations), timeline(timeline));
    }
}
