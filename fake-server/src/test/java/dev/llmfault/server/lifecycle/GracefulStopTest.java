package dev.llmfault.server.lifecycle;

import dev.llmfault.server.Provider;
import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.internal.http.ServerRuntime;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The standalone server's stop ({@link ServerRuntime#closeGracefully}): a stream in flight finishes within
 * the grace and is cut after it, and the port refuses new connections from the start. The SIGTERM path
 * of the real jar is GracefulShutdownIT.
 *
 * <p>The client and the stop run on this test's own threads, never on {@code CompletableFuture}'s default
 * executor: from JDK 25 on that is the common pool even when its parallelism is 1 (two cores; Java 17 gave
 * each task its own thread), so the stop would queue behind the client, whose keep-alive read only ends when
 * the stop closes the connection: the port would stay open for the whole read timeout.
 */
class GracefulStopTest {
    /** The clients under way and the stop: one thread each, so neither can wait for the other. */
    private final ExecutorService threads = Executors.newCachedThreadPool();

    @AfterEach
    void stopTheClients() {
        threads.shutdownNow();
    }

    static ServerRuntime start(long chunkDelayMs) {
        return ServerRuntime.start(ServerSettings.builder().replyText("one two three four five six seven eight")
                .chunkDelay(Duration.ofMillis(chunkDelayMs)).build());
    }

    /** A streamed chat call, returned once the server is writing it. */
    CompletableFuture<RawHttp.Received> streamInFlight(ServerRuntime server) {
        Provider p = Provider.OPENAI;
        CompletableFuture<RawHttp.Received> answer = CompletableFuture.supplyAsync(() -> RawHttp.exchange(server.port(),
                "POST", Calls.chatPath(p), Calls.headers(p), Calls.body(p, true).toString()), threads);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requestsInFlight() == 1);
        return answer;
    }

    /** What the client of a stream under way received, and what the stop said. */
    record Stopped(RawHttp.Received received, ServerRuntime.GracefulStop stop) {
    }

    Stopped stopWhileStreaming(long chunkDelayMs, Duration grace) throws Exception {
        ServerRuntime server = start(chunkDelayMs);
        CompletableFuture<RawHttp.Received> answer = streamInFlight(server);
        ServerRuntime.GracefulStop stop = server.closeGracefully(grace);
        assertThat(Resources.portIsFree(server.port())).isTrue();
        return new Stopped(answer.get(10, TimeUnit.SECONDS), stop);
    }

    @Test
    void aStreamInFlightFinishesAndTheStopSaysSo() throws Exception {
        Stopped s = stopWhileStreaming(50, Duration.ofSeconds(10));

        assertThat(s.received().statusLine()).startsWith("HTTP/1.1 200");
        assertThat(s.received().complete()).as("the last chunk arrived").isTrue();
        assertThat(s.received().body()).contains("eight").endsWith("data: [DONE]\n\n");
        assertThat(s.stop().inFlight()).isEqualTo(1);
        assertThat(s.stop().finished()).isEqualTo(1);
        assertThat(s.stop().cut()).isZero();
    }

    @Test
    void aStreamLongerThanTheGraceIsCutWithoutItsLastChunk() throws Exception {
        Stopped s = stopWhileStreaming(1_000, Duration.ofMillis(100));

        assertThat(s.received().statusLine()).startsWith("HTTP/1.1 200");
        assertThat(s.received().complete()).as("the last chunk arrived").isFalse();
        assertThat(s.received().body()).doesNotContain("[DONE]");
        assertThat(s.stop().cut()).isEqualTo(1);
        assertThat(s.stop().finished()).isZero();
    }

    @Test
    void newConnectionsAreRefusedAsSoonAsTheStopBegins() throws Exception {
        ServerRuntime server = start(100);
        CompletableFuture<RawHttp.Received> answer = streamInFlight(server);

        CompletableFuture<ServerRuntime.GracefulStop> stop = CompletableFuture.supplyAsync(
                () -> server.closeGracefully(Duration.ofSeconds(10)), threads);

        await().atMost(Duration.ofSeconds(5)).untilAsserted(() -> assertThatThrownBy(() -> {
            try (Socket ignored = new Socket("127.0.0.1", server.port())) {
                // connected: the stop has not begun yet
            }
        }).isInstanceOf(ConnectException.class));
        assertThat(stop).as("refused while the stream is still being written").isNotDone();
        assertThat(answer.get(10, TimeUnit.SECONDS).complete()).isTrue();
        assertThat(stop.get(10, TimeUnit.SECONDS).cut()).isZero();
    }

    @Test
    void withNothingInFlightTheStopHasNothingToWaitFor() {
        ServerRuntime server = start(0);
        assertThat(RawHttp.exchange(server.port(), "GET", "/__admin/health", java.util.Map.of("Connection", "close"), null)
                .statusLine()).startsWith("HTTP/1.1 200");
        // the server counts a request out once its completion ran, a moment after the client read the answer
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requestsInFlight() == 0);

        ServerRuntime.GracefulStop stop = server.closeGracefully(Duration.ofSeconds(10));

        assertThat(stop.inFlight()).isZero();
        assertThat(stop.cut()).isZero();
        assertThat(Resources.portIsFree(server.port())).isTrue();
    }
}
