package dev.llmfault.server.proxy;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.llmfault.server.internal.proxy.ProxyOptions;
import dev.llmfault.server.internal.proxy.UpstreamClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The proxy's upstream client against local upstreams only: HTTPS with a self-signed certificate, redirects, failures, streams. */
class UpstreamClientTest {
    private final List<HttpServer> servers = new ArrayList<>();

    @AfterEach
    void stop() {
        servers.forEach(s -> s.stop(0));
    }

    private URI plainUpstream(com.sun.net.httpserver.HttpHandler handler) throws Exception {
        HttpServer s = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        s.createContext("/", handler);
        s.setExecutor(java.util.concurrent.Executors.newCachedThreadPool());
        s.start();
        servers.add(s);
        return URI.create("http://127.0.0.1:" + s.getAddress().getPort());
    }

    /** A keystore with a fresh self-signed certificate for 127.0.0.1, made with the JDK's keytool. */
    static Path selfSignedKeyStore(Path dir) throws Exception {
        Path ks = dir.resolve("upstream.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "upstream", "-keyalg", "RSA", "-keysize", "2048",
                "-validity", "2", "-dname", "CN=127.0.0.1", "-ext", "SAN=ip:127.0.0.1", "-storetype", "PKCS12",
                "-keystore", ks.toString(), "-storepass", "changeit", "-keypass", "changeit")
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("keytool finished: %s", out).isTrue();
        assertThat(p.exitValue()).as("keytool: %s", out).isZero();
        return ks;
    }

