package dev.llmfault.server.internal.http;

import java.io.IOException;
import java.net.URL;
import java.util.Collections;
import java.util.Enumeration;
import java.util.ServiceLoader;
import java.util.function.Supplier;

/**
 * Keeps the "you have no logger" notices of SLF4J (three lines, once) and Javalin (twenty lines, at every
 * server start) out of a user's test output when the test class path has no SLF4J provider, the usual case
 * for a project that only added {@code llmfault-junit}. With a provider nothing here changes anything.
 *
 * <pre>{@code
 * Javalin app = NoLoggerNotices.whileStarting(() -> Javalin.create(...).start(host, port));
 * }</pre>
 *
 * <p>Neither notice can be turned off in place: SLF4J reads {@code slf4j.internal.verbosity} once, when it
 * binds, and Javalin looks for a provider with {@code ServiceLoader} through the thread's context class
 * loader. So SLF4J is bound here with that property set for the moment of binding (then removed again), and
 * Javalin starts with a context class loader that also lists SLF4J's own no-operation provider. Nothing stays
 * changed in the JVM: without a provider SLF4J logs nowhere either way.
 */
final class NoLoggerNotices {
    private static final String SERVICE = "META-INF/services/org.slf4j.spi.SLF4JServiceProvider";
    private static final String VERBOSITY = "slf4j.internal.verbosity";
    private static final boolean NO_PROVIDER = noProvider();
    private static boolean bound;

    private NoLoggerNotices() {
    }

    /** Runs a server start without the notices; without a provider, on a context class loader that lists one. */
    static <T> T whileStarting(Supplier<T> start) {
        if (!NO_PROVIDER) {
            return start.get();
        }
        bindQuietly();
        Thread thread = Thread.currentThread();
        ClassLoader original = thread.getContextClassLoader();
        thread.setContextClassLoader(new ListsNopProvider(original != null ? original : NoLoggerNotices.class.getClassLoader()));
        try {
            return start.get();
        } finally {
            thread.setContextClassLoader(original);
        }
    }

    /**
     * Binds SLF4J, without its notice when there is no provider. Called before anything of the server makes a
     * logger (SLF4J binds, and decides on the notice, at the first logger of the JVM).
     */
    static synchronized void bindQuietly() {
        if (!NO_PROVIDER || bound) {
            return;
        }
        bound = true;
        if (System.getProperty(VERBOSITY) != null) {
            org.slf4j.LoggerFactory.getILoggerFactory(); // the user chose a verbosity: theirs applies
            return;
        }
        System.setProperty(VERBOSITY, "ERROR");
        try {
            org.slf4j.LoggerFactory.getILoggerFactory(); // binds (or was bound already): the notice is decided here
        } finally {
            System.clearProperty(VERBOSITY);
        }
    }

    /** True only when SLF4J 2 is present and finds no provider, exactly when both notices would be printed. */
    private static boolean noProvider() {
        try {
            ClassLoader slf4j = org.slf4j.LoggerFactory.class.getClassLoader();
            return !ServiceLoader.load(org.slf4j.spi.SLF4JServiceProvider.class, slf4j).iterator().hasNext();
        } catch (LinkageError | RuntimeException e) {
            return false; // SLF4J 1.7 or a provider that cannot load: leave everything as it is
        }
    }

    /** Delegates everything, and adds SLF4J's no-operation provider to the providers it lists. */
    private static final class ListsNopProvider extends ClassLoader {
        private static final URL NOP = NoLoggerNotices.class.getResource("nop-slf4j-provider");

        ListsNopProvider(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Enumeration<URL> findResources(String name) throws IOException {
            return name.equals(SERVICE) && NOP != null ? Collections.enumeration(java.util.List.of(NOP)) : super.findResources(name);
        }
    }
}
