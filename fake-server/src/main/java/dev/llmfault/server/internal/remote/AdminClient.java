package dev.llmfault.server.internal.remote;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.json.Json;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * A small JSON client of one server's admin API ({@code /__admin}). Errors become exceptions that say what
 * went wrong: a 400 is an {@link IllegalArgumentException} carrying the server's message (which names the
 * field), an unreachable server an {@link IllegalStateException} naming the URL.
 */
final class AdminClient {
    /**
     * One client for the JVM: each {@link HttpClient} owns a selector thread that Java 17 cannot stop, so a
     * test run that opens hundreds of handles must not create hundreds of clients. Its threads are daemons.
     */
    private static final HttpClient HTTP = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .followRedirects(HttpClient.Redirect.NEVER)
            .build();
    private static final Duration CALL_TIMEOUT = Duration.ofSeconds(30);

    private final URI root;
    /** The admin token sent as {@code Authorization: Bearer}, or null. */
    private final String token;

    AdminClient(URI root, String token) {
        this.root = root;
        this.token = token;
    }

    URI root() {
        return root;
    }

    /** The answer of a call: status and parsed JSON body (an empty object when there is none). */
    record Answer(int status, JsonNode body) {
        /** 404: no such scenario, or a revocation the server does not know. */
        boolean notFound() {
            return status == 404;
        }
    }

    Answer get(String path) {
        return send("GET", path, null);
    }

    Answer post(String path, JsonNode body) {
        return send("POST", path, body);
    }

    Answer put(String path, JsonNode body) {
        return send("PUT", path, body);
    }

    Answer delete(String path) {
        return send("DELETE", path, null);
    }

    static String encode(String value) {
        return URLEncoder.encode(value, StandardCharsets.UTF_8);
    }

    private Answer send(String method, String path, JsonNode body) {
        URI uri = root.resolve("/__admin" + path);
        HttpRequest.Builder request = HttpRequest.newBuilder(uri)
                .timeout(CALL_TIMEOUT)
                .header("Accept", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        if (body != null) {
            request.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofByteArray(Json.bytes(body)));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        HttpResponse<byte[]> response;
        try {
            response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofByteArray());
        } catch (IOException e) {
            throw new IllegalStateException("cannot reach the LLM Fault Kit server at " + root + " (" + method + " "
                    + uri.getPath() + "): " + describe(e), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while calling " + method + " " + uri, e);
        }
        Answer answer = new Answer(response.statusCode(), parse(response.body(), method, uri));
        if (answer.status() == 401) {
            throw new IllegalStateException("the LLM Fault Kit server at " + root + " refused " + method + " "
                    + uri.getPath() + ": " + (token == null ? "it requires an admin token, and none was given"
                    : "the admin token given is not the server's") + " (" + errorMessage(answer) + ")");
        }
        if (answer.status() == 400) {
            throw new IllegalArgumentException(errorMessage(answer));
        }
        // 404 and 409 (revoking with no credential policy) are answers the callers read, not failures
        if (answer.status() >= 300 && !answer.notFound() && answer.status() != 409) {
            throw new IllegalStateException("the LLM Fault Kit server at " + root + " answered " + answer.status()
                    + " to " + method + " " + uri.getPath() + ": " + errorMessage(answer));
        }
        return answer;
    }

    private JsonNode parse(byte[] bytes, String method, URI uri) {
        if (bytes.length == 0) {
            return Json.object();
        }
        try {
            return Json.MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(root + " is not an LLM Fault Kit server: " + method + " " + uri.getPath()
                    + " did not answer JSON", e);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the answer of " + method + " " + uri, e);
        }
    }

    private static String errorMessage(Answer answer) {
        JsonNode message = answer.body().path("error").path("message");
        return message.isTextual() ? message.asText() : answer.body().toString();
    }

    private static String describe(IOException e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
