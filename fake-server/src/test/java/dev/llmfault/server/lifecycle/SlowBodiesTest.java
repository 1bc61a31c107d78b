package dev.llmfault.server.lifecycle;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.internal.http.ServerRuntime;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Request bodies are read without holding a thread while they arrive: a body sent in pieces is awaited with
 * Jetty's demand, not a blocking read, so more clients sending slowly than the server has threads leave its pool
 * nearly idle and the admin API prompt. Each body is sent in two pieces, the second only once the server has
 * taken the request in (its in-flight count says so), so the server really met a body that had not all arrived.
 */
class SlowBodiesTest {
    /** More than the 200 threads of the server's pool: with a blocked thread each, nothing else would be answered. */
    private static final int HELD = 260;
    private static final Provider P = Provider.OPENAI;

    private ServerRuntime server;
    private final List<Socket> sockets = new ArrayList<>();

    @AfterEach
    void stop() throws IOException {
        for (Socket s : sockets) {
            s.close();
        }
        if (server != null) {
            server.close();
        }
    }

    private ServerRuntime start(ServerSettings settings) {
        server = ServerRuntime.start(settings);
        return server;
    }

    private static byte[] body() {
        return Calls.body(P, false).toString().getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] head(String lengthOrChunked, String extraHeaders) {
        StringBuilder head = new StringBuilder("POST " + Calls.chatPath(P) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        Calls.headers(P).forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        return head.append(extraHeaders).append(lengthOrChunked).append("\r\n\r\n").toString()
                .getBytes(StandardCharsets.US_ASCII);
    }

    /** Opens a connection and sends the headers and the first {@code n} bytes of the body. */
    private Socket sendFirstPiece(byte[] head, byte[] body, int n) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        sockets.add(s);
        s.setSoTimeout(30_000);
        s.setTcpNoDelay(true);
        OutputStream out = s.getOutputStream();
        out.write(head);
        out.write(body, 0, n);
        out.flush();
        return s;
    }

    private static void send(Socket s, byte[] bytes) throws IOException {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
    }

    private void awaitInFlight(int n) {
        await("%d requests taken in, their bodies not all sent".formatted(n)).atMost(Duration.ofSeconds(60))
                .until(() -> server.requestsInFlight() == n);
    }

    @Test
    void moreSlowBodiesThanThreadsHoldNoThreadAndOtherCallsAreAnswered() throws Exception {
        start(ServerSettings.builder().build());
        byte[] head = head("Content-Length: " + body().length, "");
        byte[] body = body();
        int half = body.length / 2;
        for (int i = 0; i < HELD; i++) {
            sendFirstPiece(head, body, half);
        }
        awaitInFlight(HELD);

        // Busy for a moment with the burst of connections, then idle: a thread reading a body would stay busy.
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> assertThat(Resources.busyServerThreads())
                .as("busy server threads while %d bodies are half sent", HELD).hasSizeLessThan(HELD / 10));
        Answer health = Http.get(server.url().resolve("/__admin/health"));
        assertThat(health.status()).as("admin health while %d bodies are half sent", HELD).isEqualTo(200);
        Answer other = Http.send("POST", server.url().resolve(Calls.chatPath(Provider.ANTHROPIC)),
                Calls.headers(Provider.ANTHROPIC), Calls.body(Provider.ANTHROPIC, false).toString());
        assertThat(other.status()).as("a whole call while %d bodies are half sent", HELD).isEqualTo(200);
        assertThat(server.journal().size()).as("only the whole call is answered").isEqualTo(1);

