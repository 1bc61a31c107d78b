package dev.llmfault.server.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.internal.config.PolicyCodec;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyAdminTest {
    private FakeLlmServer server;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void putGetAndDeleteAPolicy() {
        HttpResponse<String> put = Calls.admin(server, "PUT", "/__admin/policies/rateLimits",
                "{\"requestsPerWindow\":5,\"windowMs\":1000}");
        assertThat(put.statusCode()).isEqualTo(200);
        assertThat(server.policies().rateLimits()).hasValueSatisfying(p -> assertThat(p.requestsPerWindow()).isEqualTo(5));

        JsonNode all = Calls.json(Calls.admin(server, "GET", "/__admin/policies", null));
        assertThat(all.at("/rateLimits/requestsPerWindow").asInt()).isEqualTo(5);
        assertThat(all.get("credentials").isNull()).isTrue();

        assertThat(Calls.admin(server, "DELETE", "/__admin/policies/rateLimits", null).statusCode()).isEqualTo(200);
        assertThat(server.policies().rateLimits()).isEmpty();
    }

    @Test
    void adminAnswersNeverShowAKeyOrSecret() {
        String key = "sk-canary-0123456789abcdef9999";
        Calls.admin(server, "PUT", "/__admin/policies/credentials", "{\"apiKeys\":[{\"key\":\"" + key
                + "\"}],\"oauthClients\":[{\"clientId\":\"app\",\"clientSecret\":\"canary-secret-0123456789\"}]}");

        String answer = Calls.admin(server, "GET", "/__admin/policies", null).body();

        assertThat(answer).contains("sk-ca***9999").doesNotContain(key).doesNotContain("canary-secret");
    }

    @ParameterizedTest(name = "{0} {1}")
    @CsvSource(delimiter = '|', value = {
            "rateLimits  | {\"requestsPerWindow\":0}                   | rateLimits.requestsPerWindow | expected an integer >= 1",
            "rateLimits  | {\"requestsPerMinute\":5}                   | requestsPerMinute            | unknown field, allowed: [requestsPerWindow",
            "rateLimits  | {\"windowMs\":\"1s\",\"requestsPerWindow\":1} | windowMs                     | expected an integer",
            "rateLimits  | {}                                          | requestsPerWindow            | at least one of",
            "network     | {\"deny\":[\"not-an-ip\"]}                  | network.deny                 | expected an IPv4 or IPv6 address",
            "network     | {\"allowRegions\":\"US\"}                   | allowRegions                 | expected a list of strings",
            "credentials | {\"apiKeys\":[{\"scopes\":[]}]}              | apiKeys[0].key               | is required",
            "credentials | {\"tokenLifetimeMs\":0}                     | tokenLifetimeMs              | expected an integer >= 1",
            "credentials | {\"apiKeys\":[{\"key\":\"k1234567\",\"expiresAt\":\"tomorrow\"}]} | apiKeys[0].expiresAt | ISO-8601",
            "versions    | {\"anthropicVersions\":[\"v1\"]}            | versions.anthropicVersions   | expected a date",
            "versions    | {\"retiredModels\":{\"OPENX\":[\"a\"]}}      | retiredModels.OPENX          | allowed: [OPENAI",
            "credentials | {\"oauthClients\":[{\"clientId\":\"app\",\"clientSecret\":\"s1\"},{\"clientId\":\"\",\"clientSecret\":\"s2\"}]} | oauthClients[1].clientId | expected a non-empty id",
            "credentials | {\"apiKeys\":[{\"fingerprint\":\"abc\"}]}   | apiKeys[0].fingerprint       | invalid value",
            "network     | [\"10.0.0.0/8\"]                          | network                      | network: expected an object with the fields [allow",
    })
    void badPolicyInputIsA400NamingTheFieldAndChangesNothing(String name, String body, String field, String message) {
        Calls.admin(server, "PUT", "/__admin/policies/rateLimits", "{\"requestsPerWindow\":7}");
        String before = Calls.admin(server, "GET", "/__admin/policies", null).body();

        HttpResponse<String> refused = Calls.admin(server, "PUT", "/__admin/policies/" + name, body);

        assertThat(refused.statusCode()).isEqualTo(400);
        JsonNode error = Calls.json(refused).get("error");
        String named = field.equals(name) || field.startsWith(name + ".") ? field : name + "." + field;
        assertThat(error.get("field").asText()).isEqualTo(named);
        assertThat(error.get("message").asText()).contains(message);
        assertThat(Calls.admin(server, "GET", "/__admin/policies", null).body()).isEqualTo(before);
    }

    @Test
    void aCredentialPolicyTravelsToAnotherServerWithoutItsKeys() throws Exception {
        CredentialPolicy original = CredentialPolicy.builder().apiKey("sk-travel-0123456789abcdef")
                .apiKey("zid.zsecret0123456789").oauthClient("app", "app-secret-0123456789", Set.of("model.request")).build();
        String transfer = PolicyCodec.writeForTransfer(original).toString();
        assertThat(transfer).doesNotContain("sk-travel-0123456789abcdef").doesNotContain("app-secret-0123456789");

        assertThat(Calls.admin(server, "PUT", "/__admin/policies/credentials", transfer).statusCode()).isEqualTo(200);

        assertThat(Calls.openAi(server, "sk-travel-0123456789abcdef").statusCode()).isEqualTo(200);
        assertThat(Calls.zhipu(server, CredentialPolicyTest.jwt("zid", "zsecret0123456789",
                System.currentTimeMillis() + 60_000)).statusCode()).isEqualTo(200);
        assertThat(Calls.form(server, "/oauth/token",
                "grant_type=client_credentials&client_id=app&client_secret=app-secret-0123456789").statusCode()).isEqualTo(200);
        assertThat(Calls.openAi(server, "sk-other-0123456789abcdef").statusCode()).isEqualTo(401);
    }

    @Test
    void unknownPolicyNameAndRevocationWithoutPolicyAreRefused() {
        HttpResponse<String> unknown = Calls.admin(server, "PUT", "/__admin/policies/quotas", "{}");
        assertThat(unknown.statusCode()).isEqualTo(404);
        assertThat(Calls.json(unknown).at("/error/message").asText())
                .contains("allowed: [credentials, rateLimits, network, versions]");

        HttpResponse<String> revoke = Calls.admin(server, "POST", "/__admin/policies/credentials/revocations",
                "{\"credential\":\"sk-x-0123456789abcdef\"}");
        assertThat(revoke.statusCode()).isEqualTo(409);
    }

    @Test
    void configFileDeclaresPoliciesAndNamesTheLineOfABadOne(@TempDir Path dir) throws Exception {
        Path good = dir.resolve("good.yaml");
        Files.writeString(good, """
                policies:
                  rateLimits:
                    requestsPerWindow: 2
                    windowMs: 60000
                  network:
                    blockRegions: [KP]
                """);
        try (FakeLlmServer configured = FakeLlmServer.builder().config(good).start()) {
            assertThat(configured.policies().rateLimits()).isPresent();
            assertThat(configured.policies().network()).hasValueSatisfying(n -> assertThat(n.blockRegions()).containsExactly("KP"));
        }

        Path bad = dir.resolve("bad.yaml");
        Files.writeString(bad, """
                policies:
                  rateLimits:
                    requestsPerWindow: 2
                    windowMS: 60000
                """);
        assertThatThrownBy(() -> FakeLlmServer.builder().config(bad))
                .hasMessageStartingWith(bad + ":4: ")
                .hasMessageContaining("windowMS: unknown field");
    }
}
