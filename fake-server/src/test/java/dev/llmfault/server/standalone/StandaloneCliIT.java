package dev.llmfault.server.standalone;

import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Standalone;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
                "--journal-size", "--verbose", "--journal-log", "--allow-remote", "--admin-token", "--help", "--version");
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
    void sigtermRemovesThePortFileAndExitsZero() {
        Path portFile = Standalone.workDir().resolve("port-sigterm");
        Standalone s = Standalone.start("--port", "0", "--port-file", portFile.toString());
        try {
            assertThat(portFile).exists();

            s.process().destroy(); // SIGTERM

            assertThat(s.awaitExit(Duration.ofSeconds(10))).as("exited within 10 s of SIGTERM").isTrue();
            assertThat(s.exitCode()).as("exit code of a graceful stop").isZero();
            assertThat(portFile).as("a port file left behind would name a port nothing listens on").doesNotExist();
            assertThat(s.stdout().lines().filter(l -> l.contains("INFO"))).as("one line at start, two at the stop")
                    .hasSize(3).first().asString().contains("ready at");
        } finally {
            s.close();
        }
    }

    @Test
    void aPortInUseIsNamedWithHostAndPort() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Standalone s = Standalone.run("--port", String.valueOf(taken.getLocalPort()));

            assertThat(s.exitCode()).isEqualTo(1);
            assertThat(s.stderr().strip()).isEqualTo("llmfault-server: cannot listen on 127.0.0.1:" + taken.getLocalPort()
                    + ": the port is already in use (by another llmfault-server?): stop that, or choose another port"
                    + " (0 for a free one)");
            assertThat(s.stdout()).doesNotContain("ready at");
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
                .contains("scenarios[0].times").contains("-3").contains(">= 1");
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
    void journalLogPrintsOneMaskedJsonLinePerExchange() throws IOException {
        try (Standalone s = Standalone.start("--port", "0", "--journal-log")) {
            Http.postJson(s.readyUrl().resolve("/__admin/scenarios"), "{\"fault\":\"RATE_LIMITED\",\"times\":1}");
            Answer limited = chat(s.readyUrl(), Provider.OPENAI, false);
            Answer ok = chat(s.readyUrl(), Provider.OPENAI, false);
            assertThat(limited.status()).isEqualTo(429);
            assertThat(ok.status()).isEqualTo(200);

            List<com.fasterxml.jackson.databind.JsonNode> lines = new java.util.ArrayList<>();
            org.awaitility.Awaitility.await("two journal lines").atMost(java.time.Duration.ofSeconds(10)).until(() -> {
                lines.clear();
                for (String l : s.stdout().lines().filter(l -> l.startsWith("{\"journal\":\"llmfault\"")).toList()) {
                    lines.add(new com.fasterxml.jackson.databind.ObjectMapper().readTree(l));
                }
                return lines.size() == 2;
            });
            assertThat(lines.get(0).path("status").asInt()).isEqualTo(429);
            assertThat(lines.get(0).path("fault").asText()).isEqualTo("RATE_LIMITED");
            assertThat(lines.get(0).path("requestId").asText()).startsWith("req_");
            assertThat(lines.get(0).path("key").asText()).contains("***");
            assertThat(lines.get(1).path("status").asInt()).isEqualTo(200);
            assertThat(s.stdout()).doesNotContain(Calls.headers(Provider.OPENAI).get("Authorization").substring(7));
        }
    }

    @Test
    void metricsCountRequestsInjectedFaultsAndPolicyRefusalsAndRespectTheAdminToken() {
        try (Standalone s = Standalone.start("--port", "0", "--allow-remote", "--admin-token", "t0ken-for-admin")) {
            Map<String, String> admin = Map.of("Authorization", "Bearer t0ken-for-admin", "Content-Type", "application/json");
            Http.send("POST", s.readyUrl().resolve("/__admin/scenarios"), admin, "{\"fault\":\"SERVER_ERROR\",\"times\":2}");
            Http.send("PUT", s.readyUrl().resolve("/__admin/policies/credentials"), admin,
                    "{\"apiKeys\":[{\"key\":\"sk-only-this-key-0123456789\"}]}");
            for (int i = 0; i < 3; i++) {
                chat(s.readyUrl(), Provider.OPENAI, false); // 500, 500, then the policy refuses the unknown key
            }
            URI metrics = s.readyUrl().resolve("/__admin/metrics");

            assertThat(Http.get(metrics).status()).isEqualTo(401);
            Answer scraped = Http.send("GET", metrics, Map.of("Authorization", "Bearer t0ken-for-admin"), null);
            assertThat(scraped.status()).isEqualTo(200);
            assertThat(scraped.body())
                    .contains("llmfault_requests_total{fault=\"SERVER_ERROR\",provider=\"openai\",status=\"500\"} 2")
                    .contains("llmfault_faults_injected_total{fault=\"SERVER_ERROR\",provider=\"openai\",status=\"500\"} 2")
                    .contains("llmfault_policy_refusals_total{fault=\"INVALID_TOKEN\",provider=\"openai\",status=\"401\"} 1")
                    .contains("llmfault_request_duration_seconds_bucket{provider=\"openai\",le=");
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
