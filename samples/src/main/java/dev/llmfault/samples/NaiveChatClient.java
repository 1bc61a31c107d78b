package dev.llmfault.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.util.Iterator;
import java.util.stream.Stream;

/**
 * The client the error-1200 article warns about, kept as a counter-example: it retries every failure at
 * once (a 401 as much as a 429), ignores {@code Retry-After}, never refreshes a token, reads a stream until
 * the connection ends and calls whatever it got an answer, prints its requests (key included) when they fail,
 * never checks its key before the real work, counts nothing, and throws an exception that says nothing about the
 * cause but shows the key. The tests of this module prove, from the fake server's journal, each of these bugs.
 *
 * <pre>{@code
 * NaiveChatClient naive = new NaiveChatClient(URI.create("http://127.0.0.1:8089/v1"), "sk-test");
 * naive.ask("hello"); // three requests in a few milliseconds when the server answers 429
 * }</pre>
 */
public final class NaiveChatClient {
    /** Attempts per call: "three times should do it". */
    public static final int ATTEMPTS = 3;

    private static final ObjectMapper JSON = new ObjectMapper();

    private final String baseUrl;
    private final String apiKey;
    private final HttpClient http = HttpClient.newHttpClient();

    public NaiveChatClient(URI baseUrl, String apiKey) {
        this.baseUrl = baseUrl.toString();
        this.apiKey = apiKey;
    }

    /** Asks, and on any failure asks again straight away, {@value #ATTEMPTS} times in all. */
    public String ask(String prompt) {
        Exception last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                HttpResponse<String> response = http.send(request(prompt, false), HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return JSON.readTree(response.body()).path("choices").path(0).path("message").path("content").asText();
                }
                last = new RuntimeException("HTTP " + response.statusCode());
            } catch (Exception e) {
                last = e;
            }
        }
        System.out.println("LLM call failed: " + last.getMessage() + " " + headers()); // "to debug it", key and all
        throw new RuntimeException("LLM call failed (key " + apiKey + ")", last);
    }

    /**
     * Streams, concatenating every {@code delta.content} until the connection ends; error frames and a
     * missing {@code [DONE]} go unnoticed. Retries like {@link #ask(String)}.
     */
    public String askStreaming(String prompt) {
        Exception last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            StringBuilder text = new StringBuilder();
            try {
                HttpResponse<Stream<String>> response = http.send(request(prompt, true), HttpResponse.BodyHandlers.ofLines());
                if (response.statusCode() != 200) {
                    response.body().close();
                    last = new RuntimeException("HTTP " + response.statusCode());
                    continue;
                }
                try (Stream<String> lines = response.body()) {
                    Iterator<String> it = lines.iterator();
                    while (it.hasNext()) {
                        String line = it.next();
                        if (line.startsWith("data: ") && !line.equals("data: [DONE]")) {
                            JsonNode content = JSON.readTree(line.substring(6))
                                    .path("choices").path(0).path("delta").path("content");
                            text.append(content.asText(""));
                        }
                    }
                }
                return text.toString();
            } catch (Exception e) {
                last = e;
            }
        }
        throw new RuntimeException("LLM call failed", last);
    }

    private java.util.Map<String, java.util.List<String>> headers() {
        try {
            return request("", false).headers().map();
        } catch (Exception e) {
            return java.util.Map.of();
        }
    }

    private HttpRequest request(String prompt, boolean stream) throws Exception {
        ObjectNode body = JSON.createObjectNode().put("model", "gpt-4o-mini");
        body.putArray("messages").addObject().put("role", "user").put("content", prompt);
        if (stream) {
            body.put("stream", true);
        }
        return HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
    }
}
