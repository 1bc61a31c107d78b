package dev.llmfault.server.internal.proxy;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Sends a request on to its upstream through the JDK's HttpClient: HTTP/2 where the upstream offers it over
 * TLS, HTTP/1.1 in clear text; redirects are never followed (a redirect to another host would take the
 * client's credential with it), they reach the client as they are. The answer's body is handed over as a
 * stream, so a streamed answer goes on to the client piece by piece as it arrives.
 *
 * <pre>{@code
 * try (UpstreamClient client = new UpstreamClient(ProxyOptions.defaults())) {
 *     UpstreamAnswer a = client.send(target, "POST", headers, body);
 * }
 * }</pre>
 */
public final class UpstreamClient implements AutoCloseable {
    /** Headers that belong to one connection (RFC 9110 7.6.1) or that the JDK client sets itself. */
    private static final Set<String> NOT_FORWARDED = Set.of("connection", "keep-alive", "proxy-connection",
            "proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade", "host", "content-length", "expect",
            "http2-settings", "accept-encoding");

    private final HttpClient client;
    private final Duration headersTimeout;

    public UpstreamClient(ProxyOptions options) {
        HttpClient.Builder b = HttpClient.newBuilder()
                .followRedirects(HttpClient.Redirect.NEVER)
                .connectTimeout(Duration.ofMillis(options.connectTimeoutMs()));
        if (options.trustStore() != null) {
            b.sslContext(sslContext(options.trustStore(), options.trustStorePassword()));
        }
        this.client = b.build();
        this.headersTimeout = Duration.ofMillis(options.readTimeoutMs());
    }

    /** What the upstream answered: its status and headers at once, its body as it arrives. */
    public record UpstreamAnswer(int status, Map<String, String> headers, InputStream body, long latencyNanos) {
    }

    /** Why nothing came back: the request never reached the upstream, or no answer came in time. */
    public static final class UpstreamFailure extends IOException {
        public UpstreamFailure(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Sends the request and waits for the answer's headers (at most the read timeout).
     *
     * @param headers request headers to forward, names lower case; connection headers are left out here
     * @throws UpstreamFailure with a short reason (refused, timed out, reset) that names no credential
     */
    public UpstreamAnswer send(URI target, String method, Map<String, String> headers, byte[] body) throws UpstreamFailure {
        HttpRequest.Builder req = HttpRequest.newBuilder(target)
                .timeout(headersTimeout)
                .version("https".equalsIgnoreCase(target.getScheme()) ? HttpClient.Version.HTTP_2 : HttpClient.Version.HTTP_1_1)
                .method(method, body == null || body.length == 0 && (method.equals("GET") || method.equals("DELETE"))
                        ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
        headers.forEach((name, value) -> {
            if (!NOT_FORWARDED.contains(name.toLowerCase(Locale.ROOT))) {
                req.header(name, value);
            }
        });
        long start = System.nanoTime();
        HttpResponse<InputStream> res;
        try {
            res = client.send(req.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (HttpConnectTimeoutException e) {
            throw new UpstreamFailure("upstream: connect timed out to " + target.getHost() + ":" + port(target), e);
        } catch (HttpTimeoutException e) {
            throw new UpstreamFailure("upstream: no answer from " + target.getHost() + " within " + headersTimeout.toMillis() + " ms", e);
        } catch (ConnectException e) {
            throw new UpstreamFailure("upstream: connection refused by " + target.getHost() + ":" + port(target), e);
        } catch (IOException e) {
            throw new UpstreamFailure("upstream: " + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage())
                    + " (" + target.getHost() + ")", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new UpstreamFailure("upstream: interrupted (the server is stopping)", e);
        }
        Map<String, String> out = new TreeMap<>();
        res.headers().map().forEach((name, values) -> {
            String lower = name.toLowerCase(Locale.ROOT);
            // content-length is kept: a body the upstream cut short is passed on cut short (see the relay)
            if (!values.isEmpty() && !lower.startsWith(":") && (lower.equals("content-length") || !NOT_FORWARDED.contains(lower))) {
                out.put(lower, String.join(", ", values));
            }
        });
        return new UpstreamAnswer(res.statusCode(), out, res.body(), System.nanoTime() - start);
    }

    private static int port(URI uri) {
        return uri.getPort() > 0 ? uri.getPort() : "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
    }

    private static SSLContext sslContext(Path trustStore, char[] password) {
        try {
            KeyStore ks = KeyStore.getInstance(trustStore.toFile(), password);
            TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(ks);
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            // KeyStore.getInstance(File) says "file does not exist" with an IllegalArgumentException
            throw new IllegalArgumentException("proxy.trustStore: cannot load '" + trustStore + "': " + e.getMessage());
        }
    }

    @Override
    public void close() {
        // HttpClient is AutoCloseable only from Java 21; on 17 its threads end when it is unreachable.
        if (client instanceof AutoCloseable closeable) {
            try {
                closeable.close();
            } catch (Exception ignored) {
                // closing is best effort
            }
        }
    }
}
