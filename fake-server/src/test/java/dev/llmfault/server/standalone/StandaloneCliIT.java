package dev.llmfault.server.standalone;

import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Standalone;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The standalone jar as a user runs it: flags, ready line, port file, config files, refusals (SIGTERM: GracefulShutdownIT). */
class StandaloneCliIT {

    static Answer chat(URI root, Provider p, boolean stream) {
        return Http.send("POST", root.resolve(Calls.chatPath(p)), Calls.headers(p), Calls.body(p, stream).toString());
    }

    @Test
    void helpListsEveryFlagAndExitsZero() {
        Standalone s = Standalone.run("--help");

        assertThat(s.exitCode()).isZero();
        assertThat(s.stdout()).contains("Usage:", "--host", "--port", "--config", "--port-file", "--seed",
                "--journal-size", "--verbose", "--allow-remote", "--admin-token", "--help", "--version");
        assertThat(s.stderr()).isEmpty();
    }

    @Test
    void versionPrintsTheProjectVersion() {
        Standalone s = Standalone.run("--version");

        assertThat(s.exitCode()).isZero();
        assertThat(s.stdout().strip()).matches("llmfault-server \\d+\\.\\d+\\.\\d+(-SNAPSHOT)?");
    }

    @Test
    void aBadFlagGivesOneLineAndExitCodeTwo() {
        for (String[] args : List.of(new String[] {"--prot", "8089"}, new String[] {"--port", "abc"},
                new String[] {"--seed"})) {
            Standalone s = Standalone.run(args);

            assertThat(s.exitCode()).as(String.join(" ", args)).isEqualTo(2);
            assertThat(s.stderr().lines().toList()).as("stderr of %s", String.join(" ", args)).hasSize(1)
                    .first().asString().startsWith("llmfault-server: ").contains(args[0].equals("--prot") ? "--prot" : args[0]);
            assertThat(s.stdout()).isEmpty();
        }
    }

    @Test
    void portZeroWritesThePortFileAndPrintsOneReadyLine() throws IOException {
        Path portFile = Standalone.workDir().resolve("port");
        try (Standalone s = Standalone.start("--port", "0", "--port-file", portFile.toString())) {
            int port = s.port();

            assertThat(port).isPositive().isNotEqualTo(8089);
            assertThat(Files.readString(portFile).strip()).isEqualTo(String.valueOf(port));
            assertThat(s.stdout().lines().filter(l -> l.contains("ready at"))).singleElement().asString()
                    .contains("http://127.0.0.1:" + port).contains("/__admin/health");
            assertThat(chat(s.readyUrl(), Provider.OPENAI, false).status()).isEqualTo(200);
            assertThat(Http.get(s.readyUrl().resolve("/__admin/health")).json().path("status").asText()).isEqualTo("UP");
        }
    }

    @Test
    void seedAndJournalSizeFlagsAreApplied() {
        try (Standalone s = Standalone.start("--port", "0", "--journal-size", "3", "--seed", "7")) {
            for (int i = 0; i < 5; i++) {
                chat(s.readyUrl(), Provider.COHERE, false);
            }
            Answer requests = Http.get(s.readyUrl().resolve("/__admin/requests"));
            assertThat(requests.json().path("requests")).hasSize(3);
            assertThat(requests.json().path("total").asInt()).isEqualTo(5);
        }
    }

    @Test
    void aYamlConfigIsApplied() throws IOException {
        Path config = Standalone.workDir().resolve("llmfault.yaml");
        Files.writeString(config, """
                reply:
                  text: From the YAML file
                scenarios:
                  - fault: RATE_LIMITED
                    provider: OPENAI
                    times: 1
                """);
        try (Standalone s = Standalone.start("--port", "0", "--config", config.toString())) {
            assertThat(chat(s.readyUrl(), Provider.OPENAI, false).status()).isEqualTo(429);
            assertThat(chat(s.readyUrl(), Provider.OPENAI, false).body()).contains("From the YAML file");
        }
    }

