package dev.llmfault.junit.internal;

import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.util.Arrays;

/** Configuration errors in the JUnit style: the annotation, the element, the value, where it is, what is allowed. */
public final class ConfigErrors {
    private ConfigErrors() {
    }

    /**
     * {@code @LlmFaultScenario(times = -1) on method FooTest#bar(): times: invalid value -1, expected an integer >= 0}.
     */
    public static ExtensionConfigurationException invalid(String annotation, String element, Object value, String origin,
                                                          String reason) {
        return new ExtensionConfigurationException("@" + annotation + "(" + element + " = " + format(value) + ") on "
                + origin + ": " + reason);
    }

    public static ExtensionConfigurationException of(String message) {
        return new ExtensionConfigurationException(message);
    }

    static String format(Object value) {
        if (value instanceof String s) {
            return "\"" + s + "\"";
        }
        if (value instanceof Object[] array) {
            return Arrays.toString(array);
        }
        return String.valueOf(value);
    }
}
