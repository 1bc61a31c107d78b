package dev.llmfault.server.proxy;

import com.sun.net.httpserver.HttpServer;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.internal.journal.Secrets;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * Proxy mode with a second fake server (or a small local HTTP server) as the upstream: nothing leaves the
 * machine. The proxy must be transparent when no fault applies, and faults and policies must act on
 * forwarded answers as on local ones.
 */
class ProxyModeTest {
    private final List<AutoCloseable> open = new ArrayList<>();

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private FakeLlmServer upstream() {
        FakeLlmServer s = FakeLlmServer.builder().replyText("Real answer from upstream, word by word.").start();
        open.add(s);
        return s;
    }

    private FakeLlmServer proxyTo(Provider p, URI upstreamRoot, String keyEnv) {
        FakeLlmServer s = FakeLlmServer.builder().proxy(p, upstreamRoot, keyEnv)
                .upstreamTimeouts(Duration.ofSeconds(5), Duration.ofMillis(1500)).start();
        open.add(s);
        return s;
    }

    private static Answer call(FakeLlmServer server, ProviderFixture f, boolean stream, String key) {
        Map<String, String> headers = new java.util.HashMap<>(f.requiredHeaders());
        headers.putAll(f.credential(key));
        headers.put("content-type", "application/json");
        return Http.send("POST", server.url().resolve(f.chatPath(stream)), headers, f.body(stream, "Say hello").toString());
    }

    @TestFactory
    Stream<DynamicTest> aProxiedAnswerIsTheUpstreamsAnswerForEveryProvider() {
        return ProviderFixture.all().stream().map(f -> DynamicTest.dynamicTest(f.provider().name(), () -> {
            FakeLlmServer up = upstream();
            FakeLlmServer proxy = proxyTo(f.provider(), up.url(), null);

            Answer plain = call(proxy, f, false, f.key());
            Answer stream = call(proxy, f, true, f.key());

            assertThat(plain.status()).as(plain.body()).isEqualTo(200);
            assertThat(plain.body()).contains("Real answer from upstream");
            assertThat(String.join("", f.streamText(stream.body()))).isEqualTo("Real answer from upstream, word by word.");
            assertThat(stream.body()).contains(f.terminalMarker());
            // The upstream saw the client's own credential; both journals have the exchange.
            assertThat(up.journal().entries()).hasSize(2)
                    .allSatisfy(e -> assertThat(e.apiKeyFingerprint()).isEqualTo(Secrets.fingerprint(f.key())));
            assertThat(proxy.journal().entries()).hasSize(2).allSatisfy(e -> {
                assertThat(e.origin()).isEqualTo(JournalEntry.Origin.UPSTREAM);
                assertThat(e.upstreamLatency()).isNotNull();
                assertThat(e.apiKeyMask()).isEqualTo(Secrets.mask(f.key()));
            });
        }));
    }

    @TestFactory
    Stream<DynamicTest> aStreamCutAfterTwoContentDeltasShowsTwoPiecesOnEveryProvider() {
        return ProviderFixture.all().stream().map(f -> DynamicTest.dynamicTest(f.provider().name(), () -> {
            FakeLlmServer up = upstream();
            FakeLlmServer proxy = proxyTo(f.provider(), up.url(), null);
            proxy.scenarios().add(Scenario.builder(Fault.STREAM_ERROR).afterChunks(2).build());

            Answer a = call(proxy, f, true, f.key());

            f.assertEndsWithErrorFrame(a.body());
            assertThat(String.join("", f.streamText(a.body()))).isEqualTo("Real answer ");
            assertThat(proxy.journal().entries().get(0).fault()).isEqualTo(Fault.STREAM_ERROR);
        }));
    }

