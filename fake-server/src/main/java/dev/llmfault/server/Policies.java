package dev.llmfault.server;

import java.util.Optional;
import org.apiguardian.api.API;

/**
 * The emulated policies of a server: faults that happen for real because a credential expired, a rate
 * window filled, an address is denied or a version is retired. Each is off until set and can be set,
 * replaced or turned off while the server runs; setting one starts its counters afresh.
 *
 * <pre>{@code
 * server.policies().rateLimits(RateLimitPolicy.builder().requestsPerWindow(5).window(Duration.ofSeconds(1)).build());
 * server.policies().credentials(CredentialPolicy.builder().apiKey("sk-live-1234567890abcdef").build());
 * server.policies().revoke("sk-live-1234567890abcdef");   // now refused as INVALID_TOKEN
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public interface Policies {

    /** Sets the credential policy; null turns it off (any non-empty key passes). */
    void credentials(CredentialPolicy policy);

    Optional<CredentialPolicy> credentials();

    /** Sets the rate-limit and quota policy; null turns it off. */
    void rateLimits(RateLimitPolicy policy);

    Optional<RateLimitPolicy> rateLimits();

    /** Sets the network policy; null turns it off. */
    void network(NetworkPolicy policy);

    Optional<NetworkPolicy> network();

    /** Sets the version policy; null turns it off. */
    void versions(VersionPolicy policy);

    Optional<VersionPolicy> versions();

    /** Revokes an API key or an issued token (access or refresh); false when the server does not know it. */
    boolean revoke(String credential);

    /** Turns every policy off. */
    void clear();
}
