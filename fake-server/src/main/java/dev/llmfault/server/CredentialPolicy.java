package dev.llmfault.server;

import dev.llmfault.server.internal.journal.Secrets;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import org.apiguardian.api.API;

/**
 * Emulated credentials: only registered API keys, OAuth tokens issued by the server's
 * {@code POST /oauth/token}, and (for Zhipu) JWTs signed with a registered {@code id.secret} key pass.
 * Keys can expire and be revoked, tokens expire after a lifetime (down to milliseconds) or a number of
 * uses, and a credential without the required scope gets INSUFFICIENT_SCOPE.
 *
 * <pre>{@code
 * server.policies().credentials(CredentialPolicy.builder()
 *         .apiKey("sk-live-1234567890abcdef", Set.of("model.request"), null)
 *         .oauthClient("my-app", "my-secret", Set.of("model.request"))
 *         .tokenLifetime(Duration.ofMillis(200))
 *         .build());
 * }</pre>
 *
 * <p>Keys and client secrets are kept as SHA-256 fingerprints and masks, never in clear; the one
 * exception is the secret half of a Zhipu {@code id.secret} key, which the server needs in memory to
 * verify the client's JWT signatures.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class CredentialPolicy {
    /** The scope a chat call needs unless configured otherwise. */
    public static final String DEFAULT_SCOPE = "model.request";

    private final List<RegisteredKey> apiKeys;
    private final List<OAuthClient> oauthClients;
    private final Duration tokenLifetime;
    private final Integer tokenMaxUses;
    private final String requiredScope;

    private CredentialPolicy(Builder b) {
        this.apiKeys = List.copyOf(b.apiKeys);
        this.oauthClients = List.copyOf(b.oauthClients);
        this.tokenLifetime = b.tokenLifetime;
        this.tokenMaxUses = b.tokenMaxUses;
        this.requiredScope = b.requiredScope;
    }

    public static Builder builder() {
        return new Builder();
    }

    public List<RegisteredKey> apiKeys() { return apiKeys; }
    public List<OAuthClient> oauthClients() { return oauthClients; }
    /** How long an issued access token lives. */
    public Duration tokenLifetime() { return tokenLifetime; }
    /** How many calls an issued access token allows, or null for no limit. */
    public Integer tokenMaxUses() { return tokenMaxUses; }
    /** The scope a provider call needs. */
    public String requiredScope() { return requiredScope; }

    /**
     * A registered API key, kept as fingerprint and mask.
     *
     * @param zhipuId     for a Zhipu {@code id.secret} key, the id (the JWT's {@code api_key}), else null
     * @param zhipuSecret for a Zhipu {@code id.secret} key, the secret that signs JWTs, else null
     * @param expiresAt   when the key stops working, or null for never
     */
    public record RegisteredKey(String fingerprint, String mask, Set<String> scopes, Instant expiresAt,
                                String zhipuId, String zhipuSecret) {
        public RegisteredKey {
            scopes = Set.copyOf(scopes);
        }

        @Override
        public String toString() {
            return "RegisteredKey{" + mask + ", scopes=" + scopes + (expiresAt == null ? "" : ", expiresAt=" + expiresAt) + "}";
        }
    }

    /** A client allowed to get tokens from {@code /oauth/token}; the secret is kept as a fingerprint. */
    public record OAuthClient(String clientId, String secretFingerprint, Set<String> scopes) {
        public OAuthClient {
            scopes = Set.copyOf(scopes);
        }
    }

    /** Builds a {@link CredentialPolicy}; {@link #build()} names the first invalid value. */
    public static final class Builder {
        private final List<RegisteredKey> apiKeys = new ArrayList<>();
        private final List<OAuthClient> oauthClients = new ArrayList<>();
        private Duration tokenLifetime = Duration.ofHours(1);
        private Integer tokenMaxUses;
        private String requiredScope = DEFAULT_SCOPE;

        private Builder() {
        }

        /** Registers a key with the default scope that never expires. */
        public Builder apiKey(String key) {
            return apiKey(key, Set.of(DEFAULT_SCOPE), null);
        }

        /**
         * Registers a key. A key of the form {@code id.secret} also verifies Zhipu JWTs signed with the secret.
         *
         * @param expiresAt null for never
         */
        public Builder apiKey(String key, Set<String> scopes, Instant expiresAt) {
            if (key == null || key.isBlank() || key.chars().anyMatch(c -> c <= ' ' || c >= 0x7f)) {
                throw new IllegalArgumentException("apiKeys: invalid key " + Secrets.mask(key)
                        + ", expected a non-empty key of printable ASCII without spaces");
            }
            String id = null;
            String secret = null;
            int dot = key.indexOf('.');
            if (dot > 0 && dot < key.length() - 1 && key.indexOf('.', dot + 1) < 0) {
                id = key.substring(0, dot);
                secret = key.substring(dot + 1);
            }
            apiKeys.add(new RegisteredKey(Secrets.fingerprint(key), Secrets.mask(key), scopes, expiresAt, id, secret));
            return this;
        }

        /**
         * Registers a key known only by its SHA-256 fingerprint (hex) and mask: how a client forwards a
         * policy to a remote server without sending the key again.
         */
        public Builder apiKeyFingerprint(String fingerprint, String mask, Set<String> scopes, Instant expiresAt) {
            if (fingerprint == null || !fingerprint.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("apiKeys.fingerprint: invalid value '" + fingerprint
                        + "', expected 64 lower-case hex digits (SHA-256)");
            }
            apiKeys.add(new RegisteredKey(fingerprint, mask == null ? "***" : mask, scopes, expiresAt, null, null));
            return this;
        }

        /** Registers an OAuth client known by the SHA-256 fingerprint (hex) of its secret. */
        public Builder oauthClientFingerprint(String clientId, String secretFingerprint, Set<String> scopes) {
            if (secretFingerprint == null || !secretFingerprint.matches("[0-9a-f]{64}")) {
                throw new IllegalArgumentException("oauthClients.clientSecretFingerprint: invalid value '"
                        + secretFingerprint + "', expected 64 lower-case hex digits (SHA-256)");
            }
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("oauthClients.clientId: invalid value '" + clientId + "', expected a non-empty id");
            }
            oauthClients.add(new OAuthClient(clientId, secretFingerprint, scopes));
            return this;
        }

        public Builder oauthClient(String clientId, String clientSecret, Set<String> scopes) {
            if (clientId == null || clientId.isBlank()) {
                throw new IllegalArgumentException("oauthClients.clientId: invalid value '" + clientId + "', expected a non-empty id");
            }
            if (clientSecret == null || clientSecret.isEmpty()) {
                throw new IllegalArgumentException("oauthClients.clientSecret: missing, expected a non-empty secret");
            }
            oauthClients.add(new OAuthClient(clientId, Secrets.fingerprint(clientSecret), scopes));
            return this;
        }

        public Builder tokenLifetime(Duration lifetime) {
            this.tokenLifetime = Objects.requireNonNull(lifetime, "tokenLifetime");
            return this;
        }

        public Builder tokenMaxUses(int uses) {
            this.tokenMaxUses = uses;
            return this;
        }

        public Builder requiredScope(String scope) {
            this.requiredScope = scope;
            return this;
        }

        public CredentialPolicy build() {
            if (tokenLifetime.isNegative() || tokenLifetime.isZero()) {
                throw new IllegalArgumentException("tokenLifetimeMs: invalid value " + tokenLifetime.toMillis()
                        + ", expected an integer >= 1");
            }
            if (tokenMaxUses != null && tokenMaxUses < 1) {
                throw new IllegalArgumentException("tokenMaxUses: invalid value " + tokenMaxUses + ", expected an integer >= 1");
            }
            if (requiredScope != null && requiredScope.isBlank()) {
                throw new IllegalArgumentException("requiredScope: invalid value '', expected a scope name or null");
            }
            return new CredentialPolicy(this);
        }
    }
}
