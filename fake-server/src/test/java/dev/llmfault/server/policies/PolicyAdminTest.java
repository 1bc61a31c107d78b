package dev.llmfault.server.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.CredentialPolicy;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.config.PolicyCodec;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PolicyAdminTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void putGetAndDeleteAPolicy() {
        Answer put = Http.putJson(server.admin("/policies/rateLimits"), "{\"requestsPerWindow\":5,\"windowMs\":1000}");
        assertThat(put.status()).isEqualTo(200);
        assertThat(server.get().policies().rateLimits()).hasValueSatisfying(p -> assertThat(p.requestsPerWindow()).isEqualTo(5));

        JsonNode all = Http.get(server.admin("/policies")).json();
        assertThat(all.at("/rateLimits/requestsPerWindow").asInt()).isEqualTo(5);
        assertThat(all.get("credentials").isNull()).isTrue();

        assertThat(Http.delete(server.admin("/policies/rateLimits")).status()).isEqualTo(200);
        assertThat(server.get().policies().rateLimits()).isEmpty();
    }

    @Test
    void adminAnswersNeverShowAKeyOrSecret() {
        String key = "sk-canary-0123456789abcdef9999";
        Http.putJson(server.admin("/policies/credentials"), "{\"apiKeys\":[{\"key\":\"" + key
                + "\"}],\"oauthClients\":[{\"clientId\":\"app\",\"clientSecret\":\"canary-secret-0123456789\"}]}");

        String answer = Http.get(server.admin("/policies")).body();

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
        Http.putJson(server.admin("/policies/rateLimits"), "{\"requestsPerWindow\":7}");
        String before = Http.get(server.admin("/policies")).body();

        Answer refused = Http.putJson(server.admin("/policies/" + name), body);

        assertThat(refused.status()).isEqualTo(400);
        JsonNode error = refused.json().get("error");
        String named = field.equals(name) || field.startsWith(name + ".") ? field : name + "." + field;
        assertThat(error.get("field").asText()).isEqualTo(named);
        assertThat(error.get("message").asText()).contains(message);
        assertThat(Http.get(server.admin("/policies")).body()).isEqualTo(before);
    }

    @Test
    void aCredentialPolicyTravelsToAnotherServerWithoutItsKeys() throws Exception {
        CredentialPolicy original = CredentialPolicy.builder().apiKey("sk-travel-0123456789abcdef")
                .apiKey("zid.zsecret0123456789").oauthClient("app", "app-secret-0123456789", Set.of("model.request")).build();
        String transfer = PolicyCodec.writeForTransfer(original).toString();
        assertThat(transfer).doesNotContain("sk-travel-0123456789abcdef").doesNotContain("app-secret-0123456789");

        assertThat(Http.putJson(server.admin("/policies/credentials"), transfer).status()).isEqualTo(200);

        assertThat(Calls.chat(server.get(), Provider.OPENAI, "sk-travel-0123456789abcdef").status()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.ZHIPU, CredentialPolicyTest.jwt("zid", "zsecret0123456789",
                System.currentTimeMillis() + 60_000)).status()).isEqualTo(200);
        assertThat(Calls.oauthToken(server.get(),
                "grant_type=client_credentials&client_id=app&client_secret=app-secret-0123456789").status()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, "sk-other-0123456789abcdef").status()).isEqualTo(401);
    }

    @Test
    void unknownPolicyNameAndRevocationWithoutPolicyAreRefused() {
        Answer unknown = Http.putJson(server.admin("/policies/quotas"), "{}");
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().at("/error/message").asText())
                .contains("allowed: [credentials, rateLimits, network, versions]");

        Answer revoke = Http.postJson(server.admin("/policies/credentials/revocations"),
                "{\"credential\":\"sk-x-0123456789abcdef\"}");
        assertThat(revoke.status()).isEqualTo(409);
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
