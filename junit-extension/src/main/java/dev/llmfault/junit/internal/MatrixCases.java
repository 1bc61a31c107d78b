package dev.llmfault.junit.internal;

import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.platform.commons.support.AnnotationSupport;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;

/** The cases of an {@link LlmFaultMatrix}: faults times providers, in declaration order, one invocation each. */
public final class MatrixCases {
    private static final String NAME = "LlmFaultMatrix";

    private MatrixCases() {
    }

    public static boolean isMatrix(Method method) {
        return AnnotationSupport.isAnnotated(method, LlmFaultMatrix.class);
    }

    public static List<TestTemplateInvocationContext> invocations(Method method, Settings settings) {
        LlmFaultMatrix m = matrix(method);
        String origin = "method " + Declared.describe(method);
        LinkedHashSet<Fault> faults = new LinkedHashSet<>(List.of(m.allFaults() ? Fault.values() : m.faults()));
        List<Fault.Kind> kinds = List.of(m.kinds());
        for (Fault f : Fault.values()) {
            if (kinds.contains(f.kind())) {
                faults.add(f);
            }
        }
        List.of(m.except()).forEach(faults::remove);
        if (faults.isEmpty()) {
            throw ConfigErrors.invalid(NAME, "faults", m.faults(), origin,
                    "faults: a matrix needs at least one fault (list them, name their kinds or set allFaults = true; "
                            + "except may not leave none), allowed: " + List.of(Fault.values()));
        }
        List<Provider> providers = m.providers().length == 0 ? List.of(settings.provider()) : List.of(m.providers());
        List<TestTemplateInvocationContext> out = new ArrayList<>();
        for (Fault fault : faults) {
            for (Provider provider : new LinkedHashSet<>(providers)) {
                FaultCase c = new FaultCase(fault, provider);
                scenarioFor(c, method); // checks times and the other values before any case runs
                out.add(new Invocation(c));
            }
        }
        return out;
    }

    /** The scenario a case installs. */
    public static Scenario scenarioFor(FaultCase c, Method method) {
        LlmFaultMatrix m = matrix(method);
        Scenario.Builder b = Scenario.builder(c.fault()).provider(c.provider());
        if (m.times() != LlmFaultScenario.UNLIMITED) b.times(m.times());
        if (m.retryAfterMs() != LlmFaultScenario.UNSET_LONG) b.retryAfterMs(m.retryAfterMs());
        if (m.delayMs() != LlmFaultScenario.UNSET_LONG) b.delayMs(m.delayMs());
        if (m.afterChunks() != LlmFaultScenario.UNSET) b.afterChunks(m.afterChunks());
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            String field = message.substring(0, Math.max(0, message.indexOf(':')));
            Object value = switch (field) {
                case "times" -> m.times();
                case "retryAfterMs" -> m.retryAfterMs();
                case "delayMs" -> m.delayMs();
                case "afterChunks" -> m.afterChunks();
                default -> "?";
            };
            throw ConfigErrors.invalid(NAME, field, value, "method " + Declared.describe(method), message);
        }
    }

    private static LlmFaultMatrix matrix(Method method) {
        return AnnotationSupport.findAnnotation(method, LlmFaultMatrix.class).orElseThrow();
    }

    /** One run of the matrix: its display name, and its case handed to the test's store before it starts. */
    private record Invocation(FaultCase faultCase) implements TestTemplateInvocationContext {
        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + faultCase + "]";
        }

        @Override
        public void prepareInvocation(ExtensionContext context) {
            context.getStore(Sessions.NAMESPACE).put(FaultCase.class, faultCase);
        }
    }
}
