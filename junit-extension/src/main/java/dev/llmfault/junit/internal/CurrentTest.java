package dev.llmfault.junit.internal;

import dev.llmfault.junit.internal.secrets.KnownSecrets;
import dev.llmfault.server.RequestJournal;

import java.util.Optional;
import java.util.function.Supplier;

/**
 * What an assertion that is given no test context (on a {@code Throwable}, on a {@code MeterRegistry}) may know
 * about the test running on this thread: its credentials and its journal. Set by the extension around each test
 * on the test's thread, where JUnit runs the test method and its callbacks.
 */
public final class CurrentTest {
    /**
     * @param secrets the test's credentials, gathered when asked
     * @param journal the test's view of the journal
     */
    public record Context(Supplier<KnownSecrets> secrets, RequestJournal journal) {
    }

    private static final ThreadLocal<Context> CURRENT = new ThreadLocal<>();

    private CurrentTest() {
    }

    public static void set(Context context) {
        CURRENT.set(context);
    }

    public static void clear() {
        CURRENT.remove();
    }

    public static Optional<Context> get() {
        return Optional.ofNullable(CURRENT.get());
    }

    /** The current test's credentials, or none outside a test. */
    public static KnownSecrets secrets() {
        return get().map(c -> c.secrets().get()).orElse(KnownSecrets.none());
    }
}
