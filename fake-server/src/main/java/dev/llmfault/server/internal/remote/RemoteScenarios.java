package dev.llmfault.server.internal.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.Scenarios;
import dev.llmfault.server.internal.config.ScenarioCodec;

import java.util.List;

/**
 * The scenarios of a remote server through {@code /__admin/scenarios}. A scoped handle adds its scenarios
 * for its key only (unless a scenario names a key itself) and lists, clears and counts only its own.
 *
 * <pre>{@code
 * FakeLlmServer.connect(url + "?apiKeyFingerprint=" + fp).scenarios().add(scenario);   // fires only for that key
 * }</pre>
 */
final class RemoteScenarios extends RemoteRules<Scenario> implements Scenarios {
    RemoteScenarios(AdminClient admin, KeyScope scope, boolean ownView) {
        super(admin, scope, ownView, "/scenarios", "scenarios", List.of("matched", "fired"));
    }

    @Override
    public long matchedCount(String id) {
        return counter(id, "matched");
    }

    @Override
    public long firedCount(String id) {
        return counter(id, "fired");
    }

    @Override
    String id(Scenario scenario) {
        return scenario.id();
    }

    @Override
    String keyFingerprint(Scenario scenario) {
        return scenario.match().apiKeyFingerprint();
    }

    @Override
    Scenario scopedTo(Scenario scenario, KeyScope scope) {
        return scenario.toBuilder().matchApiKeyFingerprint(scope.fingerprint(), scope.mask()).build();
    }

    @Override
    Scenario withId(Scenario scenario, String id) {
        return scenario.toBuilder().id(id).build();
    }

    @Override
    ObjectNode write(Scenario scenario) {
        return ScenarioCodec.write(scenario);
    }

    @Override
    Scenario read(ObjectNode fields) {
        return ScenarioCodec.read(fields);
    }
}
