package dev.llmfault.server.internal.policy;

import dev.llmfault.server.internal.engine.RequestFacts;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.CredentialPolicy.OAuthClient;
import dev.llmfault.server.CredentialPolicy.RegisteredKey;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.dialect.Rejection;
import dev.llmfault.server.internal.journal.Secrets;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Applies a {@link CredentialPolicy} and keeps its state: the tokens issued by the OAuth endpoint (by
 * fingerprint), refresh tokens, and revocations.
 */
final class CredentialGate {
    private static final String EXPIRED_HEADER = "Bearer error=\"invalid_token\", error_description=\"The access token expired\"";
    private static final String INVALID_HEADER = "Bearer error=\"invalid_token\", error_description=\"The access token is invalid\"";

    private final CredentialPolicy policy;
    private final LongSupplier clock;
    private final Map<String, RegisteredKey> keys = new ConcurrentHashMap<>();
    private final Map<String, IssuedToken> tokens = new ConcurrentHashMap<>();
    private final Map<String, IssuedToken> refreshTokens = new ConcurrentHashMap<>();
    private final Set<String> revoked = ConcurrentHashMap.newKeySet();

    CredentialGate(CredentialPolicy policy, LongSupplier nanoClock) {
        this.policy = policy;
        this.clock = nanoClock;
        policy.apiKeys().forEach(k -> keys.put(k.fingerprint(), k));
    }

    CredentialPolicy policy() {
        return policy;
    }

    Rejection check(RequestFacts r) {
        if (r.credential() == null || r.credential().isEmpty()) {
            // only a provider that takes no credential by default (Ollama) gets here without one
            return Rejection.of(Fault.MISSING_TOKEN, "policy credentials: no credential sent");
        }
        String fp = r.keyFingerprint();
        if (revoked.contains(fp)) {
            return invalid("policy credentials: " + Secrets.mask(r.credential()) + " was revoked", INVALID_HEADER);
        }
        RegisteredKey key = keys.get(fp);
        if (key != null) {
            if (key.expiresAt() != null && !Instant.now().isBefore(key.expiresAt())) {
                return expired("policy credentials: key " + key.mask() + " expired at " + key.expiresAt());
            }
            return scope(key.scopes(), key.mask());
        }
        IssuedToken token = tokens.get(fp);
        if (token != null) {
            long now = clock.getAsLong();
            if (now >= token.expiresAtNanos()) {
                return expired("policy credentials: token expired " + (now - token.expiresAtNanos()) / 1_000_000 + " ms ago");
            }
            if (token.maxUses() != null) {
                int use = token.uses().incrementAndGet();
                if (use > token.maxUses()) {
                    return expired("policy credentials: token used up (" + token.maxUses() + " uses allowed)");
                }
            }
            return scope(token.scopes(), Secrets.mask(r.credential()));
        }
        if (r.provider() == Provider.ZHIPU) {
            Optional<ZhipuJwt.Parsed> jwt = ZhipuJwt.parse(r.credential());
            if (jwt.isPresent()) {
                return checkZhipuJwt(jwt.get());
            }
        }
        return invalid("policy credentials: unknown credential " + Secrets.mask(r.credential()), null);
    }

    private Rejection checkZhipuJwt(ZhipuJwt.Parsed jwt) {
        RegisteredKey key = keys.values().stream().filter(k -> jwt.apiKeyId().equals(k.zhipuId())).findFirst().orElse(null);
        if (key == null) {
            return invalid("policy credentials: JWT for unknown key id " + Secrets.mask(jwt.apiKeyId()), null);
        }
        if (!ZhipuJwt.verify(jwt, key.zhipuSecret())) {
            return invalid("policy credentials: JWT signature does not match key " + key.mask(), null);
        }
        long now = System.currentTimeMillis();
        if (jwt.expEpochMs() <= now) {
            return expired("policy credentials: JWT expired " + (now - jwt.expEpochMs()) + " ms ago (exp in epoch ms)");
        }
        if (revoked.contains(key.fingerprint())) {
            return invalid("policy credentials: key " + key.mask() + " was revoked", null);
        }
        return scope(key.scopes(), key.mask());
    }

    private Rejection scope(Set<String> scopes, String mask) {
        String needed = policy.requiredScope();
        if (needed != null && !scopes.contains(needed)) {
            return new Rejection(Fault.INSUFFICIENT_SCOPE, "", Vars.of(Placeholder.SCOPE, needed),
                    "policy credentials: " + mask + " lacks scope " + needed + " (has " + scopes + ")",
                    Map.of("WWW-Authenticate", "Bearer error=\"insufficient_scope\", scope=\"" + needed + "\""));
        }
        return null;
    }

    private static Rejection expired(String reason) {
        return new Rejection(Fault.EXPIRED_TOKEN, "", new Vars(), reason, Map.of("WWW-Authenticate", EXPIRED_HEADER));
    }

    private static Rejection invalid(String reason, String wwwAuthenticate) {
        return new Rejection(Fault.INVALID_TOKEN, "", new Vars(), reason,
                wwwAuthenticate == null ? Map.of() : Map.of("WWW-Authenticate", wwwAuthenticate));
    }

    // ---- OAuth ----

    /** The client with this id whose secret matches, or empty. */
    Optional<OAuthClient> authenticate(String clientId, String clientSecret) {
        if (clientId == null || clientSecret == null) {
            return Optional.empty();
        }
        String fp = Secrets.fingerprint(clientSecret);
        return policy.oauthClients().stream()
                .filter(c -> c.clientId().equals(clientId) && c.secretFingerprint().equals(fp)).findFirst();
    }

    /** Registers a fresh access token and refresh token for a client. */
    Grant issue(String clientId, Set<String> scopes) {
        String access = TokenIds.access();
        String refresh = TokenIds.refresh();
        Duration lifetime = policy.tokenLifetime();
        IssuedToken token = new IssuedToken(clientId, scopes, clock.getAsLong() + lifetime.toNanos(),
                Instant.now().plus(lifetime), policy.tokenMaxUses(), new AtomicInteger());
        tokens.put(Secrets.fingerprint(access), token);
        refreshTokens.put(Secrets.fingerprint(refresh), token);
        return new Grant(access, refresh, lifetime, scopes);
    }

    /** Exchanges a refresh token (once: refresh tokens rotate) for a new grant, or empty when it is not valid. */
    Optional<Grant> refresh(String refreshToken, String clientId) {
        String fp = Secrets.fingerprint(refreshToken);
        if (revoked.contains(fp)) {
            return Optional.empty();
        }
        IssuedToken previous = refreshTokens.get(fp);
        if (previous == null || (clientId != null && !clientId.equals(previous.clientId()))
                || !refreshTokens.remove(fp, previous)) {
            return Optional.empty();
        }
        return Optional.of(issue(previous.clientId(), previous.scopes()));
    }

    /** Revokes a registered key or an issued token; false when it is unknown. */
    boolean revoke(String fingerprint) {
        if (keys.containsKey(fingerprint) || tokens.containsKey(fingerprint) || refreshTokens.containsKey(fingerprint)) {
            revoked.add(fingerprint);
            return true;
        }
        return false;
    }

    /** What the token endpoint hands out; the only place the clear tokens exist, on their way to the client. */
    record Grant(String accessToken, String refreshToken, Duration lifetime, Set<String> scopes) {
    }
}
