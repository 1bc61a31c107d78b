package dev.llmfault.server.policies;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Transport and stream faults, seen from a raw HTTP client the way an SDK's transport sees them. */
class TransportFaultTest {
    private static final String KEY = "sk-transport-0123456789abcdef";
    private static final String PLAIN_BODY = Calls.body(Provider.OPENAI, false).toString();
    private static final String STREAM_BODY =
            "{\"model\":\"gpt-4o\",\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}";
    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.replyText("one two three four five six"));

    private HttpRequest chat(String body) {
        return HttpRequest.newBuilder(URI.create(server.get().baseUrl(Provider.OPENAI) + "/chat/completions"))
                .header("Authorization", "Bearer " + KEY).header("Content-Type", "application/json")
                .timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(body)).build();
    }

    @Test
    void connectionResetGivesTheClientAnIoErrorAndNoAnswer() {
        server.get().scenarios().add(Scenario.builder(Fault.CONNECTION_RESET).times(1).build());

        assertThatThrownBy(() -> Http.client().send(chat(PLAIN_BODY), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
        JournalEntry entry = server.get().journal().last().orElseThrow();
        assertThat(entry.status()).isZero();
        assertThat(entry.fault()).isEqualTo(Fault.CONNECTION_RESET);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, KEY).status()).isEqualTo(200); // times: 1, then it passes
    }

    @Test
    void interruptedStreamIsCutAfterTheGivenChunksWithoutItsTerminalEvent() throws Exception {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).afterChunks(3).build());

        // A raw socket shows the bytes on the wire; an HTTP client may drop what it buffered once it sees the cut.
        String wire = rawExchange(STREAM_BODY);

        assertThat(wire).startsWith("HTTP/1.1 200").contains("Transfer-Encoding: chunked");
        assertThat(wire.split("data: ", -1)).hasSize(5); // the role frame, then three content deltas
        assertThat(wire).doesNotContain("[DONE]").doesNotEndWith("0\r\n\r\n"); // no terminating chunk
    }

    private String rawExchange(String body) throws IOException {
        try (java.net.Socket socket = new java.net.Socket("127.0.0.1", server.get().port())) {
            socket.setSoTimeout(10_000);
            byte[] payload = body.getBytes(StandardCharsets.UTF_8);
            String head = "POST /v1/chat/completions HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer " + KEY
                    + "\r\nContent-Type: application/json\r\nContent-Length: " + payload.length + "\r\n\r\n";
            socket.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().write(payload);
            socket.getOutputStream().flush();
            java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
            InputStream in = socket.getInputStream();
            byte[] buffer = new byte[8192];
            try {
                for (int n; (n = in.read(buffer)) >= 0; ) {
                    received.write(buffer, 0, n);
                }
            } catch (java.net.SocketException reset) {
                // a reset after the bytes is a cut too; what was received is what counts
            }
            return received.toString(StandardCharsets.UTF_8);
        }
    }

    @Test
    void interruptedPlainAnswerIsShorterThanItsContentLength() throws Exception {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).build());

        assertThatThrownBy(() -> Http.client().send(chat(PLAIN_BODY), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(IOException.class);
    }

    @Test
    void streamErrorSendsTheProvidersErrorFrameAfterTheGivenChunks() throws Exception {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_ERROR).afterChunks(2).build());

        HttpResponse<InputStream> response = Http.client().send(chat(STREAM_BODY), HttpResponse.BodyHandlers.ofInputStream());
        List<String> frames = new ArrayList<>();
        readFrames(response.body(), frames);

        assertThat(frames).as("the role frame, two content deltas, the error").hasSize(4);
        assertThat(frames.get(3)).startsWith("data: {\"error\":{").contains("\"type\":\"server_error\"");
    }

    @Test
    void anthropicStreamErrorIsAnErrorEvent() throws Exception {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_ERROR).afterChunks(1).build());
        HttpRequest request = HttpRequest.newBuilder(URI.create(server.get().url() + "/v1/messages"))
                .header("x-api-key", KEY).header("anthropic-version", "2023-06-01")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(
                        "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":9,\"stream\":true,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]}"))
                .build();

        List<String> frames = new ArrayList<>();
        readFrames(Http.client().send(request, HttpResponse.BodyHandlers.ofInputStream()).body(), frames);

        assertThat(frames).as("message_start, content_block_start, ping, one content delta, the error").hasSize(5);
        assertThat(frames.get(0)).startsWith("event: message_start");
        assertThat(frames.get(3)).startsWith("event: content_block_delta");
        assertThat(frames.get(4)).startsWith("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\"");
    }

    @Test
    void slowResponseOutlastsAShorterClientTimeout() {
        server.get().scenarios().add(Scenario.builder(Fault.SLOW_RESPONSE).delayMs(1_000).times(1).build());
        HttpRequest impatient = HttpRequest.newBuilder(chat(PLAIN_BODY), (n, v) -> true)
                .timeout(Duration.ofMillis(100)).build();

        assertThatThrownBy(() -> Http.client().send(impatient, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);
    }

    /** Reads SSE frames (blocks separated by a blank line) until the stream ends. */
    private static void readFrames(InputStream in, List<String> frames) throws IOException {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            StringBuilder frame = new StringBuilder();
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.isEmpty()) {
                    if (frame.length() > 0) {
                        frames.add(frame.toString());
                        frame.setLength(0);
                    }
                } else {
                    frame.append(frame.length() == 0 ? "" : "\n").append(line);
                }
            }
        }
    }
}
