package dev.llmfault.junit;

import dev.llmfault.junit.internal.Attempts;
import dev.llmfault.junit.internal.CauseWords;
import dev.llmfault.junit.internal.CurrentTest;
import dev.llmfault.junit.internal.RequestIds;
import dev.llmfault.junit.internal.Timeline;
import dev.llmfault.junit.internal.secrets.KnownSecrets;
import dev.llmfault.junit.internal.secrets.SecretScan;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;
import org.apiguardian.api.API;
import org.assertj.core.api.AbstractThrowableAssert;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

import static dev.llmfault.junit.internal.error.ShouldCarryRequestId.shouldCarryRequestId;
import static dev.llmfault.junit.internal.error.ShouldCarryRequestId.shouldHaveRequestId;
import static dev.llmfault.junit.internal.error.ShouldNameCause.shouldNameCause;
import static dev.llmfault.junit.internal.error.ShouldNotContainSecrets.shouldNotContainSecrets;

/**
 * Assertions on what a client threw: whether a person reading it can act on it. Named apart from AssertJ's
 * {@code ThrowableAssert} so both can be imported; every AssertJ throwable assertion works here too. Get one with
 * {@link LlmFaultAssertions#assertThat(Throwable)} (call it through the class: a static import of both
 * {@code assertThat(Throwable)} methods is ambiguous).
 *
 * <pre>{@code
 * Throwable thrown = catchThrowable(() -> client.ask("hi"));
 * LlmFaultAssertions.assertThat(thrown)
 *         .carriesRequestIdOf(journal.last().orElseThrow())
 *         .namesCause(Fault.Cause.RATE_LIMIT_OR_QUOTA)
 *         .doesNotContainSecrets();
 * }</pre>
 *
 * <p>Every check reads the whole chain: the exception, its causes and suppressed exceptions, their types and
 * messages.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public class LlmFaultThrowableAssert extends AbstractThrowableAssert<LlmFaultThrowableAssert, Throwable> {

    public LlmFaultThrowableAssert(Throwable actual) {
        super(actual, LlmFaultThrowableAssert.class);
    }

    /**
     * The exception or one of its causes carries the provider's request id of this journal entry: in its message,
     * or returned by a {@code requestId()} / {@code getRequestId()} method.
     */
    public LlmFaultThrowableAssert carriesRequestIdOf(JournalEntry entry) {
        Objects.requireNonNull(entry, "entry");
        isNotNull();
        Timeline timeline = Timeline.of(journalOr(entry));
        Optional<String> id = RequestIds.of(entry);
        if (id.isEmpty()) {
            throwAssertionError(shouldHaveRequestId(Attempts.label(entry), timeline));
        }
        for (Throwable t : chain(actual)) {
            if (String.valueOf(t.getMessage()).contains(id.get()) || id.get().equals(reportedId(t))) {
                return myself;
            }
        }
        throwAssertionError(shouldCarryRequestId(Attempts.label(entry) + " -> " + entry.status()
                + (entry.fault() == null ? "" : " " + entry.fault()), id.get(), describeChain(), timeline));
        return myself;
    }

    /**
     * The exception's type or message (or a cause's) names this cause of the article, so that a reader tells the
     * five apart: by the cause's own name or by its words ("rate limit", "quota" for RATE_LIMIT_OR_QUOTA; "api
     * key", "unauthorized" for INVALID_OR_EXPIRED_TOKEN...).
     */
    public LlmFaultThrowableAssert namesCause(Fault.Cause cause) {
        Objects.requireNonNull(cause, "cause");
        isNotNull();
        StringBuilder all = new StringBuilder();
        for (Throwable t : chain(actual)) {
            all.append(' ').append(t.getClass().getSimpleName()).append(' ').append(t.getMessage());
            Object reported = reportedCause(t);
            if (reported != null) {
                all.append(' ').append(reported);
            }
        }
        String normalized = CauseWords.normalize(all.toString());
        if (!CauseWords.names(normalized, cause)) {
            List<String> instead = new ArrayList<>();
            for (Fault.Cause other : Fault.Cause.values()) {
                if (other != cause && CauseWords.names(normalized, other)) {
                    instead.add(other.name());
                }
            }
            throwAssertionError(shouldNameCause(cause, "\"" + String.join("\", \"", CauseWords.words(cause)) + "\"",
                    describeChain(), String.join(", ", instead)));
        }
        return myself;
    }

    /**
     * No credential in the exception, its causes or suppressed exceptions (types, messages, request ids): the
     * current test's credentials (as {@link CapturedLogsAssert#neverContainSecrets(String...)} knows them) and
     * the secrets named here.
     */
    public LlmFaultThrowableAssert doesNotContainSecrets(String... alsoSecret) {
        isNotNull();
        KnownSecrets secrets = CurrentTest.secrets().withNamed(alsoSecret);
        List<String> findings = new ArrayList<>();
        int depth = 0;
        for (Throwable t : chain(actual)) {
            String text = t.toString();
            for (SecretScan.Finding f : SecretScan.scan(text, secrets)) {
                findings.add((depth == 0 ? "the exception" : "cause " + depth) + ": " + f.describe() + ":"
                        + System.lineSeparator() + "      " + SecretScan.masked(text, List.of(f)));
            }
            depth++;
        }
        if (!findings.isEmpty()) {
            throwAssertionError(shouldNotContainSecrets("the exception and its causes", findings,
                    Timeline.of(CurrentTest.get().map(c -> c.journal().entries()).orElse(List.of()))));
        }
        return myself;
    }

    // ---- helpers ----

    private static List<JournalEntry> journalOr(JournalEntry entry) {
        return CurrentTest.get().map(CurrentTest.Context::journal).map(RequestJournal::entries)
                .filter(l -> !l.isEmpty()).orElse(List.of(entry));
    }

    /** The exception, its causes and suppressed exceptions, each once. */
    private static List<Throwable> chain(Throwable top) {
        List<Throwable> out = new ArrayList<>();
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> todo = new ArrayList<>(List.of(top));
        while (!todo.isEmpty()) {
            Throwable t = todo.remove(0);
            if (t == null || !seen.add(t)) {
                continue;
            }
            out.add(t);
            todo.add(t.getCause());
            todo.addAll(List.of(t.getSuppressed()));
        }
        return out;
    }

    /** What the chain says, masked: one line per exception. */
    private String describeChain() {
        KnownSecrets secrets = CurrentTest.secrets();
        StringBuilder out = new StringBuilder();
        int depth = 0;
        for (Throwable t : chain(actual)) {
            String text = t.toString().replace(System.lineSeparator(), " ");
            out.append(out.length() == 0 ? "" : System.lineSeparator()).append("  ").append(depth == 0 ? "" : "caused by ")
                    .append(SecretScan.masked(text, SecretScan.scan(text, secrets)));
            depth++;
        }
        return out.toString();
    }

    private static String reportedId(Throwable t) {
        Object v = call(t, "requestId", "getRequestId", "requestID");
        if (v instanceof Optional<?> o) {
            v = o.orElse(null);
        }
        return v == null ? null : v.toString();
    }

    private static Object reportedCause(Throwable t) {
        Object v = call(t, "errorCause", "cause", "getErrorCause", "category");
        return v instanceof Enum<?> ? v : null;
    }

    private static Object call(Throwable t, String... names) {
        for (String name : names) {
            try {
                Method m = t.getClass().getMethod(name);
                if (m.getParameterCount() == 0) {
                    return m.invoke(t);
                }
            } catch (ReflectiveOperationException | RuntimeException ignored) {
                // no such accessor, or one that does not want to be called: the message still counts
            }
        }
        return null;
    }
}
