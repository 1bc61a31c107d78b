package dev.llmfault.server.internal.engine;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Scenario;

import java.util.Map;

/**
 * A scenario plus its counters. {@link #decide} is synchronized: the decision and the counting happen as
 * one step, so {@code times: 2} under 50 concurrent requests yields exactly 2 faults. The lock is per
 * scenario and held for a few comparisons, so it is cheap even on the hot path.
 */
final class ActiveScenario {
    private final Scenario scenario;
    private final long createdNanos;
    private final long seed;
    private long matched;
    private long fired;

    ActiveScenario(Scenario scenario, long createdNanos, long serverSeed) {
        this.scenario = scenario;
        this.createdNanos = createdNanos;
        this.seed = scenario.seed() != null ? scenario.seed() : serverSeed;
    }

    Scenario scenario() {
        return scenario;
    }

    synchronized long matched() {
        return matched;
    }

    synchronized long fired() {
        return fired;
    }

    /** Counts the request if it matches, and returns an injection when the triggers say so. */
    Injection decide(RequestFacts facts, long nowNanos) {
        if (!matches(facts)) {
            return null;
        }
        synchronized (this) {
            long n = matched++;
            if (n < scenario.after()) {
                return null;
            }
            Integer every = scenario.every();
            if (every != null && (n - scenario.after()) % every != 0) {
                return null;
            }
            long elapsedMs = (nowNanos - createdNanos) / 1_000_000L;
            if (scenario.fromMs() != null && elapsedMs < scenario.fromMs()) {
                return null;
            }
            if (scenario.untilMs() != null && elapsedMs >= scenario.untilMs()) {
                return null;
            }
            if (scenario.probability() < 1.0 && SeededCoin.toss(seed, n) >= scenario.probability()) {
                return null;
            }
            if (scenario.times() != null && fired >= scenario.times()) {
                return null;
            }
            fired++;
            return new Injection(scenario, n);
        }
    }

    private boolean matches(RequestFacts f) {
        if (scenario.provider() != null && scenario.provider() != f.provider()) {
            return false;
        }
        if (scenario.fault().kind() == Fault.Kind.MODEL_OUTPUT && !f.modelCall()) {
            return false; // the model's own failures need an answer of the model: a model list does not count
        }
        Scenario.Match m = scenario.match();
        if (m.path() != null && !m.path().equals(f.path())) {
            return false;
        }
        if (m.model() != null && !m.model().equals(f.model())) {
            return false;
        }
        if (m.apiKeyFingerprint() != null && !f.countsFor(m.apiKeyFingerprint())) {
            return false;
        }
        for (Map.Entry<String, String> h : m.headers().entrySet()) {
            if (!h.getValue().equals(f.headers().get(h.getKey()))) {
                return false;
            }
        }
        return true;
    }
}
