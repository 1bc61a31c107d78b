package dev.llmfault.server.secrets;

import dev.llmfault.server.Credentials;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Calls;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The public fingerprint and mask are the server's own: a fingerprint computed by a user matches the journal. */
class CredentialsTest {

    @Test
    void theFingerprintMatchesWhatTheServerJournalsAndTheMaskHidesTheKey() {
        String key = Calls.key(Provider.OPENAI);
        try (FakeLlmServer server = FakeLlmServer.start()) {
            Calls.chat(server, Provider.OPENAI, false);
            server.journal().awaitRequests(1, Duration.ofSeconds(5));
            assertThat(server.journal().find(JournalQuery.all().apiKeyFingerprint(Credentials.fingerprint(key))))
                    .hasSize(1).first().extracting(e -> e.apiKeyMask()).isEqualTo(Credentials.mask(key));
        }
        assertThat(Credentials.fingerprint(key)).matches("[0-9a-f]{64}");
        assertThat(Credentials.mask("sk-proj-abcdefghijklmnopwxyz")).isEqualTo("sk-pr***wxyz").doesNotContain("abcdef");
        assertThat(Credentials.isCredentialParameter("API_KEY")).isTrue();
        assertThat(Credentials.isCredentialParameter("model")).isFalse();
        assertThatThrownBy(() -> Credentials.fingerprint(null)).hasMessageStartingWith("secret: invalid value null");
    }
}
