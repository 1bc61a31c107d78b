package dev.llmfault.junit.internal;

import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultScenarios;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.function.BiConsumer;

/**
 * Turns {@link LlmFaultScenario} annotations into server scenarios. Every value is checked by
 * {@code Scenario.Builder#build()}, whose message names the field; the error adds the annotation and the
 * place it was declared.
 */
public final class ScenarioAnnotations {
    private static final String NAME = "LlmFaultScenario";

    private ScenarioAnnotations() {
    }

    /** The scenarios declared for a test, class ones first; fails on the first wrong value. */
    public static List<Scenario> forTest(Class<?> testClass, Method method) {
        List<Scenario> out = new ArrayList<>();
        for (Declared<LlmFaultScenario> d : Declared.forTest(testClass, method, LlmFaultScenario.class,
                LlmFaultScenarios.class, LlmFaultScenarios::value)) {
            out.addAll(toScenarios(d));
        }
        return out;
    }

    static List<Scenario> toScenarios(Declared<LlmFaultScenario> declared) {
        LlmFaultScenario a = declared.annotation();
        String origin = declared.origin();
        List<Provider> providers = new ArrayList<>(new LinkedHashSet<>(List.of(a.provider())));
        if (providers.isEmpty()) {
            providers.add(null);
        }
        List<Scenario> out = new ArrayList<>();
        for (Provider provider : providers) {
            Scenario.Builder b = Scenario.builder(a.fault());
            if (provider != null) b.provider(provider);
            if (a.times() != LlmFaultScenario.UNLIMITED) b.times(a.times());
            b.after(a.after());
            if (a.every() != 1) b.every(a.every());
            b.probability(a.probability());
            if (a.seed() != LlmFaultScenario.UNSET_LONG) b.seed(a.seed());
            if (a.fromMs() != LlmFaultScenario.UNSET_LONG) b.fromMs(a.fromMs());
            if (a.untilMs() != LlmFaultScenario.UNSET_LONG) b.untilMs(a.untilMs());
            if (a.retryAfterMs() != LlmFaultScenario.UNSET_LONG) b.retryAfterMs(a.retryAfterMs());
            if (a.shouldRetry() != LlmFaultScenario.ShouldRetry.UNSET) {
                b.shouldRetry(a.shouldRetry() == LlmFaultScenario.ShouldRetry.TRUE);
            }
            if (a.delayMs() != LlmFaultScenario.UNSET_LONG) b.delayMs(a.delayMs());
            if (a.afterChunks() != LlmFaultScenario.UNSET) b.afterChunks(a.afterChunks());
            if (a.status() != LlmFaultScenario.UNSET) b.status(a.status());
            headers("headers", a.headers(), origin, b::header);
            if (!a.body().isEmpty()) b.body(a.body());
            if (!a.id().isEmpty()) {
                b.id(providers.size() > 1 ? a.id() + "-" + provider.name().toLowerCase(Locale.ROOT) : a.id());
            }
            LlmFaultScenario.Match m = a.match();
            if (!m.path().isEmpty()) b.matchPath(m.path());
            if (!m.model().isEmpty()) b.matchModel(m.model());
            if (!m.apiKey().isEmpty()) b.matchApiKey(m.apiKey());
            headers("match.headers", m.headers(), origin, b::matchHeader);
            out.add(build(b, a, origin));
        }
        return out;
    }

    private static Scenario build(Scenario.Builder b, LlmFaultScenario a, String origin) {
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(':');
            String field = colon > 0 ? message.substring(0, colon) : "fault";
            throw ConfigErrors.invalid(NAME, field, valueOf(a, field), origin, message);
        }
    }

    /** The annotation's value of a field named by the builder ("times", "match.path", "headers.X-Y"). */
    private static Object valueOf(LlmFaultScenario a, String field) {
        try {
            Object target = a;
            Class<?> type = LlmFaultScenario.class;
            String[] parts = field.split("\\.");
            if (parts[0].equals("match") && parts.length > 1) {
                target = a.match();
                type = LlmFaultScenario.Match.class;
                parts = java.util.Arrays.copyOfRange(parts, 1, parts.length);
            }
            if (parts[0].equals("apiKeyFingerprint")) {
                return "***";
            }
            return type.getMethod(parts[0]).invoke(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return "?";
        }
    }

    private static void headers(String element, String[] lines, String origin, BiConsumer<String, String> sink) {
        for (String line : lines) {
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw ConfigErrors.invalid(NAME, element, line, origin,
                        element + ": invalid value '" + line + "', expected \"Name: value\"");
            }
            sink.accept(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
        }
    }
}
