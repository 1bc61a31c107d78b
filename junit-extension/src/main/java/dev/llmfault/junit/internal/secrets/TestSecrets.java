package dev.llmfault.junit.internal.secrets;

import dev.llmfault.junit.LlmCredentials;
import dev.llmfault.junit.internal.Declared;
import dev.llmfault.junit.internal.TestSession;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.FakeLlmServer;

import java.lang.reflect.Method;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Gathers the credentials of one test, anew each time it is asked (the journal grows as the test runs): the
 * test's own key, the keys and client secrets of its {@code @LlmCredentials}, the keys and client secrets of the
 * server's credential policy (by fingerprint), and every credential its requests carried (by fingerprint, which
 * covers the tokens the server issued and the JWTs a Zhipu client signed).
 */
public final class TestSecrets {
    private TestSecrets() {
    }

    public static Supplier<KnownSecrets> of(TestSession session, Class<?> testClass, Method method) {
        List<Declared<LlmCredentials>> declared = Declared.forTest(testClass, method, LlmCredentials.class);
        LlmCredentials credentials = declared.isEmpty() ? null : declared.get(declared.size() - 1).annotation();
        return () -> gather(session, credentials);
    }

    private static KnownSecrets gather(TestSession session, LlmCredentials credentials) {
        KnownSecrets s = KnownSecrets.none().withClear(session.apiKey(), "the test's API key (@LlmApiKey)");
        if (credentials != null) {
            for (String key : credentials.apiKeys()) {
                s = s.withClear(key, "an API key of @LlmCredentials");
                int dot = key.indexOf('.');
                if (dot > 0 && dot < key.length() - 1) {
                    s = s.withClear(key.substring(dot + 1), "the secret half of the Zhipu key " + key.substring(0, dot));
                }
            }
            for (String client : credentials.oauthClients()) {
                int colon = client.indexOf(':');
                if (colon > 0) {
                    s = s.withClear(client.substring(colon + 1), "the OAuth client secret of " + client.substring(0, colon));
                }
            }
        }
        FakeLlmServer server = session.handle();
        try {
            Optional<CredentialPolicy> policy = server.policies().credentials();
            if (policy.isPresent()) {
                for (CredentialPolicy.RegisteredKey k : policy.get().apiKeys()) {
                    s = s.withFingerprint(k.fingerprint(), "an API key of the server's credential policy");
                }
                for (CredentialPolicy.OAuthClient c : policy.get().oauthClients()) {
                    s = s.withFingerprint(c.secretFingerprint(), "the OAuth client secret of " + c.clientId());
                }
            }
            s = s.withSentBy(server.journal().entries());
        } catch (RuntimeException unreachable) {
            // a remote server gone away: the secrets in clear still count
        }
        return s;
    }
}
