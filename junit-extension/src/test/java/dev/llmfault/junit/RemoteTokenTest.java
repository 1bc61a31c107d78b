package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.ChatClient;
import dev.llmfault.junit.fixtures.Fixture;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.FakeLlmServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Remote mode against a server that requires an admin token: with {@code llmfault.server.token} the fixture
 * runs as it does embedded; without it each test fails saying a token is required.
 */
class RemoteTokenTest {
    static final String TOKEN = "admin-token-remote-0123456789";
    static FakeLlmServer server;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.builder().adminToken(TOKEN).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void withTheTokenTheTestsDriveTheServer() {
        FixtureRun run = FixtureRun.run(TokenFixture.class, LlmFaultExtension.SERVER_URL_PROPERTY,
                server.url().toString(), LlmFaultExtension.SERVER_TOKEN_PROPERTY, TOKEN);
        run.assertPassed("sharedAndScoped");
        assertThat(server.journal().size()).isPositive();
    }

    @Test
    void withoutTheTokenEachTestFailsSayingSo() {
        FixtureRun run = FixtureRun.run(TokenFixture.class, LlmFaultExtension.SERVER_URL_PROPERTY,
                server.url().toString());
        assertThat(run.failure("sharedAndScoped")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("requires an admin token, and none was given");
    }

    /** One test on the whole server and one scoped to its key: both need the token for their admin calls. */
    @Fixture
    @LlmFaultTest
    public static class TokenFixture {
        @Test
        @LlmFaultScenario(fault = Fault.SERVER_ERROR, times = 1)
        void sharedAndScoped(FakeLlmServer server, @LlmApiKey String key) {
            new ChatClient(server.baseUrl(Provider.OPENAI), key).maxAttempts(2).backoff(1, 1).ask("hi");
            LlmFaultAssertions.assertThat(server).hasRequestCount(2);
        }
    }
}
