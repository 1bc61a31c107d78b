package dev.llmfault.server.internal.policy;

import dev.llmfault.server.internal.engine.RequestFacts;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.NetworkPolicy;
import dev.llmfault.server.Policies;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.VersionPolicy;
import dev.llmfault.server.internal.dialect.Rejection;
import dev.llmfault.server.internal.journal.Secrets;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * The emulated policies in the order a real provider applies them: network, credentials, versions,
 * then rate limits and quota (last, so refused requests do not use up the window). Each policy is an
 * immutable value plus a gate holding its state; replacing a policy replaces its gate, so counters start
 * afresh. Off policies cost one volatile read each.
 */
public final class PolicyEngine implements Policies {
    private final LongSupplier clock;
    private volatile NetworkGate network;
    private volatile CredentialGate credentials;
    private volatile VersionGate versions;
    private volatile RateLimiter rateLimits;
    /** Outlives every policy change: a token's owner stays true whichever credential policy is on. */
    private final OAuthTokenOwners tokenOwners = new OAuthTokenOwners();

    public PolicyEngine(LongSupplier nanoClock) {
        this.clock = nanoClock;
    }

    /** The verdict for a request that passed validation and scenarios. */
    public Verdict evaluate(RequestFacts request) {
        NetworkGate n = network;
        Rejection r = n == null ? null : n.check(request);
        CredentialGate c = credentials;
        if (r == null && c != null) r = c.check(request);
        VersionGate v = versions;
        if (r == null && v != null) r = v.check(request);
        if (r != null) {
            return Verdict.refuse(r);
        }
        RateLimiter limiter = rateLimits;
        return limiter == null ? Verdict.PASS : limiter.admit(request);
    }

    /** A refusal when the version policy retired this endpoint, else null. */
    public Rejection retiredEndpoint(String method, String path) {
        VersionGate v = versions;
        return v == null ? null : v.retiredEndpoint(method, path);
    }

    /** The credential gate when the credential policy is on: the OAuth endpoint issues tokens through it. */
    public Optional<CredentialGate> credentialGate() {
        return Optional.ofNullable(credentials);
    }

    /** Whom the OAuth endpoint issued each token to (by fingerprint), with or without a credential policy. */
    public OAuthTokenOwners tokenOwners() {
        return tokenOwners;
    }

    @Override
    public void credentials(CredentialPolicy policy) {
        credentials = policy == null ? null : new CredentialGate(policy, clock);
    }

    @Override
    public Optional<CredentialPolicy> credentials() {
        return policy(credentials, CredentialGate::policy);
    }

    @Override
    public void rateLimits(RateLimitPolicy policy) {
        rateLimits = policy == null ? null : new RateLimiter(policy, clock);
    }

    @Override
    public Optional<RateLimitPolicy> rateLimits() {
        return policy(rateLimits, RateLimiter::policy);
    }

    @Override
    public void network(NetworkPolicy policy) {
        network = policy == null ? null : new NetworkGate(policy);
    }

    @Override
    public Optional<NetworkPolicy> network() {
        return policy(network, NetworkGate::policy);
    }

    @Override
    public void versions(VersionPolicy policy) {
        versions = policy == null ? null : new VersionGate(policy);
    }

    @Override
    public Optional<VersionPolicy> versions() {
        return policy(versions, VersionGate::policy);
    }

    @Override
    public boolean revoke(String credential) {
        return revokeFingerprint(Secrets.fingerprint(credential));
    }

    /** Revokes by fingerprint, so a remote client can revoke without sending the secret again. */
    public boolean revokeFingerprint(String fingerprint) {
        CredentialGate c = credentials;
        return c != null && c.revoke(fingerprint);
    }

    @Override
    public void clear() {
        network = null;
        credentials = null;
        versions = null;
        rateLimits = null;
    }

    private static <G, P> Optional<P> policy(G gate, Function<G, P> get) {
        return gate == null ? Optional.empty() : Optional.of(get.apply(gate));
    }
}
