package dev.llmfault.server.lifecycle;

import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.config.SettingsDraft;
import dev.llmfault.server.internal.http.ServerRuntime;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.RawHttp;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The standalone server's stop ({@link ServerRuntime#closeGracefully}): a stream in flight finishes within
 * the grace and is cut after it, and the port refuses new connections from the start. The SIGTERM path
 * of the real jar is GracefulShutdownIT.
 */
class GracefulStopTest {

    static ServerRuntime start(long chunkDelayMs) {
        SettingsDraft draft = new SettingsDraft();
        draft.replyText = "one two three four five six seven eight";
        draft.chunkDelayMs = chunkDelayMs;
        return ServerRuntime.start(draft.toSettings());
    }

    static CompletableFuture<RawHttp.Received> stream(ServerRuntime server) {
        Provider p = Provider.OPENAI;
        return CompletableFuture.supplyAsync(() -> RawHttp.exchange(server.port(), "POST", Calls.chatPath(p),
                Calls.headers(p), Calls.body(p, true).toString()));
    }

    @Test
    void aStreamInFlightFinishesAndTheStopSaysSo() throws Exception {
        ServerRuntime server = start(50);
        CompletableFuture<RawHttp.Received> answer = stream(server);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requestsInFlight() == 1);

        ServerRuntime.GracefulStop stop = server.closeGracefully(Duration.ofSeconds(10));

        RawHttp.Received received = answer.get(10, TimeUnit.SECONDS);
        assertThat(received.statusLine()).startsWith("HTTP/1.1 200");
        assertThat(received.complete()).as("the last chunk arrived").isTrue();
        assertThat(received.body()).contains("eight").endsWith("data: [DONE]\n\n");
        assertThat(stop.inFlight()).isEqualTo(1);
        assertThat(stop.finished()).isEqualTo(1);
        assertThat(stop.cut()).isZero();
        assertThat(Resources.portIsFree(server.port())).isTrue();
    }

    @Test
    void aStreamLongerThanTheGraceIsCutWithoutItsLastChunk() throws Exception {
        ServerRuntime server = start(1_000);
        CompletableFuture<RawHttp.Received> answer = stream(server);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requestsInFlight() == 1);

        ServerRuntime.GracefulStop stop = server.closeGracefully(Duration.ofMillis(100));

        RawHttp.Received received = answer.get(10, TimeUnit.SECONDS);
        assertThat(received.statusLine()).startsWith("HTTP/1.1 200");
        assertThat(received.complete()).as("the last chunk arrived").isFalse();
        assertThat(received.body()).doesNotContain("[DONE]");
        assertThat(stop.cut()).isEqualTo(1);
        assertThat(stop.finished()).isZero();
    }

    @Test
    void newConnectionsAreRefusedAsSoonAsTheStopBegins() throws Exception {
        ServerRuntime server = start(100);
        CompletableFuture<RawHttp.Received> answer = stream(server);
        await().atMost(Duration.ofSeconds(5)).until(() -> server.requestsInFlight() == 1);

        CompletableFuture<ServerRuntime.GracefulStop> stop = CompletableFuture.supplyAsync(
                () -> server.closeGracefully(Duration.ofSeconds(10)));

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
