package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** The model calls spent more tokens than the budget. */
public final class ShouldHaveStayedWithinTokenBudget extends JournalMessage {
    private ShouldHaveStayedWithinTokenBudget(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveStayedWithinTokenBudget(long budget, long spent, List<String> violations,
                                                                        List<String> calls, Timeline timeline) {
        return new ShouldHaveStayedWithinTokenBudget("%nExpecting the model calls to spend at most:%n  %s tokens"
                + " (prompt + answer of every model call, as the server counted them)%nbut they spent:%n  %s%n%s%n%n"
                + "Model calls:%n%s" + TIMELINE, text(budget), text(spent), lines(violations), text(String.join(
                String.format("%n"), calls)), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveCountedTokens(Timeline timeline) {
        return new ShouldHaveStayedWithinTokenBudget("%nExpecting model calls with token counts, but the journal holds"
                + " none: nothing to check (a refused request is never read; a server older than the client may not"
                + " journal counts)." + TIMELINE, timeline(timeline));
    }
}
