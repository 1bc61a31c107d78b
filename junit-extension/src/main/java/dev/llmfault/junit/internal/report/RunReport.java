package dev.llmfault.junit.internal.report;

import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.internal.Sessions;
import dev.llmfault.junit.internal.Target;
import dev.llmfault.junit.internal.error.Offenders;
import dev.llmfault.server.JournalEntry;
import org.junit.jupiter.api.extension.ExtensionContext;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Collects the tests of one run for the resilience report and writes it when the run ends. One instance lives in
 * the root {@link ExtensionContext.Store} (shared by every class and every thread of the run); the engine closes
 * it once, after the last test, and closing writes {@code index.html}, {@code report.json} and
 * {@code summary.md} and prints the path once. Thread-safe: parallel tests add to concurrent maps.
 */
@SuppressWarnings("deprecation") // CloseableResource: see ServerResource
public final class RunReport implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    /** Most requests kept per test: a runaway retry loop must not fill the heap of the test run. */
    static final int MAX_REQUESTS_PER_TEST = 2_000;

    private record Started(int order, FaultCase matrixCase) {
    }

    /**
     * Report directories already announced by this JVM: a test that runs other tests through EngineTestKit (as the
     * samples do) closes a report per inner run, all in the same directory, and the path is worth saying once; the
     * outer run, closed last, writes the final files.
     */
    private static final Set<Path> ANNOUNCED = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final AtomicInteger order = new AtomicInteger();
    private final Map<String, Started> started = new ConcurrentHashMap<>();
    private final Map<String, List<JournalEntry>> requests = new ConcurrentHashMap<>();
    private final Map<String, TestRecord> finished = new ConcurrentHashMap<>();
    private volatile boolean closed;

    private RunReport(Path directory) {
        this.directory = directory;
    }

    /** The report of this run, or empty when {@code llmfault.report=false}. */
    public static Optional<RunReport> of(ExtensionContext context) {
        if (!Target.reportEnabled(context)) {
            return Optional.empty();
        }
        return Optional.of(context.getRoot().getStore(Sessions.NAMESPACE).getOrComputeIfAbsent(RunReport.class,
                k -> new RunReport(Target.reportDirectory(context)), RunReport.class));
    }

    /** A test began (its matrix case, if any, is known from now on). */
    public void started(ExtensionContext test, FaultCase matrixCase) {
        started.putIfAbsent(test.getUniqueId(), new Started(order.incrementAndGet(), matrixCase));
    }

    /** The requests the server saw for a test, read while its server is still open. */
    public void requests(ExtensionContext test, List<JournalEntry> entries) {
        int from = Math.max(0, entries.size() - MAX_REQUESTS_PER_TEST);
        requests.put(test.getUniqueId(), List.copyOf(entries.subList(from, entries.size())));
    }

    /** How a test ended; the last word on it. */
    public void finished(ExtensionContext test, TestRecord.Outcome outcome, Throwable cause) {
        String uid = test.getUniqueId();
        Started s = started.computeIfAbsent(uid, k -> new Started(order.incrementAndGet(), null));
        String message = cause == null ? null : Optional.ofNullable(cause.getMessage()).orElse(cause.getClass().getName());
        Set<Long> offending = outcome == TestRecord.Outcome.FAILED ? Offenders.in(message) : Set.of();
        String className = test.getTestClass().map(Class::getName).orElse("");
        String method = test.getTestMethod().map(java.lang.reflect.Method::getName).orElse(test.getDisplayName());
        finished.put(uid, new TestRecord(s.order(), "t" + s.order(), className, method, test.getDisplayName(),
                s.matrixCase(), outcome, message, requests.getOrDefault(uid, List.of()), offending));
    }

    /** The tests finished so far, in the order they started. */
    public List<TestRecord> tests() {
        List<TestRecord> out = new ArrayList<>(finished.values());
        out.sort(Comparator.comparingInt(TestRecord::order));
        return out;
    }

    public Path directory() {
        return directory;
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        List<TestRecord> tests = tests();
        if (tests.isEmpty()) {
            return;
        }
        try {
            Path index = ReportFiles.write(directory, tests);
            if (ANNOUNCED.add(directory)) {
                System.out.println("[llmfault] resilience report: " + index.toUri());
            }
        } catch (IOException | UncheckedIOException e) {
            // a report that cannot be written must not fail the run it describes
            System.err.println("[llmfault] the resilience report could not be written to " + directory + ": " + e);
        }
    }
}