    @Test
    void aJsonConfigIsApplied() throws IOException {
        Path config = Standalone.workDir().resolve("llmfault.json");
        Files.writeString(config, "{\"reply\":{\"text\":\"From the JSON file\"},"
                + "\"scenarios\":[{\"fault\":\"OVERLOADED\",\"provider\":\"ANTHROPIC\",\"times\":1}]}");
        try (Standalone s = Standalone.start("--port", "0", "--config", config.toString())) {
            assertThat(chat(s.readyUrl(), Provider.ANTHROPIC, false).status()).isEqualTo(529);
            assertThat(chat(s.readyUrl(), Provider.ANTHROPIC, false).body()).contains("From the JSON file");
        }
    }

    @Test
    void aBadConfigNamesFileLineAndFieldAndExitsNonZero() throws IOException {
        Path config = Standalone.workDir().resolve("bad.yaml");
        Files.writeString(config, "seed: 1\nscenarios:\n  - fault: RATE_LIMITED\n    times: -3\n");

        Standalone s = Standalone.run("--port", "0", "--config", config.toString());

        assertThat(s.exitCode()).isNotZero();
        assertThat(s.stderr().strip()).startsWith("llmfault-server: " + config + ":4:")
                .contains("scenarios[0].times").contains("-3").contains(">= 0");
        assertThat(s.stdout()).doesNotContain("ready at");
    }

    @Test
    void aMissingConfigFileIsNamed() {
        Standalone s = Standalone.run("--port", "0", "--config", "/nonexistent/llmfault.yaml");

        assertThat(s.exitCode()).isNotZero();
        assertThat(s.stderr()).contains("/nonexistent/llmfault.yaml: no such file");
    }

    @Test
    void refusesANonLoopbackHostWithoutAllowRemote() {
        Standalone s = Standalone.run("--host", "0.0.0.0", "--port", "0");

        assertThat(s.exitCode()).isEqualTo(2);
        assertThat(s.stderr()).contains("0.0.0.0").contains("--allow-remote");
        assertThat(s.stdout()).doesNotContain("ready at");
    }

    @Test
    void allowRemoteWithoutAnAdminTokenIsRefused() {
        Standalone s = Standalone.run("--host", "0.0.0.0", "--port", "0", "--allow-remote");

        assertThat(s.exitCode()).isEqualTo(2);
        assertThat(s.stderr()).contains("--admin-token");
    }

    @Test
    void withAllowRemoteTheAdminApiRequiresTheToken() {
        // loopback, so this test opens nothing to the network; the token rules are the same
        try (Standalone s = Standalone.start("--port", "0", "--allow-remote", "--admin-token", "t0ken-for-admin")) {
            URI health = s.readyUrl().resolve("/__admin/health");
            assertThat(Http.get(health).status()).isEqualTo(401);
            assertThat(Http.send("GET", health, Map.of("Authorization", "Bearer t0ken-for-admin"), null).status()).isEqualTo(200);
            assertThat(chat(s.readyUrl(), Provider.ZHIPU, false).status()).isEqualTo(200);
            assertThat(s.stdout() + s.stderr()).doesNotContain("t0ken-for-admin");
        }
    }

    @Test
    void anAdminTokenWithoutAllowRemoteIsRequiredOnLoopbackTooAndTheReadyLineSaysSo() {
        try (Standalone s = Standalone.start("--port", "0", "--admin-token", "t0ken-for-loopback")) {
            URI scenarios = s.readyUrl().resolve("/__admin/scenarios");
            Answer refused = Http.postJson(scenarios, "{\"fault\":\"SERVER_ERROR\"}");
            assertThat(refused.status()).isEqualTo(401);
            Answer listed = Http.send("GET", scenarios, Map.of("Authorization", "Bearer t0ken-for-loopback"), null);
            assertThat(listed.status()).isEqualTo(200);
            assertThat(listed.body()).as("the refused change left nothing").doesNotContain("SERVER_ERROR");
            assertThat(s.stdout()).contains("requires 'Authorization: Bearer <admin token>', on loopback too");
            assertThat(s.stdout() + s.stderr()).doesNotContain("t0ken-for-loopback");
        }
    }
}
