package dev.llmfault.bench;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.internal.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Makes the three servers answer alike. Our server is asked once for its success and its injected 429;
 * WireMock and MockServer are then given stubs that answer with exactly that status, those headers and
 * that body. Their stubs match on method, path and the presence of a bearer token (the 429 one also on
 * the {@code x-bench: ratelimit} header); they parse no body, which is the cheapest stub a user would
 * write, so the comparison favours the rivals if anyone.
 */
final class Stubs {
    static final String PATH = "/v1/chat/completions";
    static final String AUTHORIZATION = "Bearer sk-bench-0123456789abcdefghijklmnopqrstuvwxyz";
    /** The body wrk/chat.lua sends; the cold-start probe sends the same. */
    static final String BODY = "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"system\",\"content\":\"You are a terse assistant.\"},"
            + "{\"role\":\"user\",\"content\":\"Say hello in five words.\"}],\"temperature\":0.2,\"max_tokens\":64}";
    static final String FAULT_HEADER = "x-bench";
    static final String FAULT_VALUE = "ratelimit";
    private static final Set<String> TRANSPORT_HEADERS = Set.of("date", "content-length", "transfer-encoding",
            "connection", "server", "keep-alive");

    record Captured(int status, Map<String, String> headers, String body) {
    }

    final Path oursConfig;
    final Path wireMockRoot;
    final Path mockServerInit;
    final Path floorAnswers;
    final Captured success;
    final Captured rateLimited;

    private Stubs(Path dir, Captured success, Captured rateLimited) {
        this.oursConfig = dir.resolve("ours.yaml");
        this.wireMockRoot = dir.resolve("wiremock");
        this.mockServerInit = dir.resolve("mockserver-init.json");
        this.floorAnswers = dir.resolve("floor-answers.json");
        this.success = success;
        this.rateLimited = rateLimited;
    }

    /** Our scenario for the 429 path: every request carrying the bench header gets RATE_LIMITED. */
    static Scenario rateLimitScenario() {
        return Scenario.builder(Fault.RATE_LIMITED).provider(Provider.OPENAI).matchHeader(FAULT_HEADER, FAULT_VALUE)
                .build();
    }

