package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** Log lines about requests did not say which credential they used, by mask or fingerprint. */
public final class ShouldHaveLoggedKeyIdNotKey extends JournalMessage {
    private ShouldHaveLoggedKeyIdNotKey(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveLoggedKeyId(List<String> violations, String logs, Timeline timeline) {
        return new ShouldHaveLoggedKeyIdNotKey("%nExpecting each log line about a request to identify its credential by"
                + " a mask (sk-ab***wxyz, ...wxyz) or a fingerprint (the first 8+ hex digits of its SHA-256), but:%n%s"
                + LOGS + TIMELINE, lines(violations), text(logs), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveLinesAboutRequests(String logs, Timeline timeline) {
        return new ShouldHaveLoggedKeyIdNotKey("%nExpecting log lines about the requests (naming a request id), to see"
                + " how they identify the credential, but no line names any request of the journal" + LOGS + TIMELINE,
                text(logs), timeline(timeline));
    }
}
