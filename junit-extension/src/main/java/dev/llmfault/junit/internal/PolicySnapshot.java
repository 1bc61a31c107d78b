package dev.llmfault.junit.internal;

import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Policies;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.VersionPolicy;

/**
 * The policies of a shared remote server, as they were before a test's annotations changed some of them, so
 * that the test puts back exactly those and touches nothing else (a reset would also wipe the scenarios and
 * journal of everyone else using the server).
 *
 * <pre>{@code
 * PolicySnapshot before = PolicySnapshot.of(server.policies(), declared);
 * ... apply the declared policies, run the test ...
 * before.restore();
 * }</pre>
 */
record PolicySnapshot(Policies policies, PolicyAnnotations.Declared declared, CredentialPolicy credentials,
                      RateLimitPolicy rateLimits, NetworkPolicy network, VersionPolicy versions) {

    static PolicySnapshot of(Policies policies, PolicyAnnotations.Declared declared) {
        return new PolicySnapshot(policies, declared,
                declared.credentials() == null ? null : policies.credentials().orElse(null),
                declared.rateLimits() == null ? null : policies.rateLimits().orElse(null),
                declared.network() == null ? null : policies.network().orElse(null),
                declared.versions() == null ? null : policies.versions().orElse(null));
    }

    /** Puts back each policy the test declared (null: there was none, so it is removed). */
    void restore() {
        if (declared.credentials() != null) policies.credentials(credentials);
        if (declared.rateLimits() != null) policies.rateLimits(rateLimits);
        if (declared.network() != null) policies.network(network);
        if (declared.versions() != null) policies.versions(versions);
    }
}
