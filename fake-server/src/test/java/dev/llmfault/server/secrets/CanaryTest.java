package dev.llmfault.server.secrets;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Plants canary credentials everywhere a client might put one (credential headers, other headers, the
 * query, the body, a malformed body, a scenario's match, admin input) and searches every output of the
 * embedded server for them: journal entries, admin answers, provider answers (bodies and headers) and
 * exception messages. The standalone server's log is searched by StandaloneSecretsIT.
 */
class CanaryTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    final Canary openAiKey = Canary.key("sk-proj-");
    final Canary anthropicKey = Canary.key("sk-ant-api03-");
    final Canary cohereKey = Canary.key("co");          // letters and digits only, as Cohere's keys are
    final Canary zhipuJwt = Canary.jwt();
    final Canary queryKey = Canary.key("AIza");        // a Google-style key sent as ?key=
    final List<Canary> canaries = List.of(openAiKey, anthropicKey, cohereKey, zhipuJwt, queryKey);

    /** Every text the server gave back, labelled by where it came from. */
    final Map<String, String> outputs = new LinkedHashMap<>();

    void keep(String where, Answer a) {
        outputs.put(where + " (status " + a.status() + ")", a.status() + " " + a.headers().map() + " " + a.body());
    }

    void keep(String where, Throwable t) {
        StringBuilder all = new StringBuilder();
        for (Throwable c = t; c != null; c = c.getCause()) {
            all.append(c).append('\n');
        }
        outputs.put(where, all.toString());
    }

    Answer call(String where, Provider p, Map<String, String> headers, String path, String body) {
        Answer a = Http.send("POST", URI.create(server.get().url() + path), headers, body);
        keep(where, a);
        return a;
    }

    @Test
    void noOutputGivesAPlantedSecretAway() {
        Scenario byKey = server.get().scenarios().add(Scenario.builder(Fault.INVALID_TOKEN)
                .matchApiKey(openAiKey.secret()).times(1).build());
        Answer adminAdd = Http.postJson(server.get().url().resolve("/__admin/scenarios"),
                "{\"fault\":\"EXPIRED_TOKEN\",\"provider\":\"ANTHROPIC\",\"times\":1,\"match\":{\"apiKey\":\""
                        + anthropicKey.secret() + "\"}}");
        keep("admin add with match.apiKey", adminAdd);
        assertThat(adminAdd.status()).isEqualTo(201);

        String q = "?key=" + URLEncoder.encode(queryKey.secret(), StandardCharsets.UTF_8) + "&access_token=" + zhipuJwt.secret();
        // OpenAI: the key as bearer, pasted in another header, in the body, plus a JWT in the body and the query
        Map<String, String> openAi = Calls.headers(Provider.OPENAI, openAiKey.secret());
        openAi.put("X-Debug", "key=" + openAiKey.secret() + " jwt=" + zhipuJwt.secret());
        String pasted = Calls.body(Provider.OPENAI, false, "my key is " + openAiKey.secret() + " and " + zhipuJwt.secret()).toString();
        Answer injected = call("OpenAI injected INVALID_TOKEN", Provider.OPENAI, openAi, "/v1/chat/completions" + q, pasted);
        assertThat(injected.status()).isEqualTo(401);
        assertThat(injected.json().path("error").path("message").asText()).contains("sk-pr***");
        call("OpenAI success", Provider.OPENAI, openAi, "/v1/chat/completions" + q, pasted);
        call("OpenAI malformed credential", Provider.OPENAI,
                Calls.with(openAi, "Authorization", "Bearer " + openAiKey.secret() + " trailing"), "/v1/chat/completions", pasted);
        call("OpenAI unknown path", Provider.OPENAI, openAi, "/v1/chat/completion" + q, pasted);

        // Anthropic: x-api-key, and Authorization with the same key
        Map<String, String> anthropic = Calls.headers(Provider.ANTHROPIC, anthropicKey.secret());
        anthropic.put("Authorization", "Bearer " + anthropicKey.secret());
        String anthropicBody = Calls.body(Provider.ANTHROPIC, false, "key: " + anthropicKey.secret()).toString();
        call("Anthropic expired (by key)", Provider.ANTHROPIC, anthropic, "/v1/messages", anthropicBody);
        call("Anthropic success", Provider.ANTHROPIC, anthropic, "/v1/messages", anthropicBody);
        call("Anthropic missing version", Provider.ANTHROPIC, Calls.with(anthropic, "anthropic-version", null),
                "/v1/messages", anthropicBody);

        // Cohere: the key pasted UNQUOTED into a body that is not JSON (the parser quotes what it choked on)
        Map<String, String> cohere = Calls.headers(Provider.COHERE, cohereKey.secret());
        call("Cohere invalid JSON quoting the key", Provider.COHERE, cohere, "/v2/chat",
                "{\"model\":\"command-r\",\"messages\":[{\"role\":\"user\",\"content\":" + cohereKey.secret() + "}]}");
        call("Cohere wrong type", Provider.COHERE, cohere, "/v2/chat",
                "{\"model\":\"" + cohereKey.secret() + "\",\"messages\":{}}");
        call("Cohere success", Provider.COHERE, cohere, "/v2/chat", Calls.body(Provider.COHERE, true).toString());

        // Zhipu: a JWT as bearer, and a JWT without "Bearer" as older SDKs send it
        Map<String, String> zhipu = Calls.headers(Provider.ZHIPU, zhipuJwt.secret());
        call("Zhipu success", Provider.ZHIPU, zhipu, "/api/paas/v4/chat/completions", Calls.body(Provider.ZHIPU, true).toString());
        call("Zhipu raw JWT", Provider.ZHIPU, Calls.with(zhipu, "Authorization", zhipuJwt.secret()),
                "/api/paas/v4/chat/completions", Calls.body(Provider.ZHIPU, false).toString());
        server.get().scenarios().add(Scenario.builder(Fault.INVALID_TOKEN).provider(Provider.ZHIPU).times(1).build());
        call("Zhipu injected INVALID_TOKEN", Provider.ZHIPU, zhipu, "/api/paas/v4/chat/completions",
                Calls.body(Provider.ZHIPU, false).toString());
        server.get().journal().awaitRequests(12, Duration.ofSeconds(5));

        // admin answers
        keep("admin requests", Http.get(server.get().url().resolve("/__admin/requests")));
        keep("admin requests by key", Http.get(server.get().url().resolve("/__admin/requests?apiKey="
                + URLEncoder.encode(openAiKey.secret(), StandardCharsets.UTF_8))));
        keep("admin scenarios", Http.get(server.get().url().resolve("/__admin/scenarios")));
        keep("admin scenario by id", Http.get(server.get().url().resolve("/__admin/scenarios/" + byKey.id())));
        keep("admin health", Http.get(server.get().url().resolve("/__admin/health")));
        keep("admin bad scenario with a key", Http.postJson(server.get().url().resolve("/__admin/scenarios"),
                "{\"fault\":\"RATE_LIMITED\",\"times\":-1,\"match\":{\"apiKey\":\"" + openAiKey.secret() + "\"}}"));
        keep("admin bad scenario with a key of the wrong type", Http.postJson(server.get().url().resolve("/__admin/scenarios"),
                "{\"fault\":\"RATE_LIMITED\",\"match\":{\"apiKey\":[\"" + openAiKey.secret() + "\"]}}"));
        keep("admin bad filter with a key", Http.get(server.get().url().resolve("/__admin/requests?key="
                + URLEncoder.encode(openAiKey.secret(), StandardCharsets.UTF_8))));

        // the Java API: entries, scenarios, exception messages
        List<JournalEntry> entries = server.get().journal().entries();
        outputs.put("journal entries", entries.toString());
        outputs.put("scenarios", server.get().scenarios().list().toString());
        outputs.put("server", server.get().toString());
        keep("awaitRequests timeout", catchThrowable(() -> server.get().journal().awaitRequests(1000, Duration.ofMillis(1))));
        keep("scenario builder error", catchThrowable(() -> Scenario.builder(Fault.RATE_LIMITED)
                .matchApiKey(openAiKey.secret()).times(-1).build()));
        keep("scenario builder bad fingerprint", catchThrowable(() -> Scenario.builder(Fault.RATE_LIMITED)
                .matchApiKeyFingerprint(openAiKey.secret(), "x").build()));

        assertThat(entries).hasSizeGreaterThanOrEqualTo(12);
        List<String> leaks = new ArrayList<>();
        outputs.forEach((where, text) -> {
            for (Canary c : canaries) {
                String leak = c.leakIn(text);
                if (leak != null) {
                    int at = text.indexOf(leak);
                    leaks.add(where + " leaks " + c + ": ..." + text.substring(Math.max(0, at - 60), Math.min(text.length(), at + 40)));
                }
            }
        });
        assertThat(leaks).as("outputs that give a planted secret away").isEmpty();
        assertThat(outputs).hasSizeGreaterThan(20);
    }

    @Test
    void theCanaryCheckItselfFindsAnUnmaskedKey() {
        Canary c = Canary.key("sk-");
        assertThat(c.leakIn("Bearer " + c.secret())).isNotNull();
        assertThat(c.leakIn("Bearer " + c.secret().substring(0, 5) + "***" + c.secret().substring(c.secret().length() - 4))).isNull();
    }
}
