package dev.llmfault.server.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

class CredentialPolicyTest {
    private static final String KEY = "sk-live-0123456789abcdef0123";
    private static final String SECRET = "client-secret-value-0123456789";
    private FakeLlmServer server;

    @AfterEach
    void stop() {
        server.close();
    }

    private FakeLlmServer start(CredentialPolicy policy) {
        server = FakeLlmServer.builder().credentials(policy).start();
        return server;
    }

    @Test
    void registeredKeyPassesAndUnknownKeyIsInvalid() {
        start(CredentialPolicy.builder().apiKey(KEY).build());

        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(200);
        HttpResponse<String> refused = Calls.openAi(server, "sk-live-unknown-0000000000");

        assertThat(refused.statusCode()).isEqualTo(401);
        assertThat(Calls.json(refused).at("/error/code").asText()).isEqualTo("invalid_api_key");
        assertThat(server.journal().last().orElseThrow().fault()).isEqualTo(Fault.INVALID_TOKEN);
        assertThat(server.journal().last().orElseThrow().faultReason()).contains("unknown credential");
    }

    @Test
    void tokenWithShortLifetimeWorksThenExpiresAndRefreshGivesAWorkingOne() {
        start(CredentialPolicy.builder().oauthClient("app", SECRET, Set.of("model.request"))
                .tokenLifetime(Duration.ofMillis(200)).build());

        JsonNode grant = Calls.json(Calls.form(server, "/oauth/token",
                "grant_type=client_credentials&client_id=app&client_secret=" + SECRET));
        String access = grant.get("access_token").asText();
        assertThat(grant.get("token_type").asText()).isEqualTo("Bearer");
        assertThat(grant.get("expires_in_ms").asLong()).isEqualTo(200);
        assertThat(Calls.openAi(server, access).statusCode()).isEqualTo(200);

        // The token really expires: poll until the server says so (no sleep, no timing assertion).
        HttpResponse<String> expired = await().atMost(Duration.ofSeconds(5)).pollInterval(Duration.ofMillis(25))
                .until(() -> Calls.openAi(server, access), r -> r.statusCode() == 401);
        assertThat(expired.headers().firstValue("WWW-Authenticate")).hasValueSatisfying(
                v -> assertThat(v).contains("error=\"invalid_token\"").contains("expired"));
        assertThat(server.journal().last().orElseThrow().fault()).isEqualTo(Fault.EXPIRED_TOKEN);
        assertThat(server.journal().last().orElseThrow().faultReason()).matches("policy credentials: token expired \\d+ ms ago");

        JsonNode refreshed = Calls.json(Calls.form(server, "/oauth/token",
                "grant_type=refresh_token&refresh_token=" + grant.get("refresh_token").asText()));
        assertThat(Calls.openAi(server, refreshed.get("access_token").asText()).statusCode()).isEqualTo(200);

        HttpResponse<String> reused = Calls.form(server, "/oauth/token",
                "grant_type=refresh_token&refresh_token=" + grant.get("refresh_token").asText());
        assertThat(reused.statusCode()).isEqualTo(400);
        assertThat(Calls.json(reused).get("error").asText()).isEqualTo("invalid_grant");
    }

    @Test
    void anthropicSaysTheOAuthTokenExpired() {
        start(CredentialPolicy.builder().oauthClient("app", SECRET, Set.of("model.request"))
                .tokenMaxUses(1).build());
        String access = Calls.json(Calls.form(server, "/oauth/token", "grant_type=client_credentials",
                "Authorization", "Basic " + Base64.getEncoder().encodeToString(("app:" + SECRET).getBytes(StandardCharsets.UTF_8))))
                .get("access_token").asText();

        assertThat(Calls.anthropic(server, access, "2023-06-01", Calls.ANTHROPIC_BODY).statusCode()).isEqualTo(200);
        HttpResponse<String> second = Calls.anthropic(server, access, "2023-06-01", Calls.ANTHROPIC_BODY);

        assertThat(second.statusCode()).isEqualTo(401);
        assertThat(Calls.json(second).at("/error/type").asText()).isEqualTo("authentication_error");
        assertThat(Calls.json(second).at("/error/message").asText()).startsWith("OAuth token has expired");
    }

