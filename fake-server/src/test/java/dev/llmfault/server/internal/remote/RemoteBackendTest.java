package dev.llmfault.server.internal.remote;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.internal.journal.JournalCodec;
import dev.llmfault.server.internal.journal.Secrets;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A handle from FakeLlmServer.connect drives a server through its admin API, whole or scoped to one key. */
class RemoteBackendTest {
    private static final HttpClient HTTP = HttpClient.newHttpClient();
    private static final String KEY_A = "sk-remote-a-0123456789abcdef";
    private static final String KEY_B = "sk-remote-b-0123456789abcdef";
    private static FakeLlmServer embedded;

    @BeforeAll
    static void start() {
        embedded = FakeLlmServer.start();
    }

    @AfterAll
    static void stop() {
        embedded.close();
    }

    @BeforeEach
    void reset() {
        embedded.reset();
        embedded.policies().clear();
    }

    @Test
    void aWholeServerHandleSeesAndChangesWhatTheEmbeddedServerHas() {
        try (FakeLlmServer remote = FakeLlmServer.connect(embedded.url())) {
            assertThat(remote.baseUrl(Provider.OPENAI)).isEqualTo(embedded.baseUrl(Provider.OPENAI));
            assertThat(remote.port()).isEqualTo(embedded.port());
            Scenario added = remote.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(1).retryAfterMs(250)
                    .matchModel("gpt-4o").build());
            assertThat(embedded.scenarios().find(added.id())).isPresent();
            assertThat(status(KEY_A)).isEqualTo(429);
            assertThat(status(KEY_A)).isEqualTo(200);
            assertThat(remote.scenarios().matchedCount(added.id())).isEqualTo(2);
            assertThat(remote.scenarios().firedCount(added.id())).isEqualTo(1);
            assertThat(remote.scenarios().list()).extracting(Scenario::id).containsExactly(added.id());

            List<JournalEntry> entries = remote.journal().awaitRequests(2, Duration.ofSeconds(5));
            assertThat(entries).extracting(JournalEntry::status).containsExactly(429, 200);
            JournalEntry first = entries.get(0);
            JournalEntry original = embedded.journal().entries().get(0);
            assertThat(first.sequence()).isEqualTo(original.sequence());
            assertThat(first.monotonicNanos()).isEqualTo(original.monotonicNanos());
            assertThat(first.fault()).isEqualTo(Fault.RATE_LIMITED);
            assertThat(first.retryAfter()).contains(Duration.ofMillis(250));
            assertThat(first.apiKeyMask()).isEqualTo(Secrets.mask(KEY_A)).isEqualTo(original.apiKeyMask());
            assertThat(first.apiKeyFingerprint()).isEqualTo(Secrets.fingerprint(KEY_A));
            assertThat(first.json()).isEqualTo(original.json());
            assertThat(remote.journal().find(JournalQuery.all().status(200))).hasSize(1);

            assertThat(remote.scenarios().remove(added.id())).isTrue();
            assertThat(remote.scenarios().remove(added.id())).isFalse();
            remote.reset();
            assertThat(embedded.journal().entries()).isEmpty();
        }
        assertThat(embedded.isRunning()).as("closing a handle leaves the server running").isTrue();
    }

    @Test
    void aScopedHandleSeesAndFaultsOnlyItsKey() {
        try (FakeLlmServer a = FakeLlmServer.connect(scoped(KEY_A)); FakeLlmServer b = FakeLlmServer.connect(scoped(KEY_B))) {
            Scenario forA = a.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).build());
            assertThat(forA.match().apiKeyFingerprint()).isEqualTo(Secrets.fingerprint(KEY_A));
            assertThat(status(KEY_B)).isEqualTo(200);
            assertThat(status(KEY_A)).isEqualTo(500);
            assertThat(a.journal().entries()).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(500));
            assertThat(b.journal().entries()).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(200));
            assertThat(a.scenarios().list()).extracting(Scenario::id).containsExactly(forA.id());
            assertThat(b.scenarios().list()).isEmpty();

            a.reset(); // removes only a's scenarios and hides only a's requests
            assertThat(a.journal().entries()).isEmpty();
            assertThat(b.journal().entries()).hasSize(1);
            assertThat(embedded.journal().entries()).hasSize(2);
            assertThat(embedded.scenarios().list()).isEmpty();
            assertThat(status(KEY_A)).isEqualTo(200);
            assertThat(a.journal().entries()).hasSize(1);
        }
    }

    @Test
    void anOwnViewSeesTheRequestsFromItsStartAndResetsOnlyWhatItAdded() {
        Scenario others = embedded.scenarios().add(Scenario.builder(Fault.OVERLOADED).matchApiKey(KEY_B).build());
        assertThat(status(KEY_A)).isEqualTo(200); // before the view: not in it
        try (FakeLlmServer view = FakeLlmServer.connect(URI.create(embedded.url() + "?view=own"))) {
            assertThat(view.journal().entries()).as("a view starts empty").isEmpty();
            Scenario mine = view.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).times(1).build());
            assertThat(mine.match().apiKeyFingerprint()).as("no key: it applies to every request").isNull();
            assertThat(status(KEY_A)).isEqualTo(500);
            assertThat(view.journal().entries()).singleElement().satisfies(e -> assertThat(e.status()).isEqualTo(500));
            assertThat(view.scenarios().list()).extracting(Scenario::id).containsExactly(mine.id());

            view.reset();

            assertThat(view.journal().entries()).isEmpty();
            assertThat(embedded.journal().entries()).as("nothing left the server's journal").hasSize(2);
            assertThat(embedded.scenarios().list()).extracting(Scenario::id).containsExactly(others.id());
        }
    }

    @Test
    void policiesTravelThroughTheAdminApiButNotThroughAScopedHandle() {
        RateLimitPolicy limits = RateLimitPolicy.builder().requestsPerWindow(1).window(Duration.ofMinutes(1)).build();
        try (FakeLlmServer whole = FakeLlmServer.connect(embedded.url()); FakeLlmServer scoped = FakeLlmServer.connect(scoped(KEY_A))) {
            whole.policies().rateLimits(limits);
            assertThat(embedded.policies().rateLimits()).hasValueSatisfying(p -> assertThat(p.requestsPerWindow()).isEqualTo(1));
            assertThat(scoped.policies().rateLimits()).isPresent();
            assertThatThrownBy(() -> scoped.policies().rateLimits(null))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("policies are server-wide");
            assertThat(whole.policies().revoke(KEY_A)).isFalse(); // no credential policy: nothing to revoke
            whole.policies().rateLimits(null);
            assertThat(embedded.policies().rateLimits()).isEmpty();
        }
    }

    @Test
    void badUrlsAndUnreachableServersAreNamed() throws IOException {
        assertThatThrownBy(() -> FakeLlmServer.connect(URI.create("ftp://127.0.0.1:1")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("expected an http:// or https:// URL");
        assertThatThrownBy(() -> FakeLlmServer.connect(URI.create(embedded.url() + "/v1")))
                .hasMessageContaining("expected the server's root URL without a path");
        assertThatThrownBy(() -> FakeLlmServer.connect(URI.create(embedded.url() + "/?apiKey=" + KEY_A)))
                .hasMessage("url: unknown parameter 'apiKey', allowed: [apiKeyFingerprint, apiKeyMask, view]");
        assertThatThrownBy(() -> FakeLlmServer.connect(URI.create(embedded.url() + "/?view=mine")))
                .hasMessageContaining("url: view: invalid value 'mine', expected 'own'");
        assertThatThrownBy(() -> FakeLlmServer.connect(URI.create(embedded.url() + "/?apiKeyFingerprint=abc")))
                .hasMessageContaining("apiKeyFingerprint: invalid value 'abc', expected 64 lower-case hex digits");
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        }
        assertThatThrownBy(() -> FakeLlmServer.connect(URI.create("http://127.0.0.1:" + closedPort)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("cannot reach the LLM Fault Kit server at http://127.0.0.1:" + closedPort);
    }

    @Test
    void badScenariosGetTheServersMessage() {
        try (FakeLlmServer remote = FakeLlmServer.connect(embedded.url())) {
            Scenario taken = remote.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).id("same").build());
            assertThatThrownBy(() -> remote.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).id(taken.id()).build()))
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("id: invalid value 'same'");
        }
    }

    @Test
    void journalCodecReadsWhatItWrites() {
        assertThat(status(KEY_A)).isEqualTo(200);
        JournalEntry entry = embedded.journal().entries().get(0);
        assertThat(entry.modelCall()).as("a model call, so the codec carries it").isNotNull();
        JournalEntry read = JournalCodec.read(JournalCodec.write(entry));
        assertThat(read).usingRecursiveComparison().ignoringFields("body", "duration").isEqualTo(entry);
        assertThat(read.json()).isEqualTo(entry.json());
        assertThat(read.duration().toNanos()).isCloseTo(entry.duration().toNanos(), org.assertj.core.data.Offset.offset(1000L));
        assertThatThrownBy(() -> JournalCodec.read(JournalCodec.write(entry).without("status")))
                .hasMessage("status: is required in a journal entry");
    }

    private static URI scoped(String key) {
        return URI.create(embedded.url() + "/?apiKeyFingerprint=" + Secrets.fingerprint(key) + "&apiKeyMask=" + Secrets.mask(key));
    }

    private static int status(String key) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(embedded.baseUrl(Provider.OPENAI) + "/chat/completions"))
                .header("Authorization", "Bearer " + key).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}")).build();
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException | InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void aServerWithoutPolicyEndpointsRefusesAPolicyInsteadOfIgnoringIt() throws IOException {
        // an older standalone server: healthy, but every /__admin/policies call is 404
        com.sun.net.httpserver.HttpServer old = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
        old.createContext("/", exchange -> {
            boolean health = exchange.getRequestURI().getPath().equals("/__admin/health");
            byte[] body = (health ? "{\"status\":\"UP\"}" : "{\"error\":{\"message\":\"no admin endpoint\"}}")
                    .getBytes(java.nio.charset.StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "application/json");
            exchange.sendResponseHeaders(health ? 200 : 404, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        old.start();
        try (FakeLlmServer remote = FakeLlmServer.connect(URI.create("http://127.0.0.1:" + old.getAddress().getPort()))) {
            assertThatThrownBy(() -> remote.policies().rateLimits(RateLimitPolicy.builder().requestsPerWindow(1).build()))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("has no PUT /__admin/policies/rateLimits (404)");
        } finally {
            old.stop(0);
        }
    }
}
