package dev.llmfault.server;

import dev.llmfault.server.internal.journal.Secrets;
import org.apiguardian.api.API;

import java.util.Locale;

/**
 * How the kit refers to a credential without keeping it: a SHA-256 fingerprint to match it, and a mask to show
 * it. The same functions the server uses for its journal, so a fingerprint computed here matches the server's.
 *
 * <pre>{@code
 * String key = "sk-test-0123456789abcdef";
 * server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED)
 *         .matchApiKeyFingerprint(Credentials.fingerprint(key), Credentials.mask(key))
 *         .build());
 * }</pre>
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class Credentials {
    private Credentials() {
    }

    /** The SHA-256 fingerprint (lower-case hex) of a secret: stable, and does not reveal the secret. */
    public static String fingerprint(String secret) {
        if (secret == null) {
            throw new IllegalArgumentException("secret: invalid value null, expected a key or token");
        }
        return Secrets.fingerprint(secret);
    }

    /** A secret's mask for display: {@code sk-proj-abcdef...wxyz} becomes {@code sk-pr***wxyz}; null stays null. */
    public static String mask(String secret) {
        return Secrets.mask(secret);
    }

    /**
     * Whether a query or form parameter of this name carries a credential ({@code key}, {@code api_key},
     * {@code access_token}, ...) as providers and OAuth define them; case-insensitive.
     */
    public static boolean isCredentialParameter(String name) {
        return name != null && Secrets.CREDENTIAL_PARAMS.contains(name.toLowerCase(Locale.ROOT));
    }
}
