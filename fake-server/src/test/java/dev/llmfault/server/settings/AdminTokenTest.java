package dev.llmfault.server.settings;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Http;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A token that is given is always required, on loopback too; handles send it. */
class AdminTokenTest {
    static final String TOKEN = "admin-token-0123456789abcdef";
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
    void onLoopbackTheAdminApiRefusesCallsWithoutTheToken() {
        URI scenarios = URI.create(server.url() + "/__admin/scenarios");
        Answer none = Http.postJson(scenarios, "{\"fault\":\"SERVER_ERROR\"}");
        Answer wrong = Http.send("POST", scenarios, Map.of("Content-Type", "application/json",
                "Authorization", "Bearer nope"), "{\"fault\":\"SERVER_ERROR\"}");
        assertThat(none.status()).isEqualTo(401);
        assertThat(wrong.status()).isEqualTo(401);
        assertThat(none.body()).contains("Authorization: Bearer <admin token>");
        assertThat(server.scenarios().list()).as("nothing changed").isEmpty();

        Answer right = Http.send("GET", URI.create(server.url() + "/__admin/health"),
                Map.of("Authorization", "Bearer " + TOKEN), null);
        assertThat(right.status()).isEqualTo(200);
    }

    @Test
    void aHandleWithoutTheTokenFailsSayingSoAndOneWithItDrivesTheServer() {
        assertThatThrownBy(() -> FakeLlmServer.connect(server.url()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("requires an admin token, and none was given");
        assertThatThrownBy(() -> FakeLlmServer.connect(server.url(), "wrong-token-0123456789"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("the admin token given is not the server's")
                .hasMessageNotContaining("wrong-token-0123456789");

        FakeLlmServer remote = FakeLlmServer.connect(server.url(), TOKEN);
        try {
            Scenario added = remote.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).times(1).build());
            assertThat(server.scenarios().list()).extracting(Scenario::id).containsExactly(added.id());
            remote.reset();
            assertThat(server.scenarios().list()).isEmpty();
        } finally {
            remote.close();
        }
    }

    @Test
    void aBlankTokenIsRefusedNamingIt() {
        assertThatThrownBy(() -> FakeLlmServer.connect(server.url(), " "))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("token: invalid value ''");
    }
}
