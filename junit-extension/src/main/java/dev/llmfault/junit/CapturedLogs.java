package dev.llmfault.junit;

import dev.llmfault.junit.internal.logs.LogCapture;
import dev.llmfault.junit.internal.secrets.KnownSecrets;
import dev.llmfault.junit.internal.secrets.SecretScan;
import dev.llmfault.server.RequestJournal;

import org.apiguardian.api.API;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.ZoneId;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * Everything the code under test logged during one test: through SLF4J (Logback, or the simple binding),
 * {@code java.util.logging}, Log4j 2 (when its core is on the classpath), and {@code System.out} /
 * {@code System.err}, each line with its time, level, logger and thread. Take it as a test parameter (or set
 * {@code @LlmFaultTest(captureLogs = true)}) and check it with {@link LlmFaultAssertions#assertThat(CapturedLogs)}:
 *
 * <pre>{@code
 * @Test
 * @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1)
 * void logsSafely(@LlmBaseUrl URI baseUrl, @LlmApiKey String key, CapturedLogs logs) {
 *     new MyClient(baseUrl, key).ask("hi");
 *     LlmFaultAssertions.assertThat(logs).neverContainSecrets().loggedEveryFailure().loggedKeyIdNotKey();
 * }
 * }</pre>
 *
 * <p><b>What is captured.</b> Capture starts before the test's {@code @BeforeEach} methods and ends after its
 * {@code @AfterEach} methods; then every hook is removed and {@code System.out}/{@code System.err} are put back.
 * Lines are those the logging configuration lets through (a logger set to WARN logs no DEBUG line, here as in
 * production). Logback and Log4j events are taken from an appender on the root logger, so a logger with
 * additivity off is not seen; a framework's console output is kept once, as its event, not twice.
 *
 * <p><b>Parallel tests.</b> A line goes to the test whose thread (or a thread that thread started while the test
 * ran) logged it. A line from any other thread, such as a shared HTTP client's pool, goes to every test capturing
 * at that moment: with tests in parallel such a line may show up in a neighbour's capture as well.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class CapturedLogs {
    /** The level of a line: JUL's levels map to the nearest ({@code FINE} is DEBUG, {@code SEVERE} is ERROR). */
    public enum Level { TRACE, DEBUG, INFO, WARN, ERROR }

    /** Where a line came from. Console lines are INFO ({@code System.out}) or WARN ({@code System.err}). */
    public enum Source { SLF4J, JUL, LOG4J2, STDOUT, STDERR }

    /**
     * One captured line.
     *
     * @param time    when it was logged
     * @param level   its level
     * @param logger  the logger's name ({@code System.out} or {@code System.err} for console lines)
     * @param thread  the logging thread's name
     * @param message the formatted message, followed by the stack trace of an attached throwable, if any
     * @param source  the logging API it came through
     */
    public record Line(Instant time, Level level, String logger, String thread, String message, Source source) {
        /** How {@link #toString()} shows the time: {@code HH:mm:ss.SSS}, local. */
        static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("HH:mm:ss.SSS").withZone(ZoneId.systemDefault());

        public Line {
            Objects.requireNonNull(time, "time");
            Objects.requireNonNull(level, "level");
            Objects.requireNonNull(source, "source");
            logger = logger == null ? "" : logger;
            thread = thread == null ? "" : thread;
            message = message == null ? "" : message;
        }

        /** {@code 13:02:11.123 WARN  [main] com.acme.Client - the message}, local time. */
        @Override
        public String toString() {
            return String.format("%s %-5s [%s] %s - %s", TIME.format(time), level, thread,
                    logger, message);
        }
    }

    private final LogCapture capture;
    private final RequestJournal journal;
    private final Supplier<KnownSecrets> secrets;

    CapturedLogs(LogCapture capture, RequestJournal journal, Supplier<KnownSecrets> secrets) {
        this.capture = capture;
        this.journal = journal;
        this.secrets = secrets;
    }

    /** The lines captured so far, oldest first. */
    public List<Line> lines() {
        return capture.lines();
    }

    /** The lines at this level or above. */
    public List<Line> lines(Level atLeast) {
        return lines().stream().filter(l -> l.level().compareTo(atLeast) >= 0).toList();
    }

    /** The lines whose message contains the text. */
    public List<Line> containing(String text) {
        return lines().stream().filter(l -> l.message().contains(text)).toList();
    }

    public boolean isEmpty() {
        return lines().isEmpty();
    }

    /** How many lines were dropped because the capture was full (it keeps the first 100,000). */
    public int dropped() {
        return capture.dropped();
    }

    /** The journal of the test's requests, which the assertions compare the lines with. */
    RequestJournal journal() {
        return journal;
    }

    /** Every credential the test used or the server issued, known at this moment. */
    KnownSecrets secrets() {
        return secrets.get();
    }

    /** The lines for a failure message or report, numbered, every credential masked, at most {@code max}. */
    String masked(int max) {
        List<Line> all = lines();
        if (all.isEmpty()) {
            return "  (no lines: the code under test logged nothing)";
        }
        KnownSecrets known = secrets();
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < Math.min(all.size(), max); i++) {
            String text = all.get(i).toString();
            String shown = SecretScan.masked(text, SecretScan.scan(text, known));
            out.append(out.length() == 0 ? "" : System.lineSeparator()).append("  ").append(i + 1).append(": ")
                    .append(CapturedLogsAssert.excerpt(shown, null));
        }
        if (all.size() > max) {
            out.append(System.lineSeparator()).append("  ... ").append(all.size() - max).append(" more");
        }
        return out.toString();
    }

    /** One line per captured line. Beware: shows them as they are, secrets included. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        for (Line l : lines()) {
            out.append(l).append(System.lineSeparator());
        }
        return out.toString();
    }
}
