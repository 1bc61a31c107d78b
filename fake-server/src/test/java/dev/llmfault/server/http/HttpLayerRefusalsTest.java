package dev.llmfault.server.http;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Envelopes;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What Jetty and Javalin used to answer by themselves with an HTML or plain-text page: now a provider's JSON error
 * that is journaled with its reason (the provider told from the path where Jetty kept it; it drops the path of a
 * request it cannot parse), or the admin API's JSON error; and a body
 * far above maxBodyBytes is read and thrown away (up to a bound) so the client gets its 413 on a connection it
 * can keep using.
 */
class HttpLayerRefusalsTest {
    static final long MAX_BODY = 1000;
    static FakeLlmServer server;

    @BeforeAll
    static void start() {
        server = FakeLlmServer.builder().maxBodyBytes(MAX_BODY).start();
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @BeforeEach
    void reset() {
        server.reset();
    }

    /** Jetty refuses a path above the root while parsing, so the path is lost: the default provider answers. */
    @Test
    void aPathAboveTheRootIsAProviderErrorAndJournaled() throws IOException {
        Answer a = send("GET /../v1/chat/completions HTTP/1.1\r\nHost: x\r\n\r\n").get(0);
        assertThat(a.status()).isEqualTo(400);
        assertThat(Envelopes.read(Provider.OPENAI, a).message()).contains("Bad Request");
        JournalEntry e = server.journal().awaitRequests(1, java.time.Duration.ofSeconds(5)).get(0);
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.provider()).isEqualTo(Provider.OPENAI);
        assertThat(e.faultReason()).startsWith("refused by the HTTP layer: ");
    }

    /** Jetty rejects a NUL while parsing the request line, before the path is kept: the default provider answers. */
    @Test
    void aNulInThePathIsAJsonErrorAndJournaledThoughItsPathIsLost() throws IOException {
        Answer a = send("POST /api/paas/v4/chat%00/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n").get(0);
        assertThat(a.status()).isEqualTo(400);
        Envelopes.read(Provider.OPENAI, a);
        JournalEntry e = server.journal().awaitRequests(1, java.time.Duration.ofSeconds(5)).get(0);
        assertThat(e.path()).isEqualTo("/");
        assertThat(e.faultReason()).isEqualTo("refused by the HTTP layer: the request line could not be read: Bad Request");
    }

    @Test
    void connectAndHugeHeadersAnswerJsonNeverHtml() throws IOException {
        Answer connect = send("CONNECT 127.0.0.1:443 HTTP/1.1\r\nHost: 127.0.0.1:443\r\n\r\n").get(0);
        Answer huge = send("GET /v1/models HTTP/1.1\r\nHost: x\r\nX-Big: " + "a".repeat(9000) + "\r\n\r\n").get(0);
        for (Answer a : List.of(connect, huge)) {
            assertThat(a.status()).isBetween(400, 499);
            assertThat(a.header("content-type")).startsWith("application/json");
            assertThat(a.body()).doesNotContainIgnoringCase("<html").startsWith("{");
        }
        assertThat(huge.status()).isEqualTo(431);
    }

    @Test
    void theAdminApiAnswersJsonToWhatTheHttpLayerRefuses() throws IOException {
        Answer nul = send("GET /__admin/sce%00narios HTTP/1.1\r\nHost: x\r\n\r\n").get(0);
        assertThat(nul.status()).isEqualTo(400);
        assertThat(nul.header("content-type")).startsWith("application/json");
        assertThat(nul.body()).startsWith("{\"error\":{\"message\":");

        byte[] big = ("{\"fault\":\"" + "x".repeat(1_100_000) + "\"}").getBytes(StandardCharsets.UTF_8);
        Answer tooLarge = send(concat(("POST /__admin/scenarios HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Content-Length: " + big.length + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII), big)).get(0);
        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.header("content-type")).startsWith("application/json");
        assertThat(tooLarge.body()).contains("\"message\":\"Payload Too Large: the body is larger than");
        assertThat(server.scenarios().list()).isEmpty();
    }

    @Test
    void aBodyFarAboveTheLimitIsDiscardedSoTheClientGetsIts413AndKeepsItsConnection() throws IOException {
        byte[] body = ("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(50_000)
                + "\"}]}").getBytes(StandardCharsets.UTF_8);
        byte[] head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer sk-discard-0123456789abcdef\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        byte[] next = ("GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer sk-discard-0123456789abcdef\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        List<Answer> answers = send(concat(head, body), next);
        assertThat(answers).extracting(Answer::status).containsExactly(413, 200);
        Envelopes.read(Provider.OPENAI, answers.get(0));
        assertThat(answers.get(0).header("connection")).isNull();
    }

    @Test
    void beyondTheBoundTheConnectionIsClosedAndTheJournalSaysWhy() throws IOException {
        long bound = MAX_BODY * 8 + (1 << 20);
        byte[] body = new byte[(int) bound + 100_000];
        java.util.Arrays.fill(body, (byte) 'x');
        byte[] head = ("POST /v1/chat/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                + "Authorization: Bearer sk-discard-0123456789abcdef\r\nContent-Length: " + body.length + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII);
        Answer a = send(concat(head, body)).get(0);
        assertThat(a.status()).isEqualTo(413);
        assertThat(a.header("connection")).isEqualToIgnoringCase("close");
        JournalEntry e = server.journal().awaitRequests(1, java.time.Duration.ofSeconds(5)).get(0);
        assertThat(e.faultReason()).contains("body of " + body.length + " bytes discarded up to " + bound
                + " bytes, then the connection was closed");
    }

    // ---- one raw connection: each message written in turn, then its answer read ----

    private static List<Answer> send(String request) throws IOException {
        return send(request.getBytes(StandardCharsets.US_ASCII));
    }

    private static byte[] concat(byte[] head, byte[] body) {
        byte[] all = java.util.Arrays.copyOf(head, head.length + body.length);
        System.arraycopy(body, 0, all, head.length, body.length);
        return all;
    }

    /** Each message is a whole request; stops at an answer that closes the connection. */
    private static List<Answer> send(byte[]... messages) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            List<Answer> answers = new ArrayList<>();
            for (byte[] message : messages) {
                try {
                    out.write(message);
                    out.flush();
                } catch (IOException closedWhileWriting) {
                    // the server may answer and close before the end of a body above its bound: read that answer
                }
                Answer a = readOne(in);
                if (a == null) {
                    break;
                }
                answers.add(a);
                if ("close".equalsIgnoreCase(a.header("connection"))) {
                    break;
                }
            }
            return answers;
        }
    }

    private static Answer readOne(InputStream in) throws IOException {
        ByteArrayOutputStream headBytes = new ByteArrayOutputStream();
        int matched = 0;
        int b;
        while (matched < 4 && (b = in.read()) >= 0) {
            headBytes.write(b);
            matched = (b == '\r' && (matched == 0 || matched == 2)) || (b == '\n' && (matched == 1 || matched == 3))
                    ? matched + 1 : 0;
        }
        if (matched < 4) {
            return null;
        }
        String[] lines = headBytes.toString(StandardCharsets.US_ASCII).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), List.of(lines[i].substring(colon + 1).trim()));
        }
        if (status == 100) {
            return readOne(in);
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", List.of("0")).get(0));
        String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
        return new Answer(status, HttpHeaders.of(headers, (n, v) -> true), body);
    }
}
