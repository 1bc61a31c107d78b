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

    /**
     * The tool loop as it is often first written: it runs only the first tool the model calls (parallel calls go
     * unanswered), and on any failure starts the whole task over from the question, at once, {@value #ATTEMPTS}
     * times: the tools it already ran run again.
     */
    public String askWithTools(String prompt, java.util.List<ResilientChatClient.Tool> tools) {
        Exception last = null;
        for (int i = 0; i < ATTEMPTS; i++) {
            try {
                ObjectNode body = JSON.createObjectNode().put("model", "gpt-4o-mini");
                com.fasterxml.jackson.databind.node.ArrayNode messages = body.putArray("messages");
                messages.addObject().put("role", "user").put("content", prompt);
                com.fasterxml.jackson.databind.node.ArrayNode offered = body.putArray("tools");
                for (ResilientChatClient.Tool t : tools) {
                    offered.addObject().put("type", "function").putObject("function").put("name", t.name())
                            .set("parameters", t.parameters());
                }
                while (true) {
                    HttpResponse<String> response = http.send(post(body), HttpResponse.BodyHandlers.ofString());
                    if (response.statusCode() != 200) {
                        throw new RuntimeException("HTTP " + response.statusCode());
                    }
                    JsonNode message = JSON.readTree(response.body()).path("choices").path(0).path("message");
                    JsonNode call = message.path("tool_calls").path(0);
                    if (call.isMissingNode()) {
                        return message.path("content").asText();
                    }
                    messages.add(message);
                    ResilientChatClient.Tool tool = tools.stream()
                            .filter(t -> t.name().equals(call.path("function").path("name").asText())).findFirst().orElseThrow();
                    messages.addObject().put("role", "tool").put("tool_call_id", call.path("id").asText())
                            .put("content", tool.run().apply(JSON.readTree(call.path("function").path("arguments").asText())));
                }
            } catch (Exception e) {
                last = e;
            }
        }
        throw new RuntimeException("LLM call failed", last);
    }

    /**
     * Structured output the hopeful way: asks for JSON in the prompt (no schema in the request) and reads the text
     * into the type; whatever goes wrong surfaces as Jackson's exception.
     */
    public <T> T askFor(String prompt, Class<T> type) {
        String text = ask(prompt + " Answer in JSON.");
        try {
            return JSON.readValue(text, type);
        } catch (Exception e) {
            throw new RuntimeException(e);
        }
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
        return post(body);
    }

    private HttpRequest post(ObjectNode body) throws Exception {
        return HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
                .build();
    }
}
