package dev.llmfault.server.internal.engine;

import dev.llmfault.server.Provider;

import java.util.List;
import java.util.Map;

/**
 * What scenarios and policies look at in a request, read once by the pipeline. The raw credential and the
 * raw headers never leave the request thread; scenarios match keys by fingerprint.
 *
 * @param headers        lower-case names, raw values
 * @param peerAddress    the address the connection came from
 * @param credential     the raw credential, null when none was sent
 * @param requestTokens  prompt tokens plus the reserved output tokens, 0 for calls without a body
 * @param knownModels    the models the server lists for this provider
 * @param modelCall      whether the request asks the model for an answer (not a model list or a stored resource)
 * @param tokenOwner     the fingerprint of the client secret the credential (a token of the OAuth endpoint) was
 *                       issued to, or null
 */
public record RequestFacts(Provider provider, String path, Map<String, String> headers, String peerAddress,
                           String credential, String keyFingerprint, String model, int requestTokens,
                           List<String> knownModels, boolean modelCall, String tokenOwner) {

    /**
     * Whether the request counts for the key of this fingerprint: sent with it, or with a token issued to it as
     * OAuth client secret. How a scenario scoped to a test's key finds the test's token-bearing calls.
     */
    public boolean countsFor(String fingerprint) {
        return fingerprint.equals(keyFingerprint) || fingerprint.equals(tokenOwner);
    }

    /** The key the request counts for: its token's owner, else its own credential's fingerprint, else null. */
    public String keyScope() {
        return tokenOwner != null ? tokenOwner : keyFingerprint;
    }
}
