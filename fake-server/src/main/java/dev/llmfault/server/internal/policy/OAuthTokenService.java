package dev.llmfault.server.internal.policy;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.internal.journal.Secrets;
import dev.llmfault.server.internal.json.Json;

import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The OAuth2 token endpoint (RFC 6749): {@code client_credentials} and {@code refresh_token} grants,
 * client authentication by HTTP Basic or form fields. With the credential policy on, only registered
 * clients get tokens and the tokens expire for real; with it off, any client gets a token (the lenient
 * server accepts any credential anyway).
 *
 * <p>Every grant is recorded with its owner ({@link OAuthTokenOwners}): the fingerprint of the client secret it
 * was made for, or for a refreshed grant the owner of the refresh token. A test scoped to its key sends that key
 * as its client secret, and the tokens it gets count for the key.
 */
public final class OAuthTokenService {
    /**
     * The answer: status, JSON body, a short reason for the journal, and the fingerprint the request counts for
     * (the owner of the grant it asked for), or null when none is known.
     */
    public record Answer(int status, ObjectNode body, String reason, boolean badClient, String owner) {
        Answer withOwner(String owner) {
            return new Answer(status, body, reason, badClient, owner);
        }
    }

    private final PolicyEngine policies;

    public OAuthTokenService(PolicyEngine policies) {
        this.policies = policies;
    }

    /**
     * @param form        the decoded form fields
     * @param basicId     client id from HTTP Basic, or null
     * @param basicSecret client secret from HTTP Basic, or null
     */
    public Answer token(Map<String, String> form, String basicId, String basicSecret) {
        String clientSecret = basicId != null ? basicSecret : form.get("client_secret");
        String refresh = form.get("refresh_token");
        String owner = "refresh_token".equals(form.get("grant_type")) && refresh != null && !refresh.isBlank()
                ? policies.tokenOwners().ownerOf(Secrets.fingerprint(refresh)) : null;
        if (owner == null && clientSecret != null) {
            owner = Secrets.fingerprint(clientSecret);
        }
        return grant(form, basicId, clientSecret, owner).withOwner(owner);
    }

    private Answer grant(Map<String, String> form, String basicId, String clientSecret, String owner) {
        String grant = form.get("grant_type");
        if (grant == null || grant.isBlank()) {
            return error(400, "invalid_request", "grant_type is required (client_credentials or refresh_token)", false);
        }
        String clientId = basicId != null ? basicId : form.get("client_id");
        Optional<CredentialGate> gate = policies.credentialGate();
        switch (grant) {
            case "client_credentials" -> {
                if (clientId == null || clientSecret == null) {
                    return error(401, "invalid_client", "client authentication is required (HTTP Basic or client_id and client_secret)", true);
                }
                if (gate.isEmpty()) {
                    return granted(lenientGrant(scopes(form.get("scope"))), "lenient: any client gets a token", owner);
                }
                Optional<CredentialPolicy.OAuthClient> client = gate.get().authenticate(clientId, clientSecret);
                if (client.isEmpty()) {
                    return error(401, "invalid_client", "unknown client or wrong secret", true);
                }
                Set<String> asked = scopes(form.get("scope"));
                Set<String> granted = asked.isEmpty() ? client.get().scopes() : asked;
                if (!client.get().scopes().containsAll(granted)) {
                    return error(400, "invalid_scope", "the client may ask for " + client.get().scopes(), false);
                }
                return granted(gate.get().issue(clientId, granted), "client_credentials for " + clientId, owner);
            }
            case "refresh_token" -> {
                String refresh = form.get("refresh_token");
                if (refresh == null || refresh.isBlank()) {
                    return error(400, "invalid_request", "refresh_token is required", false);
                }
                if (gate.isEmpty()) {
                    return granted(lenientGrant(Set.of(CredentialPolicy.DEFAULT_SCOPE)), "lenient refresh", owner);
                }
                if (clientId != null && clientSecret != null && gate.get().authenticate(clientId, clientSecret).isEmpty()) {
                    return error(401, "invalid_client", "unknown client or wrong secret", true);
                }
                return gate.get().refresh(refresh, clientId)
                        .map(g -> granted(g, "refresh_token", owner))
                        .orElseGet(() -> error(400, "invalid_grant", "the refresh token is invalid, used, expired or revoked", false));
            }
            default -> {
                return error(400, "unsupported_grant_type", "grant_type '" + grant
                        + "' is not supported; allowed: client_credentials, refresh_token", false);
            }
        }
    }

    private static CredentialGate.Grant lenientGrant(Set<String> scopes) {
        return new CredentialGate.Grant(TokenIds.access(), TokenIds.refresh(), Duration.ofHours(1),
                scopes.isEmpty() ? Set.of(CredentialPolicy.DEFAULT_SCOPE) : scopes);
    }

    private static Set<String> scopes(String scope) {
        if (scope == null || scope.isBlank()) {
            return Set.of();
        }
        return new LinkedHashSet<>(Arrays.asList(scope.trim().split("\\s+")));
    }

    private Answer granted(CredentialGate.Grant g, String reason, String owner) {
        policies.tokenOwners().issued(Secrets.fingerprint(g.accessToken()), owner);
        policies.tokenOwners().issued(Secrets.fingerprint(g.refreshToken()), owner);
        ObjectNode body = Json.object();
        body.put("access_token", g.accessToken());
        body.put("token_type", "Bearer");
        long ms = g.lifetime().toMillis();
        body.put("expires_in", ms / 1000);         // RFC 6749 speaks whole seconds: rounded down, never late
        body.put("expires_in_ms", ms);             // exact, for lifetimes shorter than a second
        body.put("refresh_token", g.refreshToken());
        body.put("scope", String.join(" ", g.scopes()));
        return new Answer(200, body, "oauth: token issued (" + reason + ")", false, null);
    }

    private static Answer error(int status, String error, String description, boolean badClient) {
        ObjectNode body = Json.object().put("error", error).put("error_description", description);
        return new Answer(status, body, "oauth: " + error + ": " + description, badClient, null);
    }
}
