package dev.llmfault.server.lifecycle;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Delays are scheduled, not slept: more delayed answers than the server has threads wait at once while the
 * admin API and undelayed calls are answered; a client that leaves during a delay frees it at once and is
 * journaled as such; close() does not wait for a long delay; a cut stream stays a cut with Connection: close.
 */
class WaitingWithoutAThreadTest {
    /** More than the 200 threads of the server's pool: with a sleeping thread each, health would wait behind them. */
    private static final int HELD = 260;
    private static final long LONG_MS = 120_000;

    private static byte[] chatRequest(Provider p, boolean stream, String extraHeaders) {
        String body = Calls.body(p, stream).toString();
        StringBuilder head = new StringBuilder("POST " + Calls.chatPath(p) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
        for (Map.Entry<String, String> h : Calls.headers(p).entrySet()) {
            head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
        }
        head.append(extraHeaders).append("Content-Length: ").append(body.getBytes(StandardCharsets.UTF_8).length)
                .append("\r\n\r\n").append(body);
        return head.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static Socket open(FakeLlmServer server, byte[] request) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        OutputStream out = s.getOutputStream();
        out.write(request);
        out.flush();
        return s;
    }

    private static int health(FakeLlmServer server, String field) {
        Answer a = Http.send("GET", server.url().resolve("/__admin/health"), Map.of(), null);
        assertThat(a.status()).isEqualTo(200);
        return a.json().path(field).asInt(-1);
    }

    @Test
    void moreDelayedAnswersThanThreadsWaitWhileAdminAndUndelayedCallsAreAnswered() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.builder()
                .scenario(Scenario.builder(Fault.SLOW_RESPONSE).matchHeader("x-held", "slow").delayMs(LONG_MS).build())
                .scenario(Scenario.builder(Fault.SLOW_RESPONSE).matchHeader("x-held", "stream").delayMs(LONG_MS).build())
                .start()) {
            List<Socket> held = new ArrayList<>();
            try {
                for (int i = 0; i < HELD; i++) {
                    held.add(open(server, chatRequest(Provider.OPENAI, i % 2 == 0, "x-held: " + (i % 2 == 0 ? "stream" : "slow") + "\r\n")));
                }
                await().atMost(Duration.ofSeconds(60)).until(() -> health(server, "answersWaiting") == HELD);

                assertThat(Calls.chat(server, Provider.ANTHROPIC, false).status()).as("an undelayed call").isEqualTo(200);
                assertThat(Resources.busyServerThreads()).as("busy server threads while %d answers wait", HELD).hasSizeLessThan(HELD / 2);
            } finally {
                for (Socket s : held) {
                    s.close();
                }
            }
            // Every client left: each wait is freed and its request journaled as cancelled.
            await().atMost(Duration.ofSeconds(30)).until(() -> health(server, "answersWaiting") == 0);
            List<JournalEntry> slow = server.journal().find(JournalQuery.all().fault(Fault.SLOW_RESPONSE));
            assertThat(slow).hasSize(HELD).allSatisfy(e ->
                    assertThat(e.faultReason()).contains("client closed the connection after"));
            assertThat(slow).filteredOn(e -> !e.stream()).allSatisfy(e -> assertThat(e.status()).isZero());
            assertThat(slow).filteredOn(JournalEntry::stream).allSatisfy(e -> assertThat(e.status()).isEqualTo(200));
        }
    }

    @Test
    void aStreamWithDelaysArrivesWholeAndIsJournaledBeforeItsLastByte() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.builder().replyText("one two three four")
                .firstChunkDelay(Duration.ofMillis(20)).chunkDelay(Duration.ofMillis(10)).start()) {
            try (Socket s = open(server, chatRequest(Provider.OPENAI, true, ""))) {
                String answer = readUntil(s.getInputStream(), "data: [DONE]\n\n");
                // The client has its last byte: the journal must have the request already.
                assertThat(server.journal().entries()).hasSize(1);
                assertThat(answer).contains("\"content\":\"four\"");
            }
            assertThat(server.journal().entries().get(0).faultReason()).isNull();
        }
    }

    @Test
    void closeEndsALongSlowAnswerInsteadOfWaitingForIt() throws Exception {
        FakeLlmServer server = FakeLlmServer.builder()
                .scenario(Scenario.builder(Fault.SLOW_RESPONSE).delayMs(LONG_MS).build()).start();
        try (Socket s = open(server, chatRequest(Provider.OPENAI, false, ""))) {
            await().atMost(Duration.ofSeconds(30)).until(() -> health(server, "answersWaiting") == 1);
            CompletableFuture<Void> closing = CompletableFuture.runAsync(server::close);

            await().atMost(Duration.ofSeconds(10)).until(closing::isDone); // far less than the 120 s delay
            assertThat(s.getInputStream().read()).as("the connection was closed").isEqualTo(-1);
        }
    }

    @Test
    void aCutStreamIsChunkedEvenWhenTheClientAskedForConnectionClose() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.builder()
                .scenario(Scenario.builder(Fault.STREAM_INTERRUPTED).afterChunks(1).build()).start();
             Socket s = open(server, chatRequest(Provider.OPENAI, true, "Connection: close\r\n"))) {
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

            assertThat(answer).containsIgnoringCase("Transfer-Encoding: chunked");
            assertThat(answer).as("no last chunk: the client sees the stream end early, not a clean end")
                    .doesNotEndWith("0\r\n\r\n");
        }
    }

    private static String readUntil(InputStream in, String end) throws IOException {
        StringBuilder seen = new StringBuilder();
        int c;
        while ((c = in.read()) != -1) {
            seen.append((char) c);
            if (seen.length() >= end.length() && seen.lastIndexOf(end) == seen.length() - end.length()) {
                break;
            }
        }
        return seen.toString();
    }
}
