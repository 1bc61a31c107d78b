package dev.llmfault.server.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Rules kept on a remote server under one admin path (scenarios, reply rules), seen through one handle. A
 * handle scoped to a key adds its rules for that key only (unless a rule names a key itself); a scoped or
 * own-view handle lists, counts and clears only its own: those it added, and, scoped, those of its key.
 *
 * <pre>{@code
 * final class RemoteScenarios extends RemoteRules<Scenario> implements Scenarios { ... }
 * }</pre>
 *
 * @param <R> the rule type
 */
abstract class RemoteRules<R> {
    private final AdminClient admin;
    private final KeyScope scope;
    private final boolean ownView;
    /** Ids added through this handle: a scoped handle owns them even when they match another key. */
    private final Set<String> own = ConcurrentHashMap.newKeySet();
    private final String path;
    private final String listField;
    private final List<String> counters;

    /**
     * @param path      the admin path, e.g. {@code /scenarios}
     * @param listField the field of the list answer that holds the rules
     * @param counters  the fields the admin answer adds next to a rule's own (the strict reader refuses them)
     */
    RemoteRules(AdminClient admin, KeyScope scope, boolean ownView, String path, String listField, List<String> counters) {
        this.admin = admin;
        this.scope = scope;
        this.ownView = ownView;
        this.path = path;
        this.listField = listField;
        this.counters = counters;
    }

    abstract String id(R rule);

    /** The fingerprint of the key the rule matches, or null. */
    abstract String keyFingerprint(R rule);

    /** The rule matching only this key. */
    abstract R scopedTo(R rule, KeyScope scope);

    abstract R withId(R rule, String id);

    abstract ObjectNode write(R rule);

    abstract R read(ObjectNode fields);

    public R add(R rule) {
        R scoped = scope != null && keyFingerprint(rule) == null ? scopedTo(rule, scope) : rule;
        String id = admin.post(path, write(scoped)).body().path("id").asText();
        own.add(id);
        return withId(scoped, id);
    }

    public List<R> list() {
        List<R> out = new ArrayList<>();
        for (JsonNode node : admin.get(path).body().path(listField)) {
            R rule = readAnswer(node);
            if (visible(rule)) {
                out.add(rule);
            }
        }
        return out;
    }

    public Optional<R> find(String id) {
        return fetch(id).map(this::readAnswer).filter(this::visible);
    }

    /** A counter the admin answer gives next to the rule (0 when the rule is gone). */
    long counter(String id, String field) {
        return fetch(id).map(n -> n.path(field).asLong()).orElse(0L);
    }

    public boolean remove(String id) {
        own.remove(id);
        return !admin.delete(path + "/" + AdminClient.encode(id)).notFound();
    }

    public void clear() {
        if (!ownView) {
            admin.delete(path);
            own.clear();
            return;
        }
        for (R rule : list()) {
            remove(id(rule));
        }
    }

    private Optional<JsonNode> fetch(String id) {
        AdminClient.Answer answer = admin.get(path + "/" + AdminClient.encode(id));
        return answer.notFound() ? Optional.empty() : Optional.of(answer.body());
    }

    private boolean visible(R rule) {
        return !ownView || own.contains(id(rule)) || (scope != null && scope.fingerprint().equals(keyFingerprint(rule)));
    }

    private R readAnswer(JsonNode node) {
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        fields.remove(counters);
        return read(fields);
    }
}
