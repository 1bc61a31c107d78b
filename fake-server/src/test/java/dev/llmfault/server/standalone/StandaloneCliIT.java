package dev.llmfault.server.standalone;

import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Standalone;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The standalone jar as a user runs it: flags, ready line, port file, config files, refusals, SIGTERM. */
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

    /** What one in-flight client saw: a complete stream, or an IO error (a clean refusal); never a hang. */
    record Outcome(boolean complete, IOException failure) {
    }

    @Test
    void sigtermWith32ClientsInFlightStopsCleanlyWithinFiveSeconds() throws Exception {
        Path config = Standalone.workDir().resolve("slow.yaml");
        Files.writeString(config, "reply:\n  text: \"" + "word ".repeat(30).strip() + "\"\n  chunkDelayMs: 100\n");
        Standalone s = Standalone.start("--port", "0", "--config", config.toString());
        int port = s.port();
        int clients = 32;
        CountDownLatch streaming = new CountDownLatch(clients);
        List<CompletableFuture<Outcome>> outcomes = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(clients);
        for (int i = 0; i < clients; i++) {
            Provider p = Provider.values()[i % Provider.values().length];
            outcomes.add(CompletableFuture.supplyAsync(() -> stream(s.readyUrl(), p, streaming), pool));
        }
        assertThat(streaming.await(20, TimeUnit.SECONDS)).as("all 32 clients receive their stream").isTrue();

        long t0 = System.nanoTime();
        s.process().destroy(); // SIGTERM
        boolean exited = s.awaitExit(Duration.ofSeconds(5));
        long stopMs = (System.nanoTime() - t0) / 1_000_000;
        try {
            assertThat(exited).as("exited within 5 s of SIGTERM").isTrue();
            assertThat(s.exitCode()).as("exit code after SIGTERM").isIn(0, 143);
            List<Outcome> seen = new ArrayList<>();
            for (CompletableFuture<Outcome> f : outcomes) {
                seen.add(f.get(10, TimeUnit.SECONDS)); // none hangs
            }
            assertThat(seen).hasSize(clients);
            System.out.printf("measure: SIGTERM with 32 streams in flight: exit %d after %d ms; %d streams complete, "
                    + "%d ended by an IO error%n", s.exitCode(), stopMs, seen.stream().filter(Outcome::complete).count(),
                    seen.stream().filter(o -> o.failure() != null).count());
            assertThat(s.stderr()).doesNotContain("Exception", "ERROR");
            await().atMost(Duration.ofSeconds(5)).until(() -> portIsFree(port));
        } finally {
            s.close();
            pool.shutdownNow();
        }
    }

    static Outcome stream(URI root, Provider p, CountDownLatch streaming) {
        HttpRequest.Builder b = HttpRequest.newBuilder(root.resolve(Calls.chatPath(p))).timeout(Duration.ofSeconds(30))
                .POST(HttpRequest.BodyPublishers.ofString(Calls.body(p, true).toString()));
        Calls.headers(p).forEach(b::header);
        try {
            HttpResponse<InputStream> r = Http.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            streaming.countDown();
            try (InputStream in = r.body()) {
                String body = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                boolean complete = body.contains("[DONE]") || body.contains("message_stop") || body.contains("message-end");
                return new Outcome(complete, null);
            }
        } catch (IOException e) {
            return new Outcome(false, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(false, null);
        }
    }

    static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
