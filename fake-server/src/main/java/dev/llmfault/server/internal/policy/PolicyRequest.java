package dev.llmfault.server.internal.policy;

import dev.llmfault.server.Provider;

import java.util.List;
import java.util.Map;

/**
 * What the policies look at. The raw credential never leaves the request thread.
 *
 * @param headers        lower-case names
 * @param requestTokens  prompt tokens plus the requested {@code max_tokens}, 0 for calls without a body
 * @param knownModels    the models the server lists for this provider
 */
public record PolicyRequest(Provider provider, String method, String path, Map<String, String> headers,
                            String peerAddress, String credential, String keyFingerprint, String model,
                            int requestTokens, List<String> knownModels) {
}
