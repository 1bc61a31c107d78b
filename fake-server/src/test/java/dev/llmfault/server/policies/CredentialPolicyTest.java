package dev.llmfault.server.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CredentialPolicyTest {
    private static final String KEY = "sk-live-0123456789abcdef0123";
    private static final String SECRET = "client-secret-value-0123456789";
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void registeredKeyPassesAndUnknownKeyIsInvalid() {
        server.get().policies().credentials(CredentialPolicy.builder().apiKey(KEY).build());

        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY).status()).isEqualTo(200);
        Answer refused = Calls.chat(server.get(), Provider.OPENAI, "sk-live-unknown-0000000000");

        assertThat(refused.status()).isEqualTo(401);
        assertThat(refused.json().at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(server.get().journal().last().orElseThrow().fault()).isEqualTo(Fault.INVALID_TOKEN);
        assertThat(server.get().journal().last().orElseThrow().faultReason()).contains("unknown credential");
    }

    @Test
    void tokenWithShortLifetimeWorksThenExpiresAndRefreshGivesAWorkingOne() {
        server.get().policies().credentials(CredentialPolicy.builder().oauthClient("app", SECRET, Set.of("model.request"))
                .tokenLifetime(Duration.ofMillis(200)).build());

        JsonNode grant = Calls.oauthToken(server.get(),
                "grant_type=client_credentials&client_id=app&client_secret=" + SECRET).json();
        String access = grant.get("access_token").asText();
        assertThat(grant.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(grant.get("expires_in_ms").asLong()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, access).status()).isEqualTo(200);

        // The token really expires: poll until the server says so (no sleep, no timing assertion).
        Answer expired = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25))
                .until(() -> Calls.chat(server.get(), Provider.OPENAI, access), r -> r.status() == 401);
        assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("error=\"invalid_token\"").contains("expired"));
        assertThat(server.get().journal().last().orElseThrow().fault()).isEqualTo(Fault.EXPIRED_TOKEN);
        assertThat(server.get().journal().last().orElseThrow().faultReason()).matches("policy credentials: token expired \\d+ ms ago");

        JsonNode refreshed = Calls.oauthToken(server.get(),
                "grant_type=refresh_token&refresh_token=" + grant.get("refresh_token").asText()).json();
        assertThat(Calls.chat(server.get(), Provider.OPENAI, refreshed.get("access_token").asText()).status()).isEqualTo(200);

        Answer reused = Calls.oauthToken(server.get(),
                "grant_type=refresh_token&refresh_token=" + grant.get("refresh_token").asText());
        assertThat(reused.status()).isEqualTo(400);
        assertThat(reused.json().get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void anthropicSaysTheOAuthTokenExpired() {
        server.get().policies().credentials(CredentialPolicy.builder().oauthClient("app", SECRET, Set.of("model.request"))
                .tokenMaxUses(1).build());
        String basic = Base64.getEncoder().encodeToString(("app:" + SECRET).getBytes(StandardCharsets.UTF_8));
        String access = Calls.oauthToken(server.get(), "grant_type=client_credentials", Map.of("Authorization", "Basic " + basic)).json()
                .get("access_token").asText();

        assertThat(Calls.chat(server.get(), Provider.ANTHROPIC, access).status()).isEqualTo(200);
        Answer second = Calls.chat(server.get(), Provider.ANTHROPIC, access);

        assertThat(second.status()).isEqualTo(401);
        assertThat(second.json().at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(second.json().at("/error/message").asText()).startsWith("OAuth token has expired");
    }

    @Test
    void missingScopeIsRefusedWithTheProvidersStatus() {
        server.get().policies().credentials(CredentialPolicy.builder().apiKey(KEY, Set.of("files.read"), null).build());

        Answer openAi = Calls.chat(server.get(), Provider.OPENAI, KEY);
        Answer anthropic = Calls.chat(server.get(), Provider.ANTHROPIC, KEY);

        assertThat(openAi.status()).isEqualTo(401);
        assertThat(openAi.json().at("/error/message").asText()).contains("Missing scopes: model.request");
        assertThat(anthropic.status()).isEqualTo(403);
        assertThat(anthropic.json().at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(server.get().journal().find(JournalQuery.all().fault(Fault.INSUFFICIENT_SCOPE))).hasSize(2);
    }

    @Test
    void expiredAndRevokedKeysAreRefused() {
        String old = "sk-old-0123456789abcdef0000";
        server.get().policies().credentials(CredentialPolicy.builder()
                .apiKey(old, Set.of("model.request"), Instant.now().minusSeconds(1))
                .apiKey(KEY).build());

        assertThat(Calls.chat(server.get(), Provider.OPENAI, old).status()).isEqualTo(401);
        assertThat(server.get().journal().last().orElseThrow().fault()).isEqualTo(Fault.EXPIRED_TOKEN);

        Answer revoke = Http.postJson(server.admin("/policies/credentials/revocations"), "{\"credential\":\"" + KEY + "\"}");
        assertThat(revoke.status()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY).status()).isEqualTo(401);
        assertThat(server.get().journal().last().orElseThrow().faultReason()).contains("revoked");
    }

    @Test
    void zhipuJwtSignedWithTheKeySecretIsVerified() throws Exception {
        server.get().policies().credentials(CredentialPolicy.builder().apiKey("myid.mysecret0123456789").build());
        long now = System.currentTimeMillis();

        assertThat(Calls.chat(server.get(), Provider.ZHIPU, jwt("myid", "mysecret0123456789", now + 60_000)).status())
                .isEqualTo(200);

        Answer expired = Calls.chat(server.get(), Provider.ZHIPU, jwt("myid", "mysecret0123456789", now - 1_000));
        assertThat(expired.status()).isEqualTo(401);
        assertThat(expired.json().at("/error/code").asText()).isEqualTo("1003");

        Answer forged = Calls.chat(server.get(), Provider.ZHIPU, jwt("myid", "wrong-secret", now + 60_000));
        assertThat(forged.status()).isEqualTo(401);
        assertThat(forged.json().at("/error/code").asText()).isEqualTo("1002");
        assertThat(server.get().journal().last().orElseThrow().faultReason()).contains("signature");
    }

    @Test
    void tokenEndpointRefusesBadClientsAndGrants() {
        server.get().policies().credentials(CredentialPolicy.builder()
                .oauthClient("app", SECRET, Set.of("model.request")).build());

        Answer badSecret = Calls.oauthToken(server.get(), "grant_type=client_credentials&client_id=app&client_secret=nope");
        Answer badGrant = Calls.oauthToken(server.get(), "grant_type=password&client_id=app");

        assertThat(badSecret.status()).isEqualTo(401);
        assertThat(badSecret.json().get("error").asText()).isEqualTo("invalid_client");
        assertThat(badSecret.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(badGrant.status()).isEqualTo(400);
        assertThat(badGrant.json().get("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void tokenRequestsAreJournaledWithEverySecretMasked() {
        server.get().policies().credentials(CredentialPolicy.builder()
                .oauthClient("app", SECRET, Set.of("model.request")).build());
        JsonNode grant = Calls.oauthToken(server.get(),
                "grant_type=client_credentials&client_id=app&client_secret=" + SECRET).json();
        Calls.oauthToken(server.get(), "grant_type=refresh_token&refresh_token=" + grant.get("refresh_token").asText());

        JournalEntry first = server.get().journal().entries().get(0);
        assertThat(first.path()).isEqualTo("/oauth/token");
        assertThat(first.provider()).isNull();
        assertThat(first.status()).isEqualTo(200);
        String everything = server.get().journal().entries().toString() + Http.get(server.admin("/requests")).body();
        assertThat(everything).doesNotContain(SECRET).doesNotContain(grant.get("refresh_token").asText())
                .doesNotContain(grant.get("access_token").asText());
    }

    /** Signs a Zhipu-style JWT: HS256, exp and timestamp in epoch milliseconds. */
    static String jwt(String id, String secret, long expEpochMs) throws Exception {
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        String header = b64.encodeToString("{\"alg\":\"HS256\",\"sign_type\":\"SIGN\"}".getBytes(StandardCharsets.UTF_8));
        String payload = b64.encodeToString(("{\"api_key\":\"" + id + "\",\"exp\":" + expEpochMs + ",\"timestamp\":"
                + System.currentTimeMillis() + "}").getBytes(StandardCharsets.UTF_8));
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        String signature = b64.encodeToString(mac.doFinal((header + "." + payload).getBytes(StandardCharsets.UTF_8)));
        return header + "." + payload + "." + signature;
    }
}
