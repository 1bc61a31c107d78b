package dev.llmfault.server.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.Credentials;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.Reply;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A test scoped to its key sends that key as its OAuth client secret: the token requests and every request
 * bearing a token obtained with it then count for the key (journal queries, waits, scenarios, reply rules,
 * a scoped remote handle), while only fingerprints and masks of the key and tokens are ever kept.
 */
class TokenOwnerTest {
    private static final String KEY = "sk-llmfault-0123456789abcdef0123456789abcdef";
    private static final String OTHER = "sk-llmfault-fedcba9876543210fedcba9876543210";

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private static JsonNode token(String secret) {
        return Calls.oauthToken(server.get(), "grant_type=client_credentials&client_id=my-app&client_secret="
                + URLEncoder.encode(secret, StandardCharsets.UTF_8)).json();
    }

    @Test
    void theTokenRequestAndTheCallsWithItsTokenCountForTheKeySentAsClientSecret() {
        String access = token(KEY).get("access_token").asText();
        String others = token(OTHER).get("access_token").asText();
        assertThat(Calls.chat(server.get(), Provider.OPENAI, access).status()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.ANTHROPIC, others).status()).isEqualTo(200);

        List<JournalEntry> mine = server.get().journal().find(JournalQuery.all().apiKey(KEY));

        assertThat(mine).extracting(JournalEntry::path).containsExactly("/oauth/token", "/v1/chat/completions");
        assertThat(mine).extracting(JournalEntry::keyScope).containsOnly(Credentials.fingerprint(KEY));
        JournalEntry asked = mine.get(0);
        assertThat(asked.apiKeyFingerprint()).as("its own credential: the client secret").isEqualTo(Credentials.fingerprint(KEY));
        assertThat(asked.apiKeyMask()).isEqualTo(Credentials.mask(KEY));
        JournalEntry call = mine.get(1);
        assertThat(call.apiKeyFingerprint()).isEqualTo(Credentials.fingerprint(access));
        assertThat(call.apiKeyMask()).isEqualTo(Credentials.mask(access));
        assertThat(call.tokenOwnerFingerprint()).isEqualTo(Credentials.fingerprint(KEY));
        assertThat(server.get().journal().find(JournalQuery.all().apiKey(access))).as("the token's own requests")
                .containsExactly(call);
        assertThat(server.get().journal().find(JournalQuery.all().apiKey(OTHER))).extracting(JournalEntry::provider)
                .containsExactly(null, Provider.ANTHROPIC);
        for (JournalEntry e : server.get().journal().entries()) {
            assertThat(e.toJson()).doesNotContain(KEY, OTHER, access, others); // fingerprints and masks only
        }
    }

    @Test
    void aRefreshedTokenKeepsItsOwnerWhetherOrNotTheClientAuthenticates() {
        JsonNode first = token(KEY);
        JsonNode refreshed = Calls.oauthToken(server.get(), "grant_type=refresh_token&refresh_token="
                + first.get("refresh_token").asText()).json();
        String basic = Base64.getEncoder().encodeToString(("my-app:" + KEY).getBytes(StandardCharsets.UTF_8));
        JsonNode viaBasic = Calls.oauthToken(server.get(), "grant_type=refresh_token&refresh_token="
                + refreshed.get("refresh_token").asText(), Map.of("Authorization", "Basic " + basic)).json();
        Calls.chat(server.get(), Provider.OPENAI, refreshed.get("access_token").asText());
        Calls.chat(server.get(), Provider.OPENAI, viaBasic.get("access_token").asText());

        List<JournalEntry> mine = server.get().journal().find(JournalQuery.all().apiKey(KEY));

        assertThat(mine).hasSize(5).extracting(JournalEntry::keyScope).containsOnly(Credentials.fingerprint(KEY));
        assertThat(mine.get(1).apiKeyFingerprint()).as("a refresh without client authentication: the refresh token")
                .isEqualTo(Credentials.fingerprint(first.get("refresh_token").asText()));
        assertThat(mine.get(1).body()).doesNotContain(first.get("refresh_token").asText());
    }

    @Test
    void aScenarioAndAReplyRuleForTheKeyApplyToTheCallsBearingItsTokens() {
        server.get().scenarios().add(Scenario.builder(Fault.EXPIRED_TOKEN).times(1).matchApiKey(KEY).build());
        server.get().replies().add(ReplyRule.builder().matchApiKey(KEY).reply(Reply.text("for the key")).build());
        String access = token(KEY).get("access_token").asText();
        String others = token(OTHER).get("access_token").asText();

        assertThat(Calls.chat(server.get(), Provider.OPENAI, others).body()).as("another key's token")
                .doesNotContain("for the key");
        assertThat(Calls.chat(server.get(), Provider.OPENAI, access).status()).isEqualTo(401);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, access).body()).contains("for the key");

        assertThat(server.get().journal().find(JournalQuery.all().apiKey(KEY).fault(Fault.EXPIRED_TOKEN))).hasSize(1);
    }

    @Test
    void withACredentialPolicyTheRegisteredClientsSecretOwnsItsTokens() {
        String secret = "client-secret-value-0123456789";
        server.get().policies().credentials(CredentialPolicy.builder().oauthClient("my-app", secret, Set.of("model.request"))
                .build());
        String access = token(secret).get("access_token").asText();
        assertThat(Calls.chat(server.get(), Provider.OPENAI, access).status()).isEqualTo(200);

        assertThat(server.get().journal().find(JournalQuery.all().apiKey(secret))).hasSize(2)
                .allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
    }

    /** A provider limits the account, not each token: a new token does not open a fresh rate window. */
    @Test
    void theTokensOfOneClientSecretShareItsRateWindow() {
        server.get().policies().rateLimits(RateLimitPolicy.builder().requestsPerWindow(2).window(Duration.ofMinutes(1))
                .build());
        String first = token(KEY).get("access_token").asText();
        String second = token(KEY).get("access_token").asText();

        assertThat(Calls.chat(server.get(), Provider.OPENAI, first).status()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, first).status()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, second).status()).as("the refreshed token").isEqualTo(429);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, token(OTHER).get("access_token").asText()).status())
                .as("another client's token").isEqualTo(200);
    }

    @Test
    void aHandleScopedToTheKeySeesAndAwaitsItsTokenRequestsAndTokenCalls() {
        URI scoped = URI.create(server.get().url() + "/?apiKeyFingerprint=" + Credentials.fingerprint(KEY));
        try (FakeLlmServer view = FakeLlmServer.connect(scoped)) {
            view.scenarios().add(Scenario.builder(Fault.EXPIRED_TOKEN).times(1).build()); // scoped to the key
            String first = token(KEY).get("access_token").asText();
            Calls.chat(server.get(), Provider.OPENAI, first);
            String second = token(KEY).get("access_token").asText();
            Calls.chat(server.get(), Provider.OPENAI, second);
            Calls.chat(server.get(), Provider.OPENAI, token(OTHER).get("access_token").asText());

            List<JournalEntry> seen = view.journal().awaitRequests(4, Duration.ofSeconds(5));

            assertThat(seen).extracting(JournalEntry::path).containsExactly("/oauth/token", "/v1/chat/completions",
                    "/oauth/token", "/v1/chat/completions");
            assertThat(seen).extracting(JournalEntry::status).containsExactly(200, 401, 200, 200);
            assertThat(seen.get(1).tokenOwnerFingerprint()).as("carried by the admin API's JSON")
                    .isEqualTo(Credentials.fingerprint(KEY));
            assertThat(seen.get(3).apiKeyMask()).isEqualTo(Credentials.mask(second));
        }
    }
}
