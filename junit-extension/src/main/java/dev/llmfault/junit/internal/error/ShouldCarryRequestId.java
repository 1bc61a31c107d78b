package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

/** An exception did not carry the provider's request id of the failed request. */
public final class ShouldCarryRequestId extends JournalMessage {
    private ShouldCarryRequestId(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldCarryRequestId(String request, String requestId, String chain, Timeline timeline) {
        return new ShouldCarryRequestId("%nExpecting the exception (or a cause) to carry the provider's request id of%n"
                + "  %s:%n  %s%n(in its message or a requestId() method: a support ticket needs it), but the chain was:%n%s"
                + TIMELINE, text(request), text(requestId), text(chain), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveRequestId(String request, Timeline timeline) {
        return new ShouldCarryRequestId("%nExpecting %s to have a request id header to look for, but its answer carried"
                + " none (no answer at all?)" + TIMELINE, text(request), timeline(timeline));
    }
}
