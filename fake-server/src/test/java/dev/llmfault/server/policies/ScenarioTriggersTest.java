package dev.llmfault.server.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Triggers, matching, retry hints and overrides of injected scenarios. */
class ScenarioTriggersTest {
    private static final String KEY = "sk-trig-0123456789abcdef0000";
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    private List<Integer> statuses(int calls) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            out.add(Calls.chat(server.get(), Provider.OPENAI, KEY).status());
        }
        return out;
    }

    @Test
    void afterEveryAndTimesCombine() {
        server.get().scenarios().add(Scenario.builder(Fault.SERVER_ERROR).after(1).every(2).times(2).build());

        assertThat(statuses(7)).containsExactly(200, 500, 200, 500, 200, 200, 200);
    }

    @Test
    void aTimeWindowOpensAndClosesRelativeToCreation() {
        Scenario added = server.get().scenarios().add(Scenario.builder(Fault.OVERLOADED).fromMs(150).untilMs(400).build());

        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY).status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> Calls.chat(server.get(), Provider.OPENAI, KEY).status() == 503);
        await().atMost(Duration.ofSeconds(5)).until(() -> Calls.chat(server.get(), Provider.OPENAI, KEY).status() == 200);
        assertThat(server.get().scenarios().firedCount(added.id())).isPositive();
    }

    @Test
    void theFirstScenarioThatFiresWinsInCreationOrder() {
        server.get().scenarios().add(Scenario.builder(Fault.SERVER_ERROR).times(1).build());
        server.get().scenarios().add(Scenario.builder(Fault.OVERLOADED).times(1).build());

        assertThat(statuses(3)).containsExactly(500, 503, 200);
    }

    @Test
    void matchingOnProviderModelKeyAndHeader() {
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).provider(Provider.OPENAI)
                .matchModel(Calls.model(Provider.OPENAI)).matchApiKey(KEY).matchHeader("X-Tenant", "blue").build());

        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY, Map.of("X-Tenant", "blue")).status()).isEqualTo(429);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY, Map.of("X-Tenant", "green")).status()).isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, "sk-other-0123456789abcdef00", Map.of("X-Tenant", "blue")).status())
                .isEqualTo(200);
        assertThat(Calls.chat(server.get(), Provider.ANTHROPIC, KEY, Map.of("X-Tenant", "blue")).status())
                .isEqualTo(200);
        assertThat(server.get().scenarios().list().get(0).match().apiKeyMask()).isEqualTo("sk-tr***0000");
        assertThat(server.get().scenarios().list().toString()).doesNotContain(KEY);
    }

    @Test
    void retryHintsFollowTheScenario() {
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).retryAfterMs(1500).shouldRetry(true).times(1).build());
        server.get().scenarios().add(Scenario.builder(Fault.SERVER_ERROR).shouldRetry(false).times(1).build());

        Answer limited = Calls.chat(server.get(), Provider.OPENAI, KEY);
        assertThat(limited.headers().firstValue("retry-after")).hasValue("2");
        assertThat(limited.headers().firstValue("retry-after-ms")).hasValue("1500");
        assertThat(limited.headers().firstValue("x-should-retry")).hasValue("true");
        assertThat(limited.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        assertThat(server.get().journal().last().orElseThrow().retryAfter()).hasValue(Duration.ofMillis(1500));

        Answer failed = Calls.chat(server.get(), Provider.OPENAI, KEY);
        assertThat(failed.status()).isEqualTo(500);
        assertThat(failed.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(failed.headers().firstValue("retry-after")).isEmpty();
    }

    @Test
    void anthropicRateLimitCarriesRetryAfterButNotTheMillisecondHeader() {
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).retryAfterMs(200).build());

        Answer limited = Calls.chat(server.get(), Provider.ANTHROPIC, KEY);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
        assertThat(limited.headers().firstValue("retry-after-ms")).isEmpty();
        assertThat(limited.headers().firstValue("anthropic-ratelimit-requests-remaining")).hasValue("0");
        assertThat(limited.json().at("/error/type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void aGatewayOfYourOwnReplacesStatusHeadersAndBody() {
        server.get().scenarios().add(Scenario.builder(Fault.INVALID_TOKEN).status(401)
                .header("X-Gateway", "edge-7")
                .body("{\"error\":{\"code\":1200,\"message\":\"Authentication failed: Invalid token or permissions.\","
                        + "\"request_id\":\"{requestId}\",\"key\":\"{keyMask}\",\"model\":\"{model}\"}}")
                .build());

        Answer answer = Calls.chat(server.get(), Provider.OPENAI, KEY);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.headers().firstValue("X-Gateway")).hasValue("edge-7");
        JsonNode body = answer.json();
        assertThat(body.at("/error/code").asInt()).isEqualTo(1200);
        assertThat(body.at("/error/message").asText()).isEqualTo("Authentication failed: Invalid token or permissions.");
        assertThat(body.at("/error/request_id").asText()).isEqualTo(answer.headers().firstValue("x-request-id").orElseThrow());
        assertThat(body.at("/error/key").asText()).isEqualTo("sk-tr***0000");
        assertThat(body.at("/error/model").asText()).isEqualTo(Calls.model(Provider.OPENAI));
    }

    @Test
    void theSameSeedGivesTheSameDecisionsRunAfterRun() {
        List<List<Integer>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            server.get().reset();
            server.get().scenarios().add(Scenario.builder(Fault.SERVER_ERROR).probability(0.3).seed(42).build());
            runs.add(statuses(40));
        }
        server.get().reset();
        server.get().scenarios().add(Scenario.builder(Fault.SERVER_ERROR).probability(0.3).seed(7).build());
        List<Integer> otherSeed = statuses(40);

        assertThat(runs.get(0)).isEqualTo(runs.get(1)).contains(500).contains(200);
        assertThat(otherSeed).isNotEqualTo(runs.get(0));
    }
}
