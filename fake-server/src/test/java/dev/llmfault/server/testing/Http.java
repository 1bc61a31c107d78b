package dev.llmfault.server.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The tests' HTTP client: the JDK's own, as LangChain4j and hand-written clients use it. HTTP/1.1 by
 * default so that every call is a plain exchange; {@link #h2cClient()} gives the default client, which
 * sends {@code Upgrade: h2c} on plain HTTP.
 */
public final class Http {
    private static final HttpClient CLIENT = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private Http() {
    }

    public static HttpClient client() {
        return CLIENT;
    }

    /** A client with the JDK's defaults (HTTP/2 preferred: {@code Upgrade: h2c} on plain HTTP). */
    public static HttpClient h2cClient() {
        return HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    }

    public static Answer get(URI uri) {
        return send("GET", uri, Map.of(), null);
    }

    public static Answer delete(URI uri) {
        return send("DELETE", uri, Map.of(), null);
    }

    public static Answer postJson(URI uri, String json) {
        return send("POST", uri, Map.of("Content-Type", "application/json"), json);
    }

    public static Answer putJson(URI uri, String json) {
        return send("PUT", uri, Map.of("Content-Type", "application/json"), json);
    }

    /** A form post ({@code a=1&b=2}) with these extra headers. */
    public static Answer postForm(URI uri, String form, Map<String, String> headers) {
        Map<String, String> h = new LinkedHashMap<>(headers);
        h.put("Content-Type", "application/x-www-form-urlencoded");
        return send("POST", uri, h, form);
    }

    /** Sends a request; a null body sends none. */
    public static Answer send(String method, URI uri, Map<String, String> headers, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(TIMEOUT)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        headers.forEach(b::header);
        return send(CLIENT, b.build());
    }

    public static Answer send(HttpClient client, HttpRequest request) {
        try {
            HttpResponse<byte[]> r = client.send(request, HttpResponse.BodyHandlers.ofByteArray());
            return new Answer(r.statusCode(), r.headers(), new String(r.body(),
                    Answer.charsetOf(r.headers().firstValue("content-type").orElse(null))));
        } catch (IOException e) {
            throw new UncheckedIOException(request.method() + " " + request.uri() + " failed: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
