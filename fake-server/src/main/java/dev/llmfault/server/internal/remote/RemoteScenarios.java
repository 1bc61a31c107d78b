package dev.llmfault.server.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.Scenarios;
import dev.llmfault.server.internal.config.ScenarioCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The scenarios of a remote server through {@code /__admin/scenarios}. A scoped handle adds its scenarios
 * for its key only (unless a scenario names a key itself) and lists, clears and counts only its own.
 */
final class RemoteScenarios implements Scenarios {
    private final AdminClient admin;
    private final KeyScope scope;
    /** Lists, clears and counts only the scenarios this handle added (and, scoped, those of its key). */
    private final boolean ownView;
    /** Ids added through this handle: a scoped handle owns them even when they match another key. */
    private final Set<String> own = ConcurrentHashMap.newKeySet();

    RemoteScenarios(AdminClient admin, KeyScope scope, boolean ownView) {
        this.admin = admin;
        this.scope = scope;
        this.ownView = ownView;
    }

    @Override
    public Scenario add(Scenario scenario) {
        Scenario scoped = scenario;
        if (scope != null && scenario.match().apiKeyFingerprint() == null) {
            scoped = scenario.toBuilder().matchApiKeyFingerprint(scope.fingerprint(), scope.mask()).build();
        }
        String id = admin.post("/scenarios", ScenarioCodec.write(scoped)).body().path("id").asText();
        own.add(id);
        return scoped.toBuilder().id(id).build();
    }

    @Override
    public List<Scenario> list() {
        List<Scenario> out = new ArrayList<>();
        for (JsonNode node : admin.get("/scenarios").body().path("scenarios")) {
            Scenario s = read(node);
            if (visible(s)) {
                out.add(s);
            }
        }
        return out;
    }

    @Override
    public Optional<Scenario> find(String id) {
        return counters(id).map(RemoteScenarios::read).filter(this::visible);
    }

    @Override
    public long matchedCount(String id) {
        return counters(id).map(n -> n.path("matched").asLong()).orElse(0L);
    }

    @Override
    public long firedCount(String id) {
        return counters(id).map(n -> n.path("fired").asLong()).orElse(0L);
    }

    @Override
    public boolean remove(String id) {
        own.remove(id);
        return !admin.delete("/scenarios/" + AdminClient.encode(id)).notFound();
    }

    @Override
    public void clear() {
        if (!ownView) {
            admin.delete("/scenarios");
            own.clear();
            return;
        }
        for (Scenario s : list()) {
            remove(s.id());
        }
    }

    private Optional<JsonNode> counters(String id) {
        AdminClient.Answer answer = admin.get("/scenarios/" + AdminClient.encode(id));
        return answer.notFound() ? Optional.empty() : Optional.of(answer.body());
    }

    private boolean visible(Scenario s) {
        return !ownView || own.contains(s.id()) || (scope != null && scope.fingerprint().equals(s.match().apiKeyFingerprint()));
    }

    /** The admin answer carries counters next to the scenario's own fields; the strict reader wants those only. */
    private static Scenario read(JsonNode node) {
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        fields.remove(List.of("matched", "fired"));
        return ScenarioCodec.read(fields);
    }
}
