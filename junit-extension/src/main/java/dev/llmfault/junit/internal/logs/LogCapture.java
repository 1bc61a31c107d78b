package dev.llmfault.junit.internal.logs;

import dev.llmfault.junit.CapturedLogs;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The lines of one test, and the routing of every line logged in the JVM to the tests capturing at that moment.
 * The hooks ({@link Sinks}) are installed when the first capture starts and removed when the last one closes.
 *
 * <pre>{@code
 * try (LogCapture capture = LogCapture.start()) {
 *     client.ask("hi");
 *     capture.lines();
 * }
 * }</pre>
 *
 * <p>A line belongs to the capture its thread is marked with: the test's thread, and the threads it started
 * while capturing (the mark is inherited). A line from an unmarked thread goes to every open capture.
 */
public final class LogCapture implements AutoCloseable {
    /** Lines kept per test; more are counted, not kept. */
    static final int MAX_LINES = 100_000;

    private static final InheritableThreadLocal<WeakReference<LogCapture>> OWNER = new InheritableThreadLocal<>();
    private static final List<LogCapture> OPEN = new CopyOnWriteArrayList<>();

    private final List<CapturedLogs.Line> lines = new ArrayList<>();
    private final Thread owner;
    private volatile boolean open = true;
    private int dropped;

    private LogCapture(Thread owner) {
        this.owner = owner;
    }

    /** Starts capturing for the calling thread (and the threads it starts) until {@link #close()}. */
    public static LogCapture start() {
        LogCapture capture = new LogCapture(Thread.currentThread());
        Sinks.acquire();
        OPEN.add(capture);
        OWNER.set(new WeakReference<>(capture));
        return capture;
    }

    /** True while any capture is open: the hooks skip all work otherwise. */
    static boolean anyOpen() {
        return !OPEN.isEmpty();
    }

    /** Hands a line logged on the current thread to the capture(s) it belongs to. */
    static void dispatch(CapturedLogs.Line line) {
        WeakReference<LogCapture> mark = OWNER.get();
        LogCapture owner = mark == null ? null : mark.get();
        if (owner != null && owner.open) {
            owner.add(line);
            return;
        }
        for (LogCapture c : OPEN) {
            c.add(line);
        }
    }

    private synchronized void add(CapturedLogs.Line line) {
        if (!open) {
            return;
        }
        if (lines.size() < MAX_LINES) {
            lines.add(line);
        } else {
            dropped++;
        }
    }

    public synchronized List<CapturedLogs.Line> lines() {
        return List.copyOf(lines);
    }

    public synchronized int dropped() {
        return dropped;
    }

    /** Stops capturing; the last capture to close removes every hook and restores the console streams. */
    @Override
    public void close() {
        synchronized (this) {
            if (!open) {
                return;
            }
            open = false;
        }
        Console.flush();
        OPEN.remove(this);
        if (Thread.currentThread() == owner) {
            OWNER.remove();
        }
        Sinks.release();
    }
}
