package com.example;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

/**
 * A chat client of your own, on {@code java.net.http}: it sends one OpenAI chat completion and retries a 429
 * or a 5xx up to three times in all. {@code new ChatClient(baseUrl, key, true)} waits what {@code Retry-After}
 * asks before each retry; {@code false} retries at once, the bug the kit catches.
 */
public record ChatClient(URI baseUrl, String apiKey, boolean honourRetryAfter) {
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    /** The answer's JSON body. */
    public String ask(String prompt) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create(baseUrl + "/chat/completions"))
                .header("Authorization", "Bearer " + apiKey)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"model\": \"gpt-4o-mini\", \"messages\": "
                        + "[{\"role\": \"user\", \"content\": \"" + prompt.replace("\"", "\\\"") + "\"}]}"))
                .build();
        for (int attempt = 1; ; attempt++) {
            HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
            int status = response.statusCode();
            if (status == 200) {
                return response.body();
            }
            if ((status != 429 && status < 500) || attempt == 3) {
                throw new IOException("HTTP " + status + " after " + attempt + " attempt(s): " + response.body());
            }
            if (honourRetryAfter) { // Retry-After is in seconds
                Thread.sleep(1000 * Long.parseLong(response.headers().firstValue("Retry-After").orElse("1")));
            }
        }
    }
}