    @Test
    void anInterruptedForwardedStreamIsCutAfterItsDeltas() {
        FakeLlmServer up = upstream();
        FakeLlmServer proxy = proxyTo(Provider.OPENAI, up.url(), null);
        proxy.scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).afterChunks(1).build());
        ProviderFixture f = ProviderFixture.of(Provider.OPENAI);

        // A raw client: the JDK's drops the bytes it buffered when the connection is cut under them.
        dev.llmfault.server.testing.RawHttp.Received got = dev.llmfault.server.testing.RawHttp.exchange(proxy.port(), "POST",
                f.chatPath(true), Map.of("authorization", "Bearer " + f.key(), "content-type", "application/json"),
                f.body(true, "Hi").toString());

        assertThat(got.complete()).as("the cut stream ends in an error, not a clean end").isFalse();
        assertThat(got.body()).contains("Real ").doesNotContain("answer", "[DONE]");
    }

    @Test
    void anInjectedRefusalNeverReachesTheUpstream() {
        FakeLlmServer up = upstream();
        FakeLlmServer proxy = proxyTo(Provider.OPENAI, up.url(), null);
        proxy.scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(1).retryAfterMs(300).build());
        ProviderFixture f = ProviderFixture.of(Provider.OPENAI);

        assertThat(call(proxy, f, false, f.key()).status()).isEqualTo(429);
        assertThat(call(proxy, f, false, f.key()).status()).isEqualTo(200);
        assertThat(up.journal().entries()).hasSize(1);
        assertThat(proxy.journal().entries()).extracting(JournalEntry::origin)
                .containsExactly(JournalEntry.Origin.LOCAL, JournalEntry.Origin.UPSTREAM); // in arrival order
    }

    @Test
    void theConfiguredKeyReplacesTheClientsUpstream() {
        FakeLlmServer up = upstream();
        // HOME is set on every machine the tests run on; its value stands for a key the test never holds.
        FakeLlmServer proxy = proxyTo(Provider.OPENAI, up.url(), "HOME");
        ProviderFixture f = ProviderFixture.of(Provider.OPENAI);

        assertThat(call(proxy, f, false, "sk-client-key-0123456789").status()).isEqualTo(200);

        assertThat(up.journal().entries().get(0).apiKeyFingerprint()).isEqualTo(Secrets.fingerprint(System.getenv("HOME")));
        assertThat(proxy.journal().entries().get(0).apiKeyFingerprint()).isEqualTo(Secrets.fingerprint("sk-client-key-0123456789"));
    }

    @Test
    void anUnreachableUpstreamIsTheProvidersServerErrorMarkedAsAnUpstreamFailure() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        FakeLlmServer proxy = proxyTo(Provider.ANTHROPIC, URI.create("http://127.0.0.1:" + closed), null);
        ProviderFixture f = ProviderFixture.of(Provider.ANTHROPIC);

        Answer a = call(proxy, f, false, f.key());

        assertThat(a.status()).isEqualTo(500);
        f.readError(a); // the provider's own envelope
        JournalEntry e = proxy.journal().entries().get(0);
        assertThat(e.origin()).isEqualTo(JournalEntry.Origin.UPSTREAM_FAILED);
        assertThat(e.scenarioId()).isNull();
        assertThat(e.faultReason()).isEqualTo("upstream: connection refused by 127.0.0.1:" + closed);
    }

    @Test
    void aSilentOrDroppingUpstreamFailsInTime() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        HttpServer silent = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        silent.setExecutor(Executors.newCachedThreadPool());
        silent.createContext("/", ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        silent.start();
        open.add(() -> {
            release.countDown();
            silent.stop(0);
        });
        ServerSocket dropping = new ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress());
        open.add(dropping);
        Thread dropper = new Thread(() -> {
            while (!dropping.isClosed()) {
                try {
                    dropping.accept().close(); // accepts, then drops the connection without a byte
                } catch (java.io.IOException closed) {
                    return;
                }
            }
        });
        dropper.setDaemon(true);
        dropper.start();
        ProviderFixture f = ProviderFixture.of(Provider.OPENAI);

        FakeLlmServer toSilent = proxyTo(Provider.OPENAI, URI.create("http://127.0.0.1:" + silent.getAddress().getPort()), null);
        assertThat(call(toSilent, f, false, f.key()).status()).isEqualTo(500);
        assertThat(toSilent.journal().entries().get(0).faultReason()).isEqualTo("upstream: no answer from 127.0.0.1 within 1500 ms");

        FakeLlmServer toDropping = proxyTo(Provider.OPENAI, URI.create("http://127.0.0.1:" + dropping.getLocalPort()), null);
        assertThat(call(toDropping, f, false, f.key()).status()).isEqualTo(500);
        assertThat(toDropping.journal().entries().get(0).origin()).isEqualTo(JournalEntry.Origin.UPSTREAM_FAILED);
    }

    @Test
    void aStreamGoesOnFrameByFrameAsTheUpstreamSendsIt() throws Exception {
        CountDownLatch firstSeen = new CountDownLatch(1);
        HttpServer up = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        up.setExecutor(Executors.newCachedThreadPool());
        up.createContext("/", ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\"first\"}}]}\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                firstSeen.await(10, TimeUnit.SECONDS); // the rest only once the client behind the proxy has the first frame
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            out.write("data: {\"choices\":[{\"index\":0,\"delta\":{\"content\":\" second\"}}]}\n\ndata: [DONE]\n\n".getBytes(StandardCharsets.UTF_8));
            ex.close();
        });
        up.start();
        open.add(() -> up.stop(0));
        FakeLlmServer proxy = proxyTo(Provider.OPENAI, URI.create("http://127.0.0.1:" + up.getAddress().getPort()), null);
        ProviderFixture f = ProviderFixture.of(Provider.OPENAI);

        HttpResponse<InputStream> res = Http.client().send(HttpRequest.newBuilder(proxy.url().resolve(f.chatPath(true)))
                .header("authorization", "Bearer " + f.key()).header("content-type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(f.body(true, "Hi").toString())).build(),
                HttpResponse.BodyHandlers.ofInputStream());
        java.io.BufferedReader lines = new java.io.BufferedReader(new java.io.InputStreamReader(res.body(), StandardCharsets.UTF_8));
        assertThat(lines.readLine()).contains("\"first\"");
        firstSeen.countDown();
        StringBuilder rest = new StringBuilder();
        for (String line = lines.readLine(); line != null; line = lines.readLine()) {
            rest.append(line).append('\n');
        }
        assertThat(rest).contains(" second", "[DONE]");
    }
}
