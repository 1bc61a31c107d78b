package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** A credential showed up in logs or in an exception. */
public final class ShouldNotContainSecrets extends JournalMessage {
    private ShouldNotContainSecrets(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * @param where    "the captured logs", "the exception and its causes"
     * @param findings where each credential is, what it is, and the text around it (masked)
     */
    public static ErrorMessageFactory shouldNotContainSecrets(String where, List<String> findings, Timeline timeline) {
        return new ShouldNotContainSecrets("%nExpecting %s to contain no credential (whole or a fragment, in plain text,"
                + " URL-encoded or Base64: log a mask or a fingerprint instead), but found (masked):%n%s" + TIMELINE,
                text(where), lines(findings), timeline(timeline));
    }
}
