package dev.llmfault.server.policies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** Raw HTTP calls in each provider's format, for the policy and transport tests. */
final class Calls {
    static final ObjectMapper JSON = new ObjectMapper();
    static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    static final String OPENAI_BODY = "{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"hello there\"}]}";
    static final String ANTHROPIC_BODY = "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    static final String ZHIPU_BODY = "{\"model\":\"glm-4.6\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";

    private Calls() {
    }

    static HttpResponse<String> openAi(FakeLlmServer server, String key) {
        return openAiBody(server, key, OPENAI_BODY);
    }

    /** A chat call with extra headers, given as name, value, name, value... */
    static HttpResponse<String> openAiHeaders(FakeLlmServer server, String key, String... headers) {
        return openAiBody(server, key, OPENAI_BODY, headers);
    }

    static HttpResponse<String> openAiBody(FakeLlmServer server, String key, String body, String... headers) {
        return post(URI.create(server.baseUrl(Provider.OPENAI) + "/chat/completions"), body,
                concat(headers, "Authorization", "Bearer " + key));
    }

    static HttpResponse<String> anthropic(FakeLlmServer server, String key, String version, String body, String... headers) {
        return post(URI.create(server.baseUrl(Provider.ANTHROPIC) + "/v1/messages"), body,
                concat(headers, "x-api-key", key, "anthropic-version", version));
    }

    static HttpResponse<String> zhipu(FakeLlmServer server, String credential) {
        return post(URI.create(server.baseUrl(Provider.ZHIPU) + "/chat/completions"), ZHIPU_BODY,
                new String[] {"Authorization", "Bearer " + credential});
    }

    static HttpResponse<String> form(FakeLlmServer server, String path, String form, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .POST(HttpRequest.BodyPublishers.ofString(form));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    static HttpResponse<String> admin(FakeLlmServer server, String method, String path, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(server.url() + path)).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json");
        b.method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        return send(b.build());
    }

    static HttpResponse<String> post(URI uri, String body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i + 1 < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return send(b.build());
    }

    static HttpResponse<String> send(HttpRequest request) {
        try {
            return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JsonNode json(HttpResponse<String> response) {
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new UncheckedIOException("not JSON: " + response.body(), e);
        }
    }

    private static String[] concat(String[] extra, String... first) {
        String[] all = new String[first.length + extra.length];
        System.arraycopy(first, 0, all, 0, first.length);
        System.arraycopy(extra, 0, all, first.length, extra.length);
        return all;
    }
}
