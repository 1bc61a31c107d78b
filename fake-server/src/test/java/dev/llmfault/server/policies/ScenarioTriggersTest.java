package dev.llmfault.server.policies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Triggers, matching, retry hints and overrides of injected scenarios. */
class ScenarioTriggersTest {
    private static final String KEY = "sk-trig-0123456789abcdef0000";
    private FakeLlmServer server;

    @BeforeEach
    void start() {
        server = FakeLlmServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private List<Integer> statuses(int calls) {
        List<Integer> out = new ArrayList<>();
        for (int i = 0; i < calls; i++) {
            out.add(Calls.openAi(server, KEY).statusCode());
        }
        return out;
    }

    @Test
    void afterEveryAndTimesCombine() {
        server.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).after(1).every(2).times(2).build());

        assertThat(statuses(7)).containsExactly(200, 500, 200, 500, 200, 200, 200);
    }

    @Test
    void aTimeWindowOpensAndClosesRelativeToCreation() {
        Scenario added = server.scenarios().add(Scenario.builder(Fault.OVERLOADED).fromMs(150).untilMs(400).build());

        assertThat(Calls.openAi(server, KEY).statusCode()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(5)).until(() -> Calls.openAi(server, KEY).statusCode() == 503);
        await().atMost(Duration.ofSeconds(5)).until(() -> Calls.openAi(server, KEY).statusCode() == 200);
        assertThat(server.scenarios().firedCount(added.id())).isPositive();
    }

    @Test
    void theFirstScenarioThatFiresWinsInCreationOrder() {
        server.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).times(1).build());
        server.scenarios().add(Scenario.builder(Fault.OVERLOADED).times(1).build());

        assertThat(statuses(3)).containsExactly(500, 503, 200);
    }

    @Test
    void matchingOnProviderModelKeyAndHeader() {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).provider(Provider.OPENAI).matchModel("gpt-4o")
                .matchApiKey(KEY).matchHeader("X-Tenant", "blue").build());

        assertThat(Calls.openAiHeaders(server, KEY, "X-Tenant", "blue").statusCode()).isEqualTo(429);
        assertThat(Calls.openAiHeaders(server, KEY, "X-Tenant", "green").statusCode()).isEqualTo(200);
        assertThat(Calls.openAiHeaders(server, "sk-other-0123456789abcdef00", "X-Tenant", "blue").statusCode()).isEqualTo(200);
        assertThat(Calls.anthropic(server, KEY, "2023-06-01", Calls.ANTHROPIC_BODY, "X-Tenant", "blue").statusCode())
                .isEqualTo(200);
        assertThat(server.scenarios().list().get(0).match().apiKeyMask()).isEqualTo("sk-tr***0000");
        assertThat(server.scenarios().list().toString()).doesNotContain(KEY);
    }

    @Test
    void retryHintsFollowTheScenario() {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).retryAfterMs(1500).shouldRetry(true).times(1).build());
        server.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).shouldRetry(false).times(1).build());

        HttpResponse<String> limited = Calls.openAi(server, KEY);
        assertThat(limited.headers().firstValue("retry-after")).hasValue("2");
        assertThat(limited.headers().firstValue("retry-after-ms")).hasValue("1500");
        assertThat(limited.headers().firstValue("x-should-retry")).hasValue("true");
        assertThat(limited.headers().firstValue("x-ratelimit-remaining-requests")).hasValue("0");
        assertThat(server.journal().last().orElseThrow().retryAfter()).hasValue(Duration.ofMillis(1500));

        HttpResponse<String> failed = Calls.openAi(server, KEY);
        assertThat(failed.statusCode()).isEqualTo(500);
        assertThat(failed.headers().firstValue("x-should-retry")).hasValue("false");
        assertThat(failed.headers().firstValue("retry-after")).isEmpty();
    }

    @Test
    void anthropicRateLimitCarriesRetryAfterButNotTheMillisecondHeader() {
        server.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).retryAfterMs(200).build());

        HttpResponse<String> limited = Calls.anthropic(server, KEY, "2023-06-01", Calls.ANTHROPIC_BODY);

        assertThat(limited.statusCode()).isEqualTo(429);
        assertThat(limited.headers().firstValue("retry-after")).hasValue("1");
        assertThat(limited.headers().firstValue("retry-after-ms")).isEmpty();
        assertThat(limited.headers().firstValue("anthropic-ratelimit-requests-remaining")).hasValue("0");
        assertThat(Calls.json(limited).at("/error/type").asText()).isEqualTo("rate_limit_error");
    }

    @Test
    void aGatewayOfYourOwnReplacesStatusHeadersAndBody() {
        server.scenarios().add(Scenario.builder(Fault.INVALID_TOKEN).status(401)
                .header("X-Gateway", "edge-7")
                .body("{\"error\":{\"code\":1200,\"message\":\"Authentication failed: Invalid token or permissions.\","
                        + "\"request_id\":\"{requestId}\",\"key\":\"{keyMask}\",\"model\":\"{model}\"}}")
                .build());

        HttpResponse<String> answer = Calls.openAi(server, KEY);

        assertThat(answer.statusCode()).isEqualTo(401);
        assertThat(answer.headers().firstValue("X-Gateway")).hasValue("edge-7");
        JsonNode body = Calls.json(answer);
        assertThat(body.at("/error/code").asInt()).isEqualTo(1200);
        assertThat(body.at("/error/message").asText()).isEqualTo("Authentication failed: Invalid token or permissions.");
        assertThat(body.at("/error/request_id").asText()).isEqualTo(answer.headers().firstValue("x-request-id").orElseThrow());
        assertThat(body.at("/error/key").asText()).isEqualTo("sk-tr***0000");
        assertThat(body.at("/error/model").asText()).isEqualTo("gpt-4o");
    }

    @Test
    void theSameSeedGivesTheSameDecisionsRunAfterRun() {
        List<List<Integer>> runs = new ArrayList<>();
        for (int run = 0; run < 2; run++) {
            server.reset();
            server.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).probability(0.3).seed(42).build());
            runs.add(statuses(40));
        }
        server.reset();
        server.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).probability(0.3).seed(7).build());
        List<Integer> otherSeed = statuses(40);

        assertThat(runs.get(0)).isEqualTo(runs.get(1)).contains(500).contains(200);
        assertThat(otherSeed).isNotEqualTo(runs.get(0));
    }
}
