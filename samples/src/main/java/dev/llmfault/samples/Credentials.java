package dev.llmfault.samples;

import java.util.Objects;

/**
 * Where a client gets the credential it sends, and the seam for token lifecycles: a static API key never
 * changes, an OAuth token ({@link OAuthClientCredentials}) is fetched, refreshed before it expires, and
 * refreshed once more when the server says it expired anyway.
 *
 * <pre>{@code
 * Credentials key = Credentials.apiKey(System.getenv("OPENAI_API_KEY"));
 * Credentials oauth = OAuthClientCredentials.builder(URI.create("https://auth.example/oauth/token"), "id", "secret").build();
 * }</pre>
 */
public interface Credentials {

    /** The credential to send now; an expiring token is renewed first when it is about to expire. */
    String current();

    /**
     * The server refused {@code rejected} as expired: get a new credential if this source can. Returns true
     * when a different credential is ready (possibly renewed by another thread meanwhile), false when
     * there is nothing to refresh (a static key).
     */
    default boolean refreshAfterRejection(String rejected) {
        return false;
    }

    /** A fixed API key: nothing to refresh. */
    static Credentials apiKey(String key) {
        Objects.requireNonNull(key, "key");
        return new Credentials() {
            @Override
            public String current() {
                return key;
            }

            @Override
            public String toString() {
                return "apiKey(" + KeyMask.mask(key) + ")";
            }
        };
    }
}
