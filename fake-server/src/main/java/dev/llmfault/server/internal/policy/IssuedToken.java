package dev.llmfault.server.internal.policy;

import java.time.Instant;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An access token the OAuth endpoint issued, known by fingerprint only.
 *
 * @param expiresAtNanos on the {@link System#nanoTime()} scale, so lifetimes of milliseconds are exact
 */
record IssuedToken(String clientId, Set<String> scopes, long expiresAtNanos, Instant expiresAt, Integer maxUses,
                   AtomicInteger uses) {
}
