package dev.llmfault.server.internal.policy;

import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * Whom each token of the OAuth endpoint was issued to: token fingerprint to owner fingerprint, where the owner
 * is the client secret the grant was made for (or, for a refreshed grant, the owner of the refresh token). A
 * test scoped to its key sends that key as its OAuth client secret, so the token request, and every request
 * bearing a token obtained with it, count for the key: its journal view and its scenarios see them. Only
 * fingerprints are kept, never a token or a secret.
 *
 * <p>Bounded: the oldest {@value #CAPACITY} tokens are remembered, enough for every test running at once on a
 * shared server; a token forgotten still works, its requests just count for its own fingerprint alone. Lookups,
 * one per request that carries a credential, take no lock.
 *
 * <pre>{@code
 * owners.issued(Secrets.fingerprint(accessToken), Secrets.fingerprint(clientSecret));
 * owners.ownerOf(Secrets.fingerprint(accessToken));   // the client secret's fingerprint
 * }</pre>
 */
public final class OAuthTokenOwners {
    /** Tokens remembered: an access and a refresh token per grant, so half as many grants. */
    static final int CAPACITY = 20_000;

    private final int capacity;
    private final Map<String, String> owners = new ConcurrentHashMap<>();
    /** Insertion order, to forget the oldest first. */
    private final Queue<String> order = new ConcurrentLinkedQueue<>();

    OAuthTokenOwners() {
        this(CAPACITY);
    }

    OAuthTokenOwners(int capacity) {
        this.capacity = capacity;
    }

    /** Records that the token of this fingerprint belongs to {@code owner} (a fingerprint); a null owner records nothing. */
    void issued(String tokenFingerprint, String owner) {
        if (owner == null || owners.putIfAbsent(tokenFingerprint, owner) != null) {
            return;
        }
        order.add(tokenFingerprint);
        while (owners.size() > capacity) {
            String oldest = order.poll();
            if (oldest == null) {
                break;
            }
            owners.remove(oldest);
        }
    }

    /** The fingerprint of the owner of the token of this fingerprint, or null when the endpoint did not issue it. */
    public String ownerOf(String tokenFingerprint) {
        if (tokenFingerprint == null || owners.isEmpty()) {
            return null; // the common case: no OAuth in use, one volatile read
        }
        return owners.get(tokenFingerprint);
    }

    int size() {
        return owners.size();
    }
}
