package dev.llmfault.junit.internal;

import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.ServerSettings;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;

/**
 * What an extension instance was configured with: by a builder ({@code @RegisterExtension}), or read from the
 * nearest {@link LlmFaultTest} (method, then class, then enclosing classes). Immutable.
 *
 * @param server    the settings of an embedded server, without scenarios: value equality decides whether a test
 *                  can share its class's server (a method whose {@code @LlmFaultTest} asks for others gets its own)
 * @param origin where the settings come from, for error messages
 * @param scenarios scenarios for every test (builder only), installed before the annotated ones
 */
public record Settings(boolean serverPerMethod, Provider provider, ServerSettings server, List<Scenario> scenarios,
                       String origin) {

    public static final Settings DEFAULTS = new Settings(false, Provider.OPENAI, ServerSettings.defaults(), List.of(),
            "the default settings");

    public Settings {
        scenarios = List.copyOf(scenarios);
    }

    /** The settings that apply to a test (method null for the class itself). */
    public static Settings fromAnnotations(Class<?> testClass, Method method) {
        if (method != null) {
            Optional<LlmFaultTest> onMethod = AnnotationSupport.findAnnotation(method, LlmFaultTest.class);
            if (onMethod.isPresent()) {
                return of(onMethod.get(), "method " + Declared.describe(method));
            }
        }
        return forClass(testClass);
    }

    /** The settings of a class's shared server: its own {@code @LlmFaultTest} or that of an enclosing class. */
    public static Settings forClass(Class<?> testClass) {
        if (testClass == null) {
            return DEFAULTS;
        }
        List<Class<?>> chain = Declared.classChain(testClass);
        for (int i = chain.size() - 1; i >= 0; i--) {
            Class<?> c = chain.get(i);
            Optional<LlmFaultTest> a = AnnotationSupport.findAnnotation(c, LlmFaultTest.class);
            if (a.isPresent()) {
                return of(a.get(), "class " + c.getSimpleName());
            }
        }
        return DEFAULTS;
    }

    private static Settings of(LlmFaultTest a, String origin) {
        return new Settings(a.serverPerMethod(), a.provider(), ServerAnnotation.settings(a, origin), List.of(), origin);
    }

    /** Starts an embedded server with these settings. */
    public FakeLlmServer start() {
        try {
            return FakeLlmServer.start(server);
        } catch (IllegalArgumentException e) {
            throw ConfigErrors.of(origin + ": " + e.getMessage());
        }
    }
}
