package dev.llmfault.junit.internal.report;

import dev.llmfault.junit.FaultCase;
import dev.llmfault.server.JournalEntry;

import java.util.List;
import java.util.Set;

/**
 * One test of the run as the report shows it: where it is declared, its matrix case, how it ended and the requests
 * the fake server saw for it (already masked).
 *
 * @param order       the order in which tests started, for a stable page
 * @param id          an id for anchors, {@code t12}
 * @param className   the test class's name
 * @param methodName  the test method's name
 * @param displayName JUnit's display name ({@code [RATE_LIMITED on OPENAI]} for a matrix case)
 * @param matrixCase  the case of an {@code @LlmFaultMatrix}, or null
 * @param outcome     how the test ended
 * @param message     the failure's message (or why it was skipped), or null
 * @param requests    the requests of the test, in arrival order
 * @param offending   sequence numbers a failed recovery assertion named
 */
public record TestRecord(int order, String id, String className, String methodName, String displayName,
                         FaultCase matrixCase, Outcome outcome, String message, List<JournalEntry> requests,
                         Set<Long> offending) {

    /** How a test ended. */
    public enum Outcome {
        PASSED, FAILED, SKIPPED;

        public String cssName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    public TestRecord {
        requests = List.copyOf(requests);
        offending = Set.copyOf(offending);
    }

    /** The class's simple name (nested classes as {@code Outer.Inner}). */
    public String classLabel() {
        int dot = className.lastIndexOf('.');
        return (dot < 0 ? className : className.substring(dot + 1)).replace('$', '.');
    }
}
