package dev.llmfault.junit.internal.secrets;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Credentials;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The credentials a test knows of: some in clear (the test's key, the keys and client secrets its annotations
 * declare, secrets named in an assertion), the others by SHA-256 fingerprint only (every credential the client
 * sent, as the journal keeps them, and the keys and client secrets of the server's credential policy). Each
 * with a short description for failure messages.
 *
 * <pre>{@code
 * KnownSecrets s = KnownSecrets.none().withClear("sk-test-123456789", "the test's API key");
 * }</pre>
 */
public final class KnownSecrets {
    private final Map<String, String> clear;
    private final Map<String, String> fingerprints;

    private KnownSecrets(Map<String, String> clear, Map<String, String> fingerprints) {
        this.clear = Map.copyOf(clear);
        this.fingerprints = Map.copyOf(fingerprints);
    }

    public static KnownSecrets none() {
        return new KnownSecrets(Map.of(), Map.of());
    }

    /** Secrets in clear -> what they are. */
    public Map<String, String> clear() {
        return clear;
    }

    /** SHA-256 hex of secrets -> what they are. */
    public Map<String, String> fingerprints() {
        return fingerprints;
    }

    public KnownSecrets withClear(String secret, String description) {
        if (secret == null || secret.isEmpty() || clear.containsKey(secret)) {
            return this;
        }
        Map<String, String> c = new LinkedHashMap<>(clear);
        c.put(secret, description);
        return new KnownSecrets(c, fingerprints);
    }

    public KnownSecrets withFingerprint(String fingerprint, String description) {
        if (fingerprint == null || fingerprints.containsKey(fingerprint)) {
            return this;
        }
        Map<String, String> f = new LinkedHashMap<>(fingerprints);
        f.put(fingerprint, description);
        return new KnownSecrets(clear, f);
    }

    /** Adds secrets named by the caller of an assertion. */
    public KnownSecrets withNamed(String... secrets) {
        KnownSecrets out = this;
        for (String s : secrets) {
            out = out.withClear(s, "a secret named in the assertion");
        }
        return out;
    }

    /** Adds the fingerprint of every credential the journal's requests carried. */
    public KnownSecrets withSentBy(List<JournalEntry> entries) {
        KnownSecrets out = this;
        for (JournalEntry e : entries) {
            if (e.apiKeyFingerprint() != null) {
                out = out.withFingerprint(e.apiKeyFingerprint(), "the credential of request #" + e.sequence()
                        + " (" + e.apiKeyMask() + ")");
            }
        }
        return out;
    }

    /** What a secret in clear is, or by its fingerprint; null when unknown. */
    String describe(String candidate) {
        String d = clear.get(candidate);
        return d != null ? d : fingerprints.get(Credentials.fingerprint(candidate));
    }
}
