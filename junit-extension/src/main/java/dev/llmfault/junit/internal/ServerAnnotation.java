package dev.llmfault.junit.internal;

import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.ServerSettings;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.time.Duration;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;

/**
 * Reads the server settings of an {@link LlmFaultTest}: each attribute left at its default keeps the server's
 * default, any other goes to the setter of {@link ServerSettings.Setter} with the same name ({@code replyText}
 * to {@code replyText(String)}, and {@code chunkDelayMs} to {@code chunkDelay(Duration)}). So a setting
 * exposed on the annotation needs no code here; {@code ServerAnnotationTest} checks that each attribute maps.
 * The few attributes whose meaning is not one setter call are in {@link #CONVERTED}.
 */
public final class ServerAnnotation {
    /** The attributes that configure the extension rather than the server. */
    static final Set<String> EXTENSION_ATTRIBUTES = Set.of("serverPerMethod", "provider", "captureLogs");
    /**
     * Attributes applied by more than a setter of the same name: {@code replay} is a directory replayed strictly
     * and without the recorded delays.
     */
    static final Map<String, BiConsumer<ServerSettings.Builder, Object>> CONVERTED = Map.of(
            "replay", (b, dir) -> b.replay(Path.of((String) dir), 0, true));

    private ServerAnnotation() {
    }

    /** The settings the annotation asks for; a bad value fails naming the attribute and where it was declared. */
    public static ServerSettings settings(LlmFaultTest annotation, String origin) {
        ServerSettings.Builder builder = ServerSettings.builder();
        Method[] attributes = LlmFaultTest.class.getDeclaredMethods();
        Arrays.sort(attributes, java.util.Comparator.comparing(Method::getName)); // a stable order of errors
        for (Method attribute : attributes) {
            if (EXTENSION_ATTRIBUTES.contains(attribute.getName())) {
                continue;
            }
            Object value = invoke(attribute, annotation);
            if (java.util.Objects.deepEquals(value, attribute.getDefaultValue())) {
                continue;
            }
            try {
                apply(builder, attribute, value);
            } catch (IllegalArgumentException e) {
                throw ConfigErrors.invalid("LlmFaultTest", attribute.getName(), value, origin, e.getMessage());
            }
        }
        try {
            return builder.build();
        } catch (IllegalArgumentException e) {
            String field = e.getMessage().contains(":") ? e.getMessage().substring(0, e.getMessage().indexOf(':')) : "?";
            if (field.startsWith("alias")) {
                field = "aliases"; // "alias mistral: ..." comes from the aliases checked together
            }
            Object value = "?";
            try {
                value = invoke(LlmFaultTest.class.getDeclaredMethod(field), annotation);
            } catch (NoSuchMethodException notAnAttribute) {
                // a setting checked together with others: the message names it
            }
            throw ConfigErrors.invalid("LlmFaultTest", field, value, origin, e.getMessage());
        }
    }

    /** The setter an attribute maps to: the same name, or for {@code xMs} a {@code x(Duration)}. */
    static Method setter(Method attribute) {
        String name = attribute.getName();
        Class<?> type = attribute.getReturnType();
        try {
            if (name.endsWith("Ms") && type == long.class) {
                return ServerSettings.Setter.class.getMethod(name.substring(0, name.length() - 2), Duration.class);
            }
            return ServerSettings.Setter.class.getMethod(name, type);
        } catch (NoSuchMethodException e) {
            throw new IllegalStateException("@LlmFaultTest." + name + " maps to no setter of ServerSettings.Setter: name"
                    + " the attribute after the setter (a " + type + "), or list it in EXTENSION_ATTRIBUTES", e);
        }
    }

    private static void apply(ServerSettings.Builder builder, Method attribute, Object value) {
        if (CONVERTED.containsKey(attribute.getName())) {
            CONVERTED.get(attribute.getName()).accept(builder, value);
            return;
        }
        Method setter = setter(attribute);
        Object argument = setter.getParameterTypes()[0] == Duration.class ? Duration.ofMillis((Long) value) : value;
        try {
            setter.invoke(builder, new Object[] {argument}); // an array argument is one argument, not the varargs
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof RuntimeException r) {
                throw r;
            }
            throw new IllegalStateException(e.getCause());
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object invoke(Method attribute, LlmFaultTest annotation) {
        try {
            return attribute.invoke(annotation);
        } catch (IllegalAccessException | InvocationTargetException e) {
            throw new IllegalStateException(e);
        }
    }
}
