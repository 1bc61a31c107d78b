package dev.llmfault.server.secrets;

import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Standalone;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The standalone server with {@code --verbose} logs every request: canary keys and tokens sent every
 * which way never appear in its stdout or stderr, nor in its admin answers, while the log lines do appear.
 */
class StandaloneSecretsIT {

    @Test
    void theVerboseLogNeverShowsAPlantedSecret() {
        Canary key = Canary.key("sk-proj-");
        Canary jwt = Canary.jwt();
        Canary cohere = Canary.key("co");
        Canary query = Canary.key("AIza");
        List<String> admin = new ArrayList<>();
        Standalone s = Standalone.start("--port", "0", "--verbose");
        try {
            URI root = s.readyUrl();
            String q = "?key=" + query.secret() + "&token=" + jwt.secret();
            Map<String, String> openAi = Calls.headers(Provider.OPENAI, key.secret());
            openAi.put("X-Debug", key.secret());
            Answer scenario = Http.postJson(root.resolve("/__admin/scenarios"),
                    "{\"fault\":\"INVALID_TOKEN\",\"times\":1,\"match\":{\"apiKey\":\"" + key.secret() + "\"}}");
            assertThat(scenario.status()).isEqualTo(201);
            Http.send("POST", URI.create(root + "/v1/chat/completions" + q), openAi,
                    Calls.body(Provider.OPENAI, false, "my key " + key.secret() + " " + jwt.secret()).toString());
            Http.send("POST", URI.create(root + "/v1/chat/completions" + q), openAi, Calls.body(Provider.OPENAI, true).toString());
            Http.send("GET", URI.create(root + "/v1/chat/completions" + q), openAi, null);
            Http.send("POST", URI.create(root + "/v1/unknown" + q), openAi, "{}");
            Http.send("POST", root.resolve("/v2/chat"), Calls.headers(Provider.COHERE, cohere.secret()),
                    "{\"model\":\"command-r\",\"messages\":[" + cohere.secret() + "]}");
            Http.send("POST", root.resolve("/v1/messages"), Calls.headers(Provider.ANTHROPIC, key.secret()),
                    Calls.body(Provider.ANTHROPIC, false).toString());
            Http.send("POST", root.resolve("/api/paas/v4/chat/completions"), Calls.headers(Provider.ZHIPU, jwt.secret()),
                    Calls.body(Provider.ZHIPU, true).toString());
            Http.send("POST", root.resolve("/api/paas/v4/chat/completions"),
                    Calls.with(Calls.headers(Provider.ZHIPU), "Authorization", "Bearer " + jwt.secret() + " x"), "{}");
            admin.add(Http.get(root.resolve("/__admin/requests")).body());
            admin.add(Http.get(root.resolve("/__admin/scenarios")).body());
            admin.add(Http.get(root.resolve("/__admin/requests?apiKey=" + URLEncoder.encode(key.secret(), StandardCharsets.UTF_8))).body());
        } finally {
            s.close();
        }
        assertThat(s.awaitExit(Duration.ofSeconds(10))).isTrue();

        String log = s.stdout() + "\n" + s.stderr();
        assertThat(log).as("--verbose logs each request").contains("POST /v1/chat/completions -> 401 INVALID_TOKEN")
                .contains("POST /v2/chat -> 400 MALFORMED_BODY").contains("key=sk-pr***");
        for (Canary c : List.of(key, jwt, cohere, query)) {
            assertThat(c.leakIn(log)).as("%s in the log:%n%s", c, log).isNull();
            for (String answer : admin) {
                assertThat(c.leakIn(answer)).as("%s in an admin answer", c).isNull();
            }
        }
    }
}
