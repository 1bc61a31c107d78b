package dev.llmfault.server.policies;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.util.Map;

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

            assertThat(Calls.chat(server, Provider.OPENAI, DEMO_KEY).status()).isEqualTo(200);
            assertThat(Calls.chat(server, Provider.OPENAI, DEMO_KEY, Map.of("X-LLMFault", "RATE_LIMITED")).status())
                    .isEqualTo(429);
            assertThat(Calls.chat(server, Provider.OPENAI, DEMO_KEY, Map.of("X-LLMFault", "QUOTA_EXCEEDED")).status())
                    .isEqualTo(429);
            assertThat(Calls.chat(server, Provider.OPENAI, DEMO_KEY, Map.of("X-Forwarded-For", "203.0.113.9")).status())
                    .isEqualTo(403);
            assertThat(Calls.chat(server, Provider.OPENAI, "sk-expired-0123456789abcdef").status()).isEqualTo(401);
            assertThat(server.journal().last().orElseThrow().fault()).isEqualTo(Fault.EXPIRED_TOKEN);
        }
    }

    @Test
    void gatewayConfigAnswersCode1200Twice() {
        try (FakeLlmServer server = FakeLlmServer.builder().config(CONFIGS.resolve("gateway-1200.yaml")).port(0).start()) {
            Answer first = Calls.chat(server, Provider.OPENAI, DEMO_KEY);

            assertThat(first.status()).isEqualTo(401);
            assertThat(first.json().at("/error/code").asInt()).isEqualTo(1200);
            assertThat(first.json().at("/error/message").asText())
                    .isEqualTo("Authentication failed: Invalid token or permissions.");
            assertThat(Calls.chat(server, Provider.OPENAI, DEMO_KEY).status()).isEqualTo(401);
            assertThat(Calls.chat(server, Provider.OPENAI, DEMO_KEY).status()).isEqualTo(200);
        }
    }
}
