package dev.llmfault.junit.internal.logs;

import dev.llmfault.junit.CapturedLogs;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.LogEvent;
import org.apache.logging.log4j.core.LoggerContext;
import org.apache.logging.log4j.core.appender.AbstractAppender;
import org.apache.logging.log4j.core.config.Configuration;
import org.apache.logging.log4j.core.config.LoggerConfig;
import org.apache.logging.log4j.core.config.Property;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.time.Instant;

/** An appender on Log4j 2's root logger config, when log4j-core is present. Loaded only then. */
final class Log4jSink extends AbstractAppender {
    private static final String NAME = "llmfault-captured-logs";

    private Log4jSink() {
        super(NAME, null, null, true, Property.EMPTY_ARRAY);
    }

    static Runnable install() {
        if (!(LogManager.getContext(false) instanceof LoggerContext context)) {
            return () -> { }; // the Log4j API routes elsewhere (log4j-to-slf4j): captured there
        }
        Log4jSink sink = new Log4jSink();
        sink.start();
        Configuration config = context.getConfiguration();
        LoggerConfig root = config.getRootLogger();
        root.addAppender(sink, null, null);
        context.updateLoggers();
        return () -> {
            context.getConfiguration().getRootLogger().removeAppender(NAME);
            context.updateLoggers();
            sink.stop();
        };
    }

    @Override
    public void append(LogEvent event) {
        if (!LogCapture.anyOpen()) {
            return;
        }
        String message = event.getMessage() == null ? "" : event.getMessage().getFormattedMessage();
        if (event.getThrown() != null) {
            StringWriter trace = new StringWriter();
            event.getThrown().printStackTrace(new PrintWriter(trace));
            message = message + System.lineSeparator() + trace;
        }
        LogCapture.dispatch(new CapturedLogs.Line(Instant.ofEpochMilli(event.getTimeMillis()), level(event.getLevel()),
                event.getLoggerName(), event.getThreadName(), message, CapturedLogs.Source.LOG4J2));
    }

    private static CapturedLogs.Level level(Level level) {
        if (level.isMoreSpecificThan(Level.ERROR)) return CapturedLogs.Level.ERROR;
        if (level.isMoreSpecificThan(Level.WARN)) return CapturedLogs.Level.WARN;
        if (level.isMoreSpecificThan(Level.INFO)) return CapturedLogs.Level.INFO;
        if (level.isMoreSpecificThan(Level.DEBUG)) return CapturedLogs.Level.DEBUG;
        return CapturedLogs.Level.TRACE;
    }
}
