package dev.llmfault.server.internal.remote;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Replies;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.internal.config.ReplyCodec;

import java.util.List;

/**
 * The reply rules of a remote server through {@code /__admin/replies}, scoped like {@link RemoteScenarios}: a
 * handle scoped to a key adds rules that answer only that key (unless a rule names a key itself), and a scoped or
 * own-view handle lists and clears only its own.
 *
 * <pre>{@code
 * FakeLlmServer.connect(url + "?apiKeyFingerprint=" + fp).replies().add(rule);   // answers only that key's calls
 * }</pre>
 */
final class RemoteReplies extends RemoteRules<ReplyRule> implements Replies {
    RemoteReplies(AdminClient admin, KeyScope scope, boolean ownView) {
        super(admin, scope, ownView, "/replies", "replies", List.of("answered"));
    }

    @Override
    public long answeredCount(String id) {
        return counter(id, "answered");
    }

    @Override
    String id(ReplyRule rule) {
        return rule.id();
    }

    @Override
    String keyFingerprint(ReplyRule rule) {
        return rule.match().apiKeyFingerprint();
    }

    @Override
    ReplyRule scopedTo(ReplyRule rule, KeyScope scope) {
        return rule.toBuilder().matchApiKeyFingerprint(scope.fingerprint(), scope.mask()).build();
    }

    @Override
    ReplyRule withId(ReplyRule rule, String id) {
        return rule.toBuilder().id(id).build();
    }

    @Override
    ObjectNode write(ReplyRule rule) {
        return ReplyCodec.write(rule);
    }

    @Override
    ReplyRule read(ObjectNode fields) {
        return ReplyCodec.read(fields);
    }
}
