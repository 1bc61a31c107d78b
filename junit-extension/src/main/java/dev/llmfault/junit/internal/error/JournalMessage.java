package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.BasicErrorMessageFactory;

import java.util.List;

/**
 * The shared layout of the journal assertions' messages, AssertJ style: what was expected, what the server
 * saw, then the request timeline (server arrival times), so a failure explains itself.
 */
abstract class JournalMessage extends BasicErrorMessageFactory {
    static final String TIMELINE_HEADING = "Request timeline (server arrival times):";
    static final String TIMELINE = "%n%n" + TIMELINE_HEADING + "%n%s";
    /** The captured log lines, secrets masked, before the timeline. */
    static final String LOGS = "%n%nCaptured log lines (secrets masked):%n%s";

    JournalMessage(String format, Object... arguments) {
        super(format, arguments);
    }

    static CharSequence text(Object value) {
        return unquotedString(String.valueOf(value));
    }

    static CharSequence timeline(Timeline timeline) {
        return unquotedString(timeline.toString());
    }

    /** Findings one per line, indented; each starts with the request it blames ({@link Offenders} reads them). */
    static CharSequence lines(List<String> findings) {
        return unquotedString("  - " + String.join(String.format("%n  - "), findings));
    }
}