    @Test
    void missingScopeIsRefusedWithTheProvidersStatus() {
        start(CredentialPolicy.builder().apiKey(KEY, Set.of("files.read"), null).build());

        HttpResponse<String> openAi = Calls.openAi(server, KEY);
        HttpResponse<String> anthropic = Calls.anthropic(server, KEY, "2023-06-01", Calls.ANTHROPIC_BODY);

        assertThat(openAi.statusCode()).isEqualTo(401);
        assertThat(Calls.json(openAi).at("/error/message").asText()).contains("Missing scopes: model.request");
        assertThat(anthropic.statusCode()).isEqualTo(403);
        assertThat(Calls.json(anthropic).at("/error/type").asText()).isEqualTo("permission_error");
        assertThat(server.journal().find(JournalQuery.all().fault(Fault.INSUFFICIENT_SCOPE))).hasSize(2);
    }

    @Test
    void expiredAndRevokedKeysAreRefused() {
        String old = "sk-old-0123456789abcdef0000";
        start(CredentialPolicy.builder().apiKey(old, Set.of("model.request"), Instant.now().minusSeconds(1))
                .apiKey(KEY).build());

        assertThat(Calls.openAi(server, old).statusCode()).isEqualTo(401);
        assertThat(server.journal().last().orElseThrow().fault()).isEqualTo(Fault.EXPIRED_TOKEN);

        HttpResponse<String> revoke = Calls.admin(server, "POST", "/__admin/policies/credentials/revocations",
                "{\"credential\":\"" + KEY + "\"}");
        assertThat(revoke.statusCode()).isEqualTo(200);
        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(401);
        assertThat(server.journal().last().orElseThrow().faultReason()).contains("revoked");
    }

    @Test
    void zhipuJwtSignedWithTheKeySecretIsVerified() throws Exception {
        start(CredentialPolicy.builder().apiKey("myid.mysecret0123456789").build());
        long now = System.currentTimeMillis();

        assertThat(Calls.zhipu(server, jwt("myid", "mysecret0123456789", now + 60_000)).statusCode()).isEqualTo(200);

        HttpResponse<String> expired = Calls.zhipu(server, jwt("myid", "mysecret0123456789", now - 1_000));
        assertThat(expired.statusCode()).isEqualTo(401);
        assertThat(Calls.json(expired).at("/error/code").asText()).isEqualTo("1003");

        HttpResponse<String> forged = Calls.zhipu(server, jwt("myid", "wrong-secret", now + 60_000));
        assertThat(forged.statusCode()).isEqualTo(401);
        assertThat(Calls.json(forged).at("/error/code").asText()).isEqualTo("1002");
        assertThat(server.journal().last().orElseThrow().faultReason()).contains("signature");
    }

    @Test
    void tokenEndpointRefusesBadClientsAndGrants() {
        start(CredentialPolicy.builder().oauthClient("app", SECRET, Set.of("model.request")).build());

        HttpResponse<String> badSecret = Calls.form(server, "/oauth/token",
                "grant_type=client_credentials&client_id=app&client_secret=nope");
        HttpResponse<String> badGrant = Calls.form(server, "/oauth/token", "grant_type=password&client_id=app");

        assertThat(badSecret.statusCode()).isEqualTo(401);
        assertThat(Calls.json(badSecret).get("error").asText()).isEqualTo("invalid_client");
        assertThat(badSecret.headers().firstValue("WWW-Authenticate")).isPresent();
        assertThat(badGrant.statusCode()).isEqualTo(400);
        assertThat(Calls.json(badGrant).get("error").asText()).isEqualTo("unsupported_grant_type");
    }

    @Test
    void tokenRequestsAreJournaledWithEverySecretMasked() {
        start(CredentialPolicy.builder().oauthClient("app", SECRET, Set.of("model.request")).build());
        JsonNode grant = Calls.json(Calls.form(server, "/oauth/token",
                "grant_type=client_credentials&client_id=app&client_secret=" + SECRET));
        Calls.form(server, "/oauth/token", "grant_type=refresh_token&refresh_token=" + grant.get("refresh_token").asText());

        JournalEntry first = server.journal().entries().get(0);
        assertThat(first.path()).isEqualTo("/oauth/token");
        assertThat(first.provider()).isNull();
        assertThat(first.status()).isEqualTo(200);
        String everything = server.journal().entries().toString() + Calls.admin(server, "GET", "/__admin/requests", null).body();
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