    @Test
    void anHttpsUpstreamWithAPrivateCertificateIsReachedThroughTheTrustStore(@TempDir Path dir) throws Exception {
        Path ks = selfSignedKeyStore(dir);
        KeyStore store = KeyStore.getInstance(ks.toFile(), "changeit".toCharArray());
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(store, "changeit".toCharArray());
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(kmf.getKeyManagers(), null, null);
        HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        https.setHttpsConfigurator(new HttpsConfigurator(ssl));
        https.createContext("/", ex -> {
            byte[] body = ("{\"seen\":\"" + ex.getRequestHeaders().getFirst("Authorization") + "\"}").getBytes(StandardCharsets.UTF_8);
            ex.sendResponseHeaders(200, body.length);
            ex.getResponseBody().write(body);
            ex.close();
        });
        https.start();
        servers.add(https);
        URI target = URI.create("https://127.0.0.1:" + https.getAddress().getPort() + "/v1/chat/completions");

        try (UpstreamClient trusting = new UpstreamClient(new ProxyOptions(5000, 5000, ks, "changeit".toCharArray()))) {
            UpstreamClient.UpstreamAnswer a = trusting.send(target, "POST", Map.of("authorization", "Bearer sk-up"), "{}".getBytes());
            assertThat(a.status()).isEqualTo(200);
            assertThat(new String(a.body().readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("{\"seen\":\"Bearer sk-up\"}");
        }
        try (UpstreamClient defaults = new UpstreamClient(ProxyOptions.defaults())) {
            assertThatThrownBy(() -> defaults.send(target, "POST", Map.of(), "{}".getBytes()))
                    .isInstanceOf(UpstreamClient.UpstreamFailure.class).hasMessageStartingWith("upstream: ");
        }
        assertThatThrownBy(() -> new UpstreamClient(new ProxyOptions(5000, 5000, dir.resolve("missing.p12"), null)))
                .hasMessageStartingWith("proxy.trustStore: cannot load '");
    }

    @Test
    void aRedirectIsNeverFollowedItReachesTheClientAsItIs() throws Exception {
        URI up = plainUpstream(ex -> {
            ex.getResponseHeaders().add("Location", "http://elsewhere.invalid/steal");
            ex.sendResponseHeaders(307, -1);
            ex.close();
        });
        try (UpstreamClient client = new UpstreamClient(ProxyOptions.defaults())) {
            UpstreamClient.UpstreamAnswer a = client.send(up.resolve("/v1/models"), "GET", Map.of("authorization", "Bearer sk-x"), new byte[0]);
            assertThat(a.status()).isEqualTo(307);
            assertThat(a.headers()).containsEntry("location", "http://elsewhere.invalid/steal");
        }
    }

    @Test
    void aRefusedOrSilentUpstreamIsAFailureThatNamesTheHostAndNoSecret() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            closedPort = s.getLocalPort();
        }
        CountDownLatch release = new CountDownLatch(1);
        URI silent = plainUpstream(ex -> {
            try {
                release.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            ex.close();
        });
        try (UpstreamClient client = new UpstreamClient(new ProxyOptions(2000, 300, null, null))) {
            assertThatThrownBy(() -> client.send(URI.create("http://127.0.0.1:" + closedPort + "/v1/x"), "POST",
                    Map.of("authorization", "Bearer sk-secret-123456"), "{}".getBytes()))
                    .isInstanceOf(UpstreamClient.UpstreamFailure.class)
                    .hasMessage("upstream: connection refused by 127.0.0.1:" + closedPort)
                    .message().doesNotContain("sk-secret");
            assertThatThrownBy(() -> client.send(silent.resolve("/v1/x"), "POST", Map.of(), "{}".getBytes()))
                    .hasMessage("upstream: no answer from 127.0.0.1 within 300 ms");
        } finally {
            release.countDown();
        }
    }

    @Test
    void aStreamedAnswerArrivesPieceByPieceNotBuffered() throws Exception {
        CountDownLatch firstRead = new CountDownLatch(1);
        URI up = plainUpstream(ex -> {
            ex.getResponseHeaders().add("Content-Type", "text/event-stream");
            ex.sendResponseHeaders(200, 0);
            OutputStream out = ex.getResponseBody();
            out.write("data: one\n\n".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try {
                firstRead.await(10, TimeUnit.SECONDS); // the second piece only once the client has read the first
            } catch (InterruptedException ignored) {
                Thread.currentThread().interrupt();
            }
            out.write("data: two\n\n".getBytes(StandardCharsets.UTF_8));
            ex.close();
        });
        try (UpstreamClient client = new UpstreamClient(ProxyOptions.defaults())) {
            UpstreamClient.UpstreamAnswer a = client.send(up.resolve("/v1/chat/completions"), "POST", Map.of(), "{}".getBytes());
            InputStream body = a.body();
            byte[] first = new byte[11];
            assertThat(body.readNBytes(first, 0, 11)).isEqualTo(11);
            assertThat(new String(first, StandardCharsets.UTF_8)).isEqualTo("data: one\n\n");
            firstRead.countDown();
            assertThat(new String(body.readAllBytes(), StandardCharsets.UTF_8)).isEqualTo("data: two\n\n");
        }
    }

    @Test
    void anUpstreamIsGivenAsProviderEqualsUrlAndBadOnesAreNamed() {
        var up = dev.llmfault.server.internal.proxy.Upstream.parse("openai=https://api.example.test/compat/");
        assertThat(up.target("/v1/chat/completions", "a=1")).hasToString("https://api.example.test/compat/v1/chat/completions?a=1");
        assertThatThrownBy(() -> dev.llmfault.server.internal.proxy.Upstream.parse("NOPE=https://x"))
                .hasMessageStartingWith("proxy: provider 'NOPE' is not one of [OPENAI");
        assertThatThrownBy(() -> dev.llmfault.server.internal.proxy.Upstream.parse("OPENAI=ftp://x"))
                .hasMessageContaining("must start with https:// or http://");
        assertThatThrownBy(() -> dev.llmfault.server.internal.proxy.Upstream.parse("OPENAI=https://user:sk-1@x"))
                .hasMessageContaining("carries credentials in the URL").message().doesNotContain("sk-1");
        assertThatThrownBy(() -> dev.llmfault.server.internal.proxy.Upstream.parse("https://x"))
                .hasMessageContaining("is not PROVIDER=URL");
    }
}
