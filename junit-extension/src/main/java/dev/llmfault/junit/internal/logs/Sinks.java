package dev.llmfault.junit.internal.logs;

import java.util.ArrayList;
import java.util.List;

/**
 * The hooks into each logging system, installed while at least one capture is open. Each hook is tried on its
 * own: a logging system that is absent (or configured in a way we cannot hook) is simply not captured.
 */
final class Sinks {
    private static int users;
    private static final List<Runnable> REMOVERS = new ArrayList<>();

    private Sinks() {
    }

    static synchronized void acquire() {
        if (users++ > 0) {
            return;
        }
        REMOVERS.add(Console.install());
        REMOVERS.add(JulSink.install());
        if (present("ch.qos.logback.classic.LoggerContext")) {
            REMOVERS.add(LogbackSink.install());
        }
        if (present("org.apache.logging.log4j.core.LoggerContext")) {
            REMOVERS.add(Log4jSink.install());
        }
    }

    static synchronized void release() {
        if (--users > 0) {
            return;
        }
        for (int i = REMOVERS.size() - 1; i >= 0; i--) {
            REMOVERS.get(i).run();
        }
        REMOVERS.clear();
    }

    private static boolean present(String className) {
        try {
            Class.forName(className, false, Sinks.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
