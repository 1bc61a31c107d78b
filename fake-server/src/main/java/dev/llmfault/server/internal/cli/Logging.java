package dev.llmfault.server.internal.cli;

/**
 * Sets the standalone jar's log levels (slf4j-simple reads them when the first logger is made, so this
 * runs before the server starts). Only the CLI does this: an embedding test keeps its own logging.
 */
final class Logging {
    private Logging() {
    }

    static void configure(boolean verbose) {
        setIfAbsent("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        setIfAbsent("org.slf4j.simpleLogger.log.dev.llmfault", verbose ? "debug" : "info");
        setIfAbsent("org.slf4j.simpleLogger.showDateTime", "true");
        setIfAbsent("org.slf4j.simpleLogger.dateTimeFormat", "HH:mm:ss.SSS");
        setIfAbsent("org.slf4j.simpleLogger.logFile", "System.out");
        setIfAbsent("org.slf4j.simpleLogger.showThreadName", "false");
        setIfAbsent("org.slf4j.simpleLogger.showShortLogName", "true");
    }

    private static void setIfAbsent(String key, String value) {
        if (System.getProperty(key) == null) {
            System.setProperty(key, value);
        }
    }
}
