package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** A credential travelled in a query string. */
public final class ShouldNotHaveSentCredentialsInQuery extends JournalMessage {
    private ShouldNotHaveSentCredentialsInQuery(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldNotHaveSentCredentialsInQuery(List<String> violations, Timeline timeline) {
        return new ShouldNotHaveSentCredentialsInQuery("%nExpecting no credential in a query string (they end up in"
                + " proxy and server logs; send them in a header), but (masked):%n%s" + TIMELINE,
                lines(violations), timeline(timeline));
    }
}