    static Stubs write(Path dir) {
        Captured success;
        Captured limited;
        try (FakeLlmServer ours = FakeLlmServer.builder().scenario(rateLimitScenario()).start()) {
            success = capture(ours.port(), false);
            limited = capture(ours.port(), true);
        }
        if (success.status != 200 || limited.status != 429) {
            throw new IllegalStateException("our server answered " + success.status + " and " + limited.status
                    + " instead of 200 and 429");
        }
        Stubs stubs = new Stubs(dir, success, limited);
        try {
            Files.createDirectories(stubs.wireMockRoot.resolve("mappings"));
            Files.createDirectories(stubs.wireMockRoot.resolve("__files"));
            Files.writeString(stubs.oursConfig, oursYaml());
            Files.writeString(stubs.wireMockRoot.resolve("mappings/openai.json"),
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(stubs.wireMock()));
            Files.writeString(stubs.mockServerInit,
                    Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(stubs.mockServer()));
            ObjectNode floor = Json.object();
            floor.set("success", captured(success));
            floor.set("rateLimited", captured(limited));
            Files.writeString(stubs.floorAnswers, Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(floor));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return stubs;
    }

    private static String oursYaml() {
        return "# The standalone server's config for the benchmark: the 429 path is an injected RATE_LIMITED.\n"
                + "scenarios:\n"
                + "  - fault: RATE_LIMITED\n"
                + "    provider: OPENAI\n"
                + "    match:\n"
                + "      headers:\n"
                + "        " + FAULT_HEADER + ": " + FAULT_VALUE + "\n";
    }

    static Captured capture(int port, boolean fault) {
        HttpRequest.Builder req = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + PATH))
                .header("Content-Type", "application/json")
                .header("Authorization", AUTHORIZATION)
                .POST(HttpRequest.BodyPublishers.ofString(BODY));
        if (fault) {
            req.header(FAULT_HEADER, FAULT_VALUE);
        }
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            HttpResponse<String> res = client.send(req.build(), HttpResponse.BodyHandlers.ofString());
            Map<String, String> headers = new LinkedHashMap<>();
            res.headers().map().forEach((name, values) -> {
                if (!TRANSPORT_HEADERS.contains(name.toLowerCase())) {
                    headers.put(name.toLowerCase(), String.join(", ", values));
                }
            });
            return new Captured(res.statusCode(), headers, res.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode captured(Captured c) {
        ObjectNode n = Json.object();
        n.put("status", c.status);
        ObjectNode h = n.putObject("headers");
        c.headers.forEach(h::put);
        n.put("body", c.body);
        return n;
    }

    /** Our server through the distribution's launcher, with this config. */
    List<String> launched(Launcher launcher, int port) {
        return launcher.command("--port", Integer.toString(port), "--config", oursConfig.toString());
    }

    /** WireMock mappings: the 429 stub first by priority (1 beats 5). */
    private ObjectNode wireMock() {
        ObjectNode root = Json.object();
        ArrayNode mappings = root.putArray("mappings");
        mappings.add(wireMockStub(1, true, rateLimited));
        mappings.add(wireMockStub(5, false, success));
        return root;
    }

    private static ObjectNode wireMockStub(int priority, boolean fault, Captured answer) {
        ObjectNode m = Json.object();
        m.put("priority", priority);
        ObjectNode request = m.putObject("request");
        request.put("method", "POST");
        request.put("urlPath", PATH);
        ObjectNode headers = request.putObject("headers");
        headers.putObject("Authorization").put("matches", "Bearer .+");
        if (fault) {
            headers.putObject(FAULT_HEADER).put("equalTo", FAULT_VALUE);
        }
        ObjectNode response = m.putObject("response");
        response.put("status", answer.status);
        ObjectNode h = response.putObject("headers");
        answer.headers.forEach(h::put);
        response.put("body", answer.body);
        return m;
    }

    /** MockServer expectations: the 429 one first by priority (higher wins). */
    private ArrayNode mockServer() {
        ArrayNode expectations = Json.MAPPER.createArrayNode();
        expectations.add(mockServerExpectation(10, true, rateLimited));
        expectations.add(mockServerExpectation(0, false, success));
        return expectations;
    }

    private static ObjectNode mockServerExpectation(int priority, boolean fault, Captured answer) {
        ObjectNode e = Json.object();
        ObjectNode request = e.putObject("httpRequest");
        request.put("method", "POST");
        request.put("path", PATH);
        ObjectNode headers = request.putObject("headers");
        headers.putArray("Authorization").add("Bearer .+");
        if (fault) {
            headers.putArray(FAULT_HEADER).add(FAULT_VALUE);
        }
        ObjectNode response = e.putObject("httpResponse");
        response.put("statusCode", answer.status);
        ObjectNode h = response.putObject("headers");
        answer.headers.forEach((name, value) -> h.putArray(name).add(value));
        response.put("body", answer.body);
        e.put("priority", priority);
        e.putObject("times").put("unlimited", true);
        return e;
    }

    /**
     * The command line of a standalone server on a port: the rivals with their default JVM flags, as their
     * documentation runs them; ours with plain {@code java -jar} (its default-flags figures); the floor with the
     * launcher's flags, like ours in the load phase (see {@link #launched}).
     */
    List<String> command(Tool tool, Path jar, int port, Launcher launcher, String benchClasspath) {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        return switch (tool) {
            case OURS -> List.of(java, "-jar", jar.toString(), "--port", Integer.toString(port),
                    "--config", oursConfig.toString());
            case FLOOR -> launcher.javaWithLauncherFlags("-cp", benchClasspath, FloorServer.class.getName(),
                    Integer.toString(port), floorAnswers.toString());
            case WIREMOCK -> List.of(java, "-jar", jar.toString(), "--port", Integer.toString(port),
                    "--root-dir", wireMockRoot.toString(), "--disable-banner");
            // logLevel WARN: at its default INFO MockServer prints every request, which would measure its console.
            case MOCKSERVER -> List.of(java, "-Dmockserver.initializationJsonPath=" + mockServerInit,
                    "-Dmockserver.logLevel=WARN", "-jar", jar.toString(), "-serverPort", Integer.toString(port));
        };
    }
}
