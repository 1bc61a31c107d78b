package dev.llmfault.browser;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** The standalone jar, as a user runs it, on a free loopback port; closed with SIGTERM. */
final class StandaloneServer implements AutoCloseable {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    final String url;
    private final Process process;

    private StandaloneServer(Process process, String url) {
        this.process = process;
        this.url = url;
    }

    static StandaloneServer start(Path dir, String... arguments) throws IOException {
        Path jar = Path.of(System.getProperty("llmfault.standalone.jar", "../fake-server/target/llmfault-server.jar"));
        assertThat(jar).as("the standalone jar (built by fake-server's package phase; run mvn verify)").exists();
        Path portFile = dir.resolve("port");
        Path log = dir.resolve("server.log");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", jar.toString(), "--port", "0", "--port-file", portFile.toString()));
        command.addAll(List.of(arguments));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        await("the standalone server's port file").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .until(() -> Files.exists(portFile) && Files.size(portFile) > 0 || !process.isAlive());
        assertThat(process.isAlive()).as("standalone server running; its log: %s", log).isTrue();
        return new StandaloneServer(process, "http://127.0.0.1:" + Files.readString(portFile, StandardCharsets.US_ASCII).trim());
    }

    /** One OpenAI chat call with this key; the answer's status. */
    int chat(String apiKey, String model) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(url + "/v1/chat/completions"))
                .header("Authorization", "Bearer " + apiKey).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\":\"" + model
                        + "\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** GET on the server; the answer's status and body. */
    HttpResponse<String> get(String path) throws IOException, InterruptedException {
        return HTTP.send(HttpRequest.newBuilder(URI.create(url + path)).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy(); // SIGTERM: the server stops cleanly
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
