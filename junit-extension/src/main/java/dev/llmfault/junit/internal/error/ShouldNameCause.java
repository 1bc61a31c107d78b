package dev.llmfault.junit.internal.error;

import org.assertj.core.error.ErrorMessageFactory;

/** An exception did not say which of the article's causes it is. */
public final class ShouldNameCause extends JournalMessage {
    private ShouldNameCause(String format, Object... arguments) {
        super(format, arguments);
    }

    /**
     * @param instead the causes the text names instead, or ""
     */
    public static ErrorMessageFactory shouldNameCause(Object cause, String words, String chain, String instead) {
        return new ShouldNameCause("%nExpecting the exception (its type or message, or a cause's) to name the cause:%n"
                + "  %s (words such as %s)%nbut %s:%n%s", text(cause), text(words),
                text(instead.isEmpty() ? "it names none" : "it names " + instead), text(chain));
    }
}
