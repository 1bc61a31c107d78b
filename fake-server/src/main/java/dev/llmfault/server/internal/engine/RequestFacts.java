package dev.llmfault.server.internal.engine;

import dev.llmfault.server.Provider;

import java.util.Map;

/**
 * What scenarios and policies may look at in a request: already parsed, credentials as fingerprints.
 *
 * @param headers lower-case names, raw values (never leaves the request thread)
 */
public record RequestFacts(Provider provider, String method, String path, String model, String keyFingerprint,
                           String keyMask, Map<String, String> headers, String clientAddress) {
}
