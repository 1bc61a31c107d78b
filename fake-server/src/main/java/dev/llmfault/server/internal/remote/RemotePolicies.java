package dev.llmfault.server.internal.remote;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Policies;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.VersionPolicy;
import dev.llmfault.server.internal.config.PolicyCodec;
import dev.llmfault.server.internal.journal.Secrets;
import dev.llmfault.server.internal.json.Json;

import java.util.Optional;
import java.util.function.Function;

/**
 * The policies of a remote server through {@code /__admin/policies}. Credentials travel as fingerprints
 * ({@link PolicyCodec#writeForTransfer}), and revocation sends a fingerprint, so no key or secret is sent twice.
 * Policies are server-wide: a handle scoped to one key may read them but not change them, since that would
 * change the server under every other test sharing it.
 */
final class RemotePolicies implements Policies {
    private final AdminClient admin;
    private final KeyScope scope;

    RemotePolicies(AdminClient admin, KeyScope scope) {
        this.admin = admin;
        this.scope = scope;
    }

    @Override
    public void credentials(CredentialPolicy policy) {
        put("credentials", policy == null ? null : PolicyCodec.writeForTransfer(policy));
    }

    @Override
    public Optional<CredentialPolicy> credentials() {
        return get("credentials", PolicyCodec::readCredentials);
    }

    @Override
    public void rateLimits(RateLimitPolicy policy) {
        put("rateLimits", policy == null ? null : PolicyCodec.write(policy));
    }

    @Override
    public Optional<RateLimitPolicy> rateLimits() {
        return get("rateLimits", PolicyCodec::readRateLimits);
    }

    @Override
    public void network(NetworkPolicy policy) {
        put("network", policy == null ? null : PolicyCodec.write(policy));
    }

    @Override
    public Optional<NetworkPolicy> network() {
        return get("network", PolicyCodec::readNetwork);
    }

    @Override
    public void versions(VersionPolicy policy) {
        put("versions", policy == null ? null : PolicyCodec.write(policy));
    }

    @Override
    public Optional<VersionPolicy> versions() {
        return get("versions", PolicyCodec::readVersions);
    }

    @Override
    public boolean revoke(String credential) {
        checkWritable();
        AdminClient.Answer answer = admin.post("/policies/credentials/revocations",
                Json.object().put("fingerprint", Secrets.fingerprint(credential)));
        return answer.status() == 200;
    }

    @Override
    public void clear() {
        checkWritable();
        admin.delete("/policies");
    }

    private void put(String name, JsonNode body) {
        checkWritable();
        if (body == null) {
            admin.delete("/policies/" + name);
        } else if (admin.put("/policies/" + name, body).notFound()) {
            // an older server without policies: setting one must not pass silently, the test would prove nothing
            throw new IllegalStateException("the LLM Fault Kit server at " + admin.root() + " has no PUT /__admin/policies/"
                    + name + " (404): it predates emulated policies; run the server of the same version as this client");
        }
    }

    private <P> Optional<P> get(String name, Function<JsonNode, P> read) {
        JsonNode policy = admin.get("/policies/" + name).body().path(name);
        return policy.isMissingNode() || policy.isNull() ? Optional.empty() : Optional.of(read.apply(policy));
    }

    private void checkWritable() {
        if (scope != null) {
            throw new IllegalStateException("policies are server-wide: a handle scoped to the key " + scope.mask()
                    + " cannot change them without changing them for every test sharing the server; set them on the"
                    + " server itself (its config file or an unscoped handle)");
        }
    }
}
