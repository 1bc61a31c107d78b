package dev.llmfault.server.standalone;

import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.Standalone;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * SIGTERM to the standalone server while 32 clients are mid-stream: the port closes at once, every
 * stream in flight is answered in full, requests that come later are refused cleanly (connection
 * refused, or 503 on a connection that was already open), nothing is cut, and the process exits within
 * 5 s, leaving the port free.
 */
class GracefulShutdownIT {
    static final int STREAMS = 32;
    static final int LATE = 8;
    /** 12 words at 100 ms a chunk: each stream runs about 1.5 s, well inside the server's 3 s grace. */
    static final String CONFIG = "reply:\n  text: \"" + "word ".repeat(12).strip() + "\"\n  chunkDelayMs: 100\n";

    enum Kind { COMPLETE, REFUSED, TRUNCATED }

    /** What one client saw: its answer in full, a clean refusal, or a cut answer (never allowed). */
    record Outcome(Kind kind, String detail) {
    }

    @Test
    void sigtermWith32StreamsInFlightFinishesThemRefusesNewRequestsAndExitsWithinFiveSeconds() throws Exception {
        Path config = Standalone.workDir().resolve("slow.yaml");
        Files.writeString(config, CONFIG);
        ExecutorService pool = Executors.newCachedThreadPool();
        try (Standalone s = Standalone.start("--port", "0", "--config", config.toString())) {
            URI root = s.readyUrl();
            int port = s.port();
            // clients whose connection is open and idle when the stop begins
            List<HttpClient> keptAlive = new ArrayList<>();
            for (int i = 0; i < LATE; i++) {
                HttpClient c = newClient();
                assertThat(call(c, root, Provider.OPENAI, false, null).kind()).isEqualTo(Kind.COMPLETE);
                keptAlive.add(c);
            }
            CountDownLatch midStream = new CountDownLatch(STREAMS);
            List<CompletableFuture<Outcome>> inFlight = new ArrayList<>();
            HttpClient streaming = newClient();
            for (int i = 0; i < STREAMS; i++) {
                Provider p = Provider.values()[i % Provider.values().length];
                inFlight.add(CompletableFuture.supplyAsync(() -> call(streaming, root, p, true, midStream), pool));
            }
            assertThat(midStream.await(20, TimeUnit.SECONDS)).as("all 32 clients have their first chunk").isTrue();

            long t0 = System.nanoTime();
            s.process().destroy(); // SIGTERM
            await().pollInterval(Duration.ofMillis(5)).atMost(Duration.ofSeconds(2)).until(() -> !accepts(port));
            List<CompletableFuture<Outcome>> late = new ArrayList<>();
            for (int i = 0; i < LATE; i++) {
                HttpClient reused = keptAlive.get(i);
                late.add(CompletableFuture.supplyAsync(() -> call(reused, root, Provider.ANTHROPIC, false, null), pool));
                late.add(CompletableFuture.supplyAsync(() -> call(newClient(), root, Provider.COHERE, false, null), pool));
            }
            boolean exited = s.awaitExit(Duration.ofSeconds(5));
            long stopMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(exited).as("exited within 5 s of SIGTERM").isTrue();
            assertThat(s.exitCode()).as("exit code after SIGTERM: a graceful stop is a success, not 143").isZero();
            List<Outcome> streams = outcomes(inFlight);
            List<Outcome> refusedOrNot = outcomes(late);
            System.out.printf("measure: SIGTERM with 32 streams in flight: exit %d after %d ms; in flight: %s; "
                            + "requests after the stop began: %s%n", s.exitCode(), stopMs, tally(streams), tally(refusedOrNot));
            assertThat(streams).as("the streams in flight").allSatisfy(o -> assertThat(o.kind()).isEqualTo(Kind.COMPLETE));
            assertThat(refusedOrNot).as("the requests sent after the stop began")
                    .allSatisfy(o -> assertThat(o.kind()).isNotEqualTo(Kind.TRUNCATED))
                    .anySatisfy(o -> assertThat(o.kind()).isEqualTo(Kind.REFUSED));
            // a request the client has read in full may be counted out a moment later: "in flight" can say 33
            assertThat(s.stdout()).containsPattern("requests in flight 3[23], finished 3[23], cut 0");
            assertThat(s.stderr()).doesNotContain("Exception", "ERROR");
            await().atMost(Duration.ofSeconds(5)).until(() -> portIsFree(port));
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anAnswerStuckLongerThanTheGraceIsCutAndTheProcessStillExitsWithinFiveSeconds() throws Exception {
        Path config = Standalone.workDir().resolve("stuck.yaml");
        Files.writeString(config, "scenarios:\n  - fault: SLOW_RESPONSE\n    delayMs: 60000\n    times: 1\n");
        try (Standalone s = Standalone.start("--port", "0", "--config", config.toString())) {
            URI root = s.readyUrl();
            CompletableFuture<Outcome> stuck = CompletableFuture.supplyAsync(() -> call(newClient(), root, Provider.OPENAI, false, null));
            // the journal records a slow answer when its delay starts
            await().atMost(Duration.ofSeconds(10)).until(() -> Http.get(root.resolve("/__admin/requests")).json().path("total").asInt() == 1);

            long t0 = System.nanoTime();
            s.process().destroy(); // SIGTERM
            boolean exited = s.awaitExit(Duration.ofSeconds(5));
            long stopMs = (System.nanoTime() - t0) / 1_000_000;

            assertThat(exited).as("exited within 5 s of SIGTERM").isTrue();
            assertThat(s.exitCode()).as("exit code after SIGTERM, even with an answer cut").isZero();
            Outcome outcome = stuck.get(10, TimeUnit.SECONDS);
            System.out.printf("measure: SIGTERM with an answer stuck for 60 s: exit %d after %d ms; the client saw %s%n",
                    s.exitCode(), stopMs, outcome);
            assertThat(outcome.kind()).as("no part of an answer had been sent, so nothing is cut halfway").isEqualTo(Kind.REFUSED);
            assertThat(s.stdout()).containsPattern("requests in flight [12], finished [01], cut 1");
            assertThat(s.stderr()).doesNotContain("Exception", "ERROR");
        }
    }

    static HttpClient newClient() {
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }

    /**
     * One chat call, read line by line to its end. Complete: a 200 whose stream ends with the provider's
     * terminal event, or a whole JSON answer. Refused: no answer at all (connection refused or closed
     * before a byte of it), or a whole 503. Truncated: anything cut once the answer had begun.
     */
    static Outcome call(HttpClient client, URI root, Provider p, boolean stream, CountDownLatch firstChunk) {
        HttpRequest.Builder b = HttpRequest.newBuilder(root.resolve(Calls.chatPath(p, stream))).timeout(Duration.ofSeconds(20))
                .POST(HttpRequest.BodyPublishers.ofString(Calls.body(p, stream).toString()));
        Calls.headers(p).forEach(b::header);
        HttpResponse<java.io.InputStream> r;
        try {
            r = client.send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
        } catch (IOException e) {
            return new Outcome(Kind.REFUSED, e instanceof ConnectException ? "connection refused" : "closed before an answer");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Outcome(Kind.TRUNCATED, "interrupted");
        }
        // bytes, not lines: a stream may be SSE, NDJSON or binary (AWS event stream); its first bytes are its first frame
        java.io.ByteArrayOutputStream received = new java.io.ByteArrayOutputStream();
        try (java.io.InputStream in = r.body()) {
            byte[] buf = new byte[8192];
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                if (firstChunk != null && received.size() == 0 && n > 0) {
                    firstChunk.countDown();
                }
                received.write(buf, 0, n);
            }
        } catch (IOException e) {
            return new Outcome(Kind.TRUNCATED, r.statusCode() + " cut after " + received.size() + " bytes: " + e);
        }
        String body = received.toString(Answer.charsetOf(r.headers().firstValue("content-type").orElse(null)));
        if (r.statusCode() == 503) {
            return new Outcome(Kind.REFUSED, "503");
        }
        boolean whole = r.statusCode() == 200
                && (stream ? body.contains(ProviderFixture.of(p).terminalMarker()) : isJsonObject(body));
        return whole ? new Outcome(Kind.COMPLETE, "200") : new Outcome(Kind.TRUNCATED, r.statusCode() + " " + body);
    }

    static boolean isJsonObject(String body) {
        try {
            return Answer.JSON.readTree(body).isObject();
        } catch (IOException e) {
            return false;
        }
    }

    static List<Outcome> outcomes(List<CompletableFuture<Outcome>> futures) throws Exception {
        List<Outcome> out = new ArrayList<>();
        for (CompletableFuture<Outcome> f : futures) {
            out.add(f.get(20, TimeUnit.SECONDS)); // none hangs
        }
        return out;
    }

    static Map<String, Long> tally(List<Outcome> outcomes) {
        return outcomes.stream().collect(Collectors.groupingBy(o -> o.kind() + " " + o.detail(), java.util.TreeMap::new,
                Collectors.counting()));
    }

    static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException refused) {
            return false;
        }
    }

    static boolean portIsFree(int port) {
        try (ServerSocket socket = new ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
            return true;
        } catch (IOException e) {
            return false;
        }
    }
}
