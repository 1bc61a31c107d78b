package dev.llmfault.server.internal.engine;

import dev.llmfault.server.Scenario;
import dev.llmfault.server.Scenarios;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The active scenarios, evaluated in creation order; the first that matches and fires wins and the ones
 * after it do not see the request. Copy-on-write: requests read a snapshot without locking, and admin
 * changes are rare.
 */
public final class ScenarioEngine implements Scenarios {
    private final CopyOnWriteArrayList<ActiveScenario> active = new CopyOnWriteArrayList<>();
    private final AtomicLong ids = new AtomicLong();
    private final long serverSeed;

    public ScenarioEngine(long serverSeed) {
        this.serverSeed = serverSeed;
    }

    /** The injection for this request, or null when no scenario fires. */
    public Injection decide(RequestFacts facts) {
        if (active.isEmpty()) {
            return null;
        }
        long now = System.nanoTime();
        for (ActiveScenario s : active) {
            Injection injection = s.decide(facts, now);
            if (injection != null) {
                return injection;
            }
        }
        return null;
    }

    @Override
    public synchronized Scenario add(Scenario scenario) {
        Scenario withId = scenario;
        if (scenario.id() == null) {
            String id;
            do {
                id = "s-" + ids.incrementAndGet();
            } while (find(id).isPresent()); // a user may have taken "s-3" by hand
            withId = scenario.toBuilder().id(id).build();
        } else if (find(scenario.id()).isPresent()) {
            throw new IllegalArgumentException("id: invalid value '" + scenario.id()
                    + "', expected an id that no active scenario uses");
        }
        active.add(new ActiveScenario(withId, System.nanoTime(), serverSeed));
        return withId;
    }

    /** Adds all or none: when one is invalid or its id taken, nothing changes. */
    public synchronized List<Scenario> addAll(List<Scenario> scenarios) {
        List<ActiveScenario> before = List.copyOf(active);
        long idsBefore = ids.get();
        try {
            return scenarios.stream().map(this::add).toList();
        } catch (RuntimeException e) {
            active.clear();
            active.addAll(before);
            ids.set(idsBefore);
            throw e;
        }
    }

    @Override
    public List<Scenario> list() {
        return active.stream().map(ActiveScenario::scenario).toList();
    }

    @Override
    public Optional<Scenario> find(String id) {
        return state(id).map(ActiveScenario::scenario);
    }

    @Override
    public long matchedCount(String id) {
        return state(id).map(ActiveScenario::matched).orElse(0L);
    }

    @Override
    public long firedCount(String id) {
        return state(id).map(ActiveScenario::fired).orElse(0L);
    }

    @Override
    public synchronized boolean remove(String id) {
        return active.removeIf(s -> s.scenario().id().equals(id));
    }

    @Override
    public synchronized void clear() {
        active.clear();
    }

    private Optional<ActiveScenario> state(String id) {
        return active.stream().filter(s -> s.scenario().id().equals(id)).findFirst();
    }
}
