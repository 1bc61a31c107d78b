package dev.llmfault.server.internal.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Provider;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * One recorded exchange: what was asked and what the upstream answered, secrets scrubbed. Written as one
 * readable JSON file by {@link FixtureCodec}; replayed by {@link ReplayIndex}.
 *
 * <pre>{@code
 * {"format":"llmfault-fixture/1","provider":"OPENAI","method":"POST","path":"/v1/chat/completions",
 *  "model":"gpt-4o","request":{"headers":{...},"body":{...}},
 *  "response":{"status":200,"latencyMs":412,"headers":{...},"body":{...}},"recordedAt":"2026-12-02T13:00:00Z"}
 * }</pre>
 *
 * @param provider    the provider whose API was called
 * @param method      HTTP method
 * @param path        request path (the fake server's, which is the provider's own)
 * @param query       query string, scrubbed, or null
 * @param model       the model the request named (body or path), or null
 * @param requestHeaders request headers, credentials dropped, the rest scrubbed
 * @param requestBody the request body as JSON (scrubbed), or a text node when it was not JSON
 * @param response    the upstream answer
 * @param recordedAt  when it was recorded
 */
public record Fixture(Provider provider, String method, String path, String query, String model,
                      Map<String, String> requestHeaders, JsonNode requestBody, Answer response, Instant recordedAt) {

    public Fixture {
        requestHeaders = Map.copyOf(requestHeaders);
    }

    /**
     * The upstream's answer.
     *
     * @param status    HTTP status
     * @param headers   response headers, scrubbed (names lower case)
     * @param body      the exact body bytes of a plain answer (empty for a stream)
     * @param chunks    a stream's pieces as they arrived, with their time from the headers; empty for a plain answer
     * @param latencyMs time from sending the request to the upstream's headers
     */
    public record Answer(int status, Map<String, String> headers, byte[] body, List<Chunk> chunks, long latencyMs) {
        public Answer {
            headers = Map.copyOf(headers);
            chunks = List.copyOf(chunks);
        }

        public boolean isStream() {
            return !chunks.isEmpty();
        }
    }

    /**
     * One piece of a streamed answer.
     *
     * @param atMs  milliseconds after the headers at which it arrived
     * @param bytes the bytes as they arrived
     */
    public record Chunk(long atMs, byte[] bytes) {
    }
}
