package dev.llmfault.junit.internal.logs;

import dev.llmfault.junit.CapturedLogs;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/** A handler on the root {@code java.util.logging} logger (which also receives {@code System.Logger} lines). */
final class JulSink extends Handler {
    private static final Formatter MESSAGE = new SimpleFormatter();

    static Runnable install() {
        Logger root = Logger.getLogger("");
        JulSink sink = new JulSink();
        sink.setLevel(Level.ALL);
        root.addHandler(sink);
        return () -> root.removeHandler(sink);
    }

    @Override
    public void publish(LogRecord record) {
        if (record == null || !LogCapture.anyOpen()) {
            return;
        }
        String message = MESSAGE.formatMessage(record);
        if (record.getThrown() != null) {
            StringWriter trace = new StringWriter();
            record.getThrown().printStackTrace(new PrintWriter(trace));
            message = message + System.lineSeparator() + trace;
        }
        LogCapture.dispatch(new CapturedLogs.Line(record.getInstant(), level(record.getLevel()), record.getLoggerName(),
                Thread.currentThread().getName(), message, CapturedLogs.Source.JUL));
    }

    static CapturedLogs.Level level(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) return CapturedLogs.Level.ERROR;
        if (v >= Level.WARNING.intValue()) return CapturedLogs.Level.WARN;
        if (v >= Level.CONFIG.intValue()) return CapturedLogs.Level.INFO;
        if (v >= Level.FINE.intValue()) return CapturedLogs.Level.DEBUG;
        return CapturedLogs.Level.TRACE;
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