        byte[] rest = Arrays.copyOfRange(body, half, body.length);
        for (Socket s : sockets) {
            send(s, rest);
        }
        for (Socket s : sockets) {
            Reply r = readReply(s.getInputStream());
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.body()).contains("\"choices\"");
        }
        assertThat(server.journal().size()).isEqualTo(HELD + 1);
        assertThat(server.journal().entries()).filteredOn(e -> e.provider() == P)
                .allSatisfy(e -> assertThat(e.body()).isEqualTo(new String(body, StandardCharsets.UTF_8)));
    }

    @Test
    void aDelayCountsFromTheBodysLastByteNotFromItsHeaders() throws Exception {
        long delayMs = 500;
        start(ServerSettings.builder().scenario(Scenario.builder(Fault.SLOW_RESPONSE).delayMs(delayMs).build()).build());
        byte[] body = body();
        Socket s = sendFirstPiece(head("Content-Length: " + body.length, ""), body, 10);
        awaitInFlight(1);
        // longer than the delay, the body still pending and nothing answered: a delay counted from the headers is over
        await().during(Duration.ofMillis(delayMs + 100)).atMost(Duration.ofSeconds(10))
                .until(() -> server.requestsInFlight() == 1 && server.journal().size() == 0);

        long sent = System.nanoTime();
        send(s, Arrays.copyOfRange(body, 10, body.length));
        Reply r = readReply(s.getInputStream());
        long tookMs = (System.nanoTime() - sent) / 1_000_000;

        assertThat(r.status()).isEqualTo(200);
        assertThat(tookMs).as("the answer came the whole delay after the body's last byte").isGreaterThanOrEqualTo(delayMs);
    }

    @Test
    void aChunkedBodySentInPiecesIsReadWhole() throws Exception {
        start(ServerSettings.builder().build());
        byte[] body = body();
        int half = body.length / 2;
        byte[] first = chunk(Arrays.copyOfRange(body, 0, half));
        Socket s = sendFirstPiece(head("Transfer-Encoding: chunked", ""), first, first.length);
        awaitInFlight(1);

        send(s, chunk(Arrays.copyOfRange(body, half, body.length)));
        send(s, "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));

        Reply r = readReply(s.getInputStream());
        assertThat(r.status()).isEqualTo(200);
        assertThat(server.journal().entries()).singleElement()
                .satisfies(e -> assertThat(e.body()).isEqualTo(new String(body, StandardCharsets.UTF_8)));
    }

    @Test
    void aClientThatLeavesMidBodyIsJournaledAndHoldsNothing() throws Exception {
        start(ServerSettings.builder().build());
        byte[] body = body();
        Socket s = sendFirstPiece(head("Content-Length: " + body.length, ""), body, 10);
        awaitInFlight(1);

        s.close();

        await().atMost(Duration.ofSeconds(30)).until(() -> server.requestsInFlight() == 0);
        JournalEntry e = server.journal().awaitRequests(1, Duration.ofSeconds(10)).get(0);
        assertThat(e.status()).as("nothing was answered").isZero();
        assertThat(e.provider()).isEqualTo(P);
        assertThat(e.faultReason()).startsWith("client closed the connection after ")
                .endsWith("before its body ended (10 of " + body.length + " bytes received)");
        assertThat(e.apiKeyMask()).as("the key was never read from a body that did not arrive").isNull();
    }

    @Test
    void aTooLargeBodySentSlowlyGetsIts413AndTheConnectionStaysUsable() throws Exception {
        start(ServerSettings.builder().maxBodyBytes(1000).build());
        byte[] body = ("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"" + "x".repeat(5000)
                + "\"}]}").getBytes(StandardCharsets.UTF_8);
        Socket s = sendFirstPiece(head("Content-Length: " + body.length, ""), body, 2000);
        awaitInFlight(1);

        send(s, Arrays.copyOfRange(body, 2000, body.length));
        Reply tooLarge = readReply(s.getInputStream());
        send(s, ("GET /v1/models HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer " + Calls.key(P) + "\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        Reply next = readReply(s.getInputStream());

        assertThat(tooLarge.status()).isEqualTo(413);
        assertThat(tooLarge.headers()).doesNotContainKey("connection");
        assertThat(next.status()).as("the next request on the same connection").isEqualTo(200);
    }

    @Test
    void aClientWaitingFor100ContinueGetsItThenItsAnswer() throws Exception {
        start(ServerSettings.builder().build());
        byte[] body = body();
        Socket s = sendFirstPiece(head("Content-Length: " + body.length, "Expect: 100-continue\r\n"), body, 0);

        Reply interim = readReply(s.getInputStream());
        assertThat(interim.status()).isEqualTo(100);
        send(s, body);
        Reply r = readReply(s.getInputStream());

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("\"choices\"");
    }

    private static byte[] chunk(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.writeBytes((Integer.toHexString(data.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
        out.writeBytes(data);
        out.writeBytes("\r\n".getBytes(StandardCharsets.US_ASCII));
        return out.toByteArray();
    }

    private record Reply(int status, Map<String, String> headers, String body) {
    }

    /** One answer off a kept-alive connection: its head, then a body by Content-Length (none for a 1xx). */
    private static Reply readReply(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (head.size() < 4 || !head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int c = in.read();
            if (c < 0) {
                throw new IOException("the connection closed after: " + head.toString(StandardCharsets.US_ASCII));
            }
            head.write(c);
        }
        String[] lines = head.toString(StandardCharsets.US_ASCII).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int status = Integer.parseInt(lines[0].split(" ")[1]);
        int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
        return new Reply(status, headers, new String(in.readNBytes(length), StandardCharsets.UTF_8));
    }
}
