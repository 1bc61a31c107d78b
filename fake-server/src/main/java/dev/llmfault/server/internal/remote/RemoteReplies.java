package dev.llmfault.server.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Replies;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.internal.config.ReplyCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The reply rules of a remote server through {@code /__admin/replies}, scoped like {@link RemoteScenarios}: a
 * handle scoped to a key adds rules that answer only that key (unless a rule names a key itself), and a scoped or
 * own-view handle lists and clears only its own.
 *
 * <pre>{@code
 * FakeLlmServer.connect(url + "?apiKeyFingerprint=" + fp).replies().add(rule);   // answers only that key's calls
 * }</pre>
 */
final class RemoteReplies implements Replies {
    private static final String PATH = "/replies";

    private final AdminClient admin;
    private final KeyScope scope;
    private final boolean ownView;
    private final Set<String> own = ConcurrentHashMap.newKeySet();

    RemoteReplies(AdminClient admin, KeyScope scope, boolean ownView) {
        this.admin = admin;
        this.scope = scope;
        this.ownView = ownView;
    }

    @Override
    public ReplyRule add(ReplyRule rule) {
        ReplyRule scoped = rule;
        if (scope != null && rule.match().apiKeyFingerprint() == null) {
            scoped = rule.toBuilder().matchApiKeyFingerprint(scope.fingerprint(), scope.mask()).build();
        }
        String id = admin.post(PATH, ReplyCodec.write(scoped)).body().path("id").asText();
        own.add(id);
        return scoped.toBuilder().id(id).build();
    }

    @Override
    public List<ReplyRule> list() {
        List<ReplyRule> out = new ArrayList<>();
        for (JsonNode node : admin.get(PATH).body().path("replies")) {
            ReplyRule r = read(node);
            if (visible(r)) {
                out.add(r);
            }
        }
        return out;
    }

    @Override
    public Optional<ReplyRule> find(String id) {
        return fetch(id).map(RemoteReplies::read).filter(this::visible);
    }

    @Override
    public long answeredCount(String id) {
        return fetch(id).map(n -> n.path("answered").asLong()).orElse(0L);
    }

    @Override
    public boolean remove(String id) {
        own.remove(id);
        return !admin.delete(PATH + "/" + AdminClient.encode(id)).notFound();
    }

    @Override
    public void clear() {
        if (!ownView) {
            admin.delete(PATH);
            own.clear();
            return;
        }
        for (ReplyRule r : list()) {
            remove(r.id());
        }
    }

    private Optional<JsonNode> fetch(String id) {
        AdminClient.Answer answer = admin.get(PATH + "/" + AdminClient.encode(id));
        return answer.notFound() ? Optional.empty() : Optional.of(answer.body());
    }

    private boolean visible(ReplyRule r) {
        return !ownView || own.contains(r.id())
                || (scope != null && scope.fingerprint().equals(r.match().apiKeyFingerprint()));
    }

    /** The admin answer carries a counter next to the rule's own fields; the strict reader wants those only. */
    private static ReplyRule read(JsonNode node) {
        ObjectNode fields = ((ObjectNode) node).deepCopy();
        fields.remove("answered");
        return ReplyCodec.read(fields);
    }
}
