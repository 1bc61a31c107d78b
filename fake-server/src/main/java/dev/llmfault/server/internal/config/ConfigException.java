package dev.llmfault.server.internal.config;

/** A config file that cannot be used; the message starts with {@code file:line:} and names the field. */
public final class ConfigException extends IllegalArgumentException {
    public ConfigException(String message) {
        super(message);
    }
}
