package dev.llmfault.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmfault.junit.fixtures.ChatClient;
import dev.llmfault.junit.fixtures.KeyScopedTokenFixture;
import dev.llmfault.junit.fixtures.ParallelFixture;
import dev.llmfault.junit.fixtures.RecoveryFixture;
import dev.llmfault.junit.fixtures.WithoutLlmFaultTestFixture;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.VersionPolicy;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Remote mode against the real standalone jar, started here on a free port: the same fixture classes that
 * run embedded elsewhere drive it through its admin API ({@code llmfault.server.url}).
 */
class RemoteModeIT {
    private static Process server;
    private static String url;
    private static Path log;

    @BeforeAll
    static void startStandaloneServer(@TempDir Path dir) throws IOException {
        Path jar = Path.of(System.getProperty("llmfault.standalone.jar", "../fake-server/target/llmfault-server.jar"));
        assertThat(jar).as("the standalone jar (built by fake-server's package phase; run mvn verify)").exists();
        Path portFile = dir.resolve("port");
        log = dir.resolve("server.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        server = new ProcessBuilder(java, "-jar", jar.toString(), "--port", "0", "--port-file", portFile.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("the standalone server's port file").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(portFile) || !server.isAlive());
        assertThat(server.isAlive()).as("standalone server running; its log: %s", log).isTrue();
        url = "http://127.0.0.1:" + Files.readString(portFile, StandardCharsets.US_ASCII).trim();
    }

    @AfterAll
    static void stopStandaloneServer() throws InterruptedException {
        if (server != null) {
            server.destroy(); // SIGTERM: the server stops cleanly
            if (!server.waitFor(10, TimeUnit.SECONDS)) {
                server.destroyForcibly();
            }
        }
    }

    @Test
    void oneHundredParallelTestsShareTheStandaloneServerIsolatedByKey(@TempDir Path report) throws IOException {
        List<String> config = new ArrayList<>(List.of(ParallelIsolationTest.PARALLEL));
        config.addAll(List.of("llmfault.server.url", url, "llmfault.report", "true", "llmfault.report.dir", report.toString()));
        FixtureRun run = FixtureRun.run(ParallelFixture.class, config.toArray(String[]::new));
        for (int i = 1; i <= ParallelFixture.TESTS; i++) {
            run.assertPassed("repetition " + i + " of " + ParallelFixture.TESTS);
        }
        run.assertPassed("ParallelFixture");
        try (FakeLlmServer remote = FakeLlmServer.connect(java.net.URI.create(url))) {
            assertThat(remote.scenarios().list()).as("every test removed its scenarios").isEmpty();
        }
        // the report holds each test's own requests, fetched from the standalone server by the test's key
        JsonNode json = new ObjectMapper().readTree(report.resolve("report.json").toFile());
        assertThat(json.path("tests")).hasSize(ParallelFixture.TESTS).allSatisfy(t -> {
            assertThat(t.path("requests")).hasSize(2);
            assertThat(t.path("requests").get(0).path("status").asInt()).isEqualTo(500);
            assertThat(t.path("requests").get(0).path("apiKeyMask").asText())
                    .isEqualTo(t.path("requests").get(1).path("apiKeyMask").asText());
        });
    }

    @Test
    void parallelOAuthClientsScopedByTheirKeysSeeTheirOwnTokenRequestsOnTheStandaloneServer() {
        List<String> config = new ArrayList<>(List.of(ParallelIsolationTest.PARALLEL));
        config.addAll(List.of("llmfault.server.url", url));
        FixtureRun run = FixtureRun.run(KeyScopedTokenFixture.class, config.toArray(String[]::new));
        for (int i = 1; i <= KeyScopedTokenFixture.TESTS; i++) {
            run.assertPassed("repetition " + i + " of " + KeyScopedTokenFixture.TESTS);
        }
        assertThat(run.failure("replaysTheExpiredToken"))
                .hasMessageMatching("(?s).*#\\d+ retried #\\d+ with the same expired token llmfa\\*\\*\\*.*");
        assertThat(run.failure("authenticatesWithAnotherSecret"))
                .hasMessageContaining("Expecting at least one EXPIRED_TOKEN answer, but there was none")
                .hasMessageContaining("sends the test's key as its OAuth client secret");
        try (FakeLlmServer remote = FakeLlmServer.connect(java.net.URI.create(url))) {
            assertThat(remote.scenarios().list()).as("every test removed its scenarios").isEmpty();
        }
    }

    @Test
    void aParallelRunRefusesTestsThatWouldResetTheSharedServer() {
        List<String> config = new ArrayList<>(List.of(ParallelIsolationTest.PARALLEL));
        config.addAll(List.of("llmfault.server.url", url));
        FixtureRun run = FixtureRun.run(ParallelFixture.WithoutKeyFixture.class, config.toArray(String[]::new));
        assertThat(run.failure("repetition 1 of 2"))
                .hasMessageContaining("runs concurrently with other tests on a shared remote server")
                .hasMessageContaining("@LlmApiKey String apiKey");
    }

    @Test
    void testsWithoutAKeyLeaveWhatOthersSetUpOnTheSharedServer() {
        try (FakeLlmServer other = FakeLlmServer.connect(java.net.URI.create(url))) {
            // another user of the same server: a scenario for their own key, a policy, a request in the journal
            long before = other.journal().size();
            new ChatClient(other.baseUrl(Provider.OPENAI), "sk-other-0123456789").maxAttempts(1).ask("hi");
            other.scenarios().add(Scenario.builder(Fault.OVERLOADED).id("someone-else").matchApiKey("sk-other-0123456789").build());
            other.policies().versions(VersionPolicy.builder().retiredModels(Provider.COHERE, "command-r-03-2024").build());

            FixtureRun recovery = FixtureRun.run(RecoveryFixture.class, "llmfault.server.url", url);
            FixtureRun policy = FixtureRun.run(WithoutLlmFaultTestFixture.PolicyOnly.class, "llmfault.server.url", url);

            recovery.assertPassed("recoversFromRateLimit"); // its journal view starts with the test: 3 requests, not 4
            policy.assertPassed("theRateWindowFills");
            assertThat(other.scenarios().list()).extracting(Scenario::id).as("the other user's scenario, and no test's")
                    .containsExactly("someone-else");
            assertThat(other.policies().versions()).as("a policy no test declared is untouched").isPresent();
            assertThat(other.policies().rateLimits()).as("the rate limit the test declared is taken back").isEmpty();
            String otherKey = dev.llmfault.server.Credentials.fingerprint("sk-other-0123456789");
            assertThat(other.journal().entries().stream().filter(e -> otherKey.equals(e.apiKeyFingerprint())))
                    .as("the other user's request is still in the journal (was %d entries before)", before).hasSize(1);
            other.reset(); // the other user leaves the server as they found it
        }
    }

    @Test
    void theRecoveryFixturesGiveTheSameOutcomesRemotely() {
        FixtureRun run = FixtureRun.run(RecoveryFixture.class, "llmfault.server.url", url);
        run.assertPassed("recoversFromRateLimit");
        run.assertPassed("failsFastOnInvalidToken");
        run.assertPassed("refreshesExpiredToken");
        run.assertPassed("awaitsRequests");
        assertThat(run.failure("retriesTooSoon")).hasMessageContaining("asked to wait 5000 ms");
        assertThat(run.failure("retriesInvalidToken")).hasMessageContaining("never retry INVALID_TOKEN");
        assertThat(run.failure("constantBackoff")).hasMessageContaining("Expecting each wait between attempts");
        assertThat(run.failure("keyInQuery")).hasMessageContaining("GET /v1/models?key=sk-fi***cdef");
        assertThat(run.report("retriesTooSoon", "llmfault.timeline").orElseThrow())
                .contains("429 RATE_LIMITED (retry after 5000 ms)");
    }
}
