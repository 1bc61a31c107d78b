package dev.llmfault.server.policies;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import org.junit.jupiter.api.Test;

import java.net.http.HttpResponse;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** The sample configs the README points users to really load and do what they say. */
class SampleConfigsTest {
    private static final Path CONFIGS = Path.of("..", "samples", "config");
    private static final String DEMO_KEY = "sk-demo-0123456789abcdef";

    @Test
    void allFaultsConfigHasOneScenarioPerFaultChosenByHeader() {
        try (FakeLlmServer server = FakeLlmServer.builder().config(CONFIGS.resolve("all-faults.yaml")).port(0).start()) {
            assertThat(server.scenarios().list()).extracting(s -> s.fault()).containsExactly(Fault.values());
            assertThat(server.policies().credentials()).isPresent();

            assertThat(Calls.openAi(server, DEMO_KEY).statusCode()).isEqualTo(200);
            assertThat(Calls.openAiHeaders(server, DEMO_KEY, "X-LLMFault", "RATE_LIMITED").statusCode()).isEqualTo(429);
            assertThat(Calls.openAiHeaders(server, DEMO_KEY, "X-LLMFault", "QUOTA_EXCEEDED").statusCode()).isEqualTo(429);
            assertThat(Calls.openAiHeaders(server, DEMO_KEY, "X-Forwarded-For", "203.0.113.9").statusCode()).isEqualTo(403);
            assertThat(Calls.openAi(server, "sk-expired-0123456789abcdef").statusCode()).isEqualTo(401);
            assertThat(server.journal().last().orElseThrow().fault()).isEqualTo(Fault.EXPIRED_TOKEN);
        }
    }

    @Test
    void gatewayConfigAnswersCode1200Twice() {
        try (FakeLlmServer server = FakeLlmServer.builder().config(CONFIGS.resolve("gateway-1200.yaml")).port(0).start()) {
            HttpResponse<String> first = Calls.openAi(server, DEMO_KEY);

            assertThat(first.statusCode()).isEqualTo(401);
            assertThat(Calls.json(first).at("/error/code").asInt()).isEqualTo(1200);
            assertThat(Calls.json(first).at("/error/message").asText())
                    .isEqualTo("Authentication failed: Invalid token or permissions.");
            assertThat(Calls.openAi(server, DEMO_KEY).statusCode()).isEqualTo(401);
            assertThat(Calls.openAi(server, DEMO_KEY).statusCode()).isEqualTo(200);
        }
    }
}
