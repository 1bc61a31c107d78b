package dev.llmfault.server;

import java.util.List;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The active scenarios of a server, in creation order: the first that matches a request and fires wins.
 * Thread-safe; counting is exact under concurrency.
 *
 * <pre>{@code
 * Scenario added = server.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).times(1).build());
 * ... run the client ...
 * assertThat(server.scenarios().firedCount(added.id())).isEqualTo(1);
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public interface Scenarios {

    /** Activates a scenario and returns it with its id (generated unless the scenario has one). */
    Scenario add(Scenario scenario);

    /** The active scenarios, in creation order. */
    List<Scenario> list();

    Optional<Scenario> find(String id);

    /** How many requests matched the scenario so far (fired or not). */
    long matchedCount(String id);

    /** How many faults the scenario injected so far. */
    long firedCount(String id);

    /** Removes one scenario; false when there is none with that id. */
    boolean remove(String id);

    /** Removes every scenario. */
    void clear();
}
