package dev.llmfault.junit.internal.logs;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.AppenderBase;
import dev.llmfault.junit.CapturedLogs;
import org.slf4j.LoggerFactory;

import java.time.Instant;

/** An appender on Logback's root logger, when Logback is the SLF4J binding. Loaded only when Logback is present. */
final class LogbackSink extends AppenderBase<ILoggingEvent> {

    static Runnable install() {
        if (!(LoggerFactory.getILoggerFactory() instanceof LoggerContext context)) {
            return () -> { }; // Logback is on the classpath but another binding serves SLF4J
        }
        LogbackSink sink = new LogbackSink();
        sink.setContext(context);
        sink.setName("llmfault-captured-logs");
        sink.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.addAppender(sink);
        return () -> {
            root.detachAppender(sink);
            sink.stop();
        };
    }

    @Override
    protected void append(ILoggingEvent event) {
        if (!LogCapture.anyOpen()) {
            return;
        }
        String message = event.getFormattedMessage();
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            message = message + System.lineSeparator() + ThrowableProxyUtil.asString(thrown);
        }
        LogCapture.dispatch(new CapturedLogs.Line(Instant.ofEpochMilli(event.getTimeStamp()), level(event.getLevel().toInt()),
                event.getLoggerName(), event.getThreadName(), message, CapturedLogs.Source.SLF4J));
    }

    private static CapturedLogs.Level level(int level) {
        if (level >= ch.qos.logback.classic.Level.ERROR_INT) return CapturedLogs.Level.ERROR;
        if (level >= ch.qos.logback.classic.Level.WARN_INT) return CapturedLogs.Level.WARN;
        if (level >= ch.qos.logback.classic.Level.INFO_INT) return CapturedLogs.Level.INFO;
        if (level >= ch.qos.logback.classic.Level.DEBUG_INT) return CapturedLogs.Level.DEBUG;
        return CapturedLogs.Level.TRACE;
    }
}
