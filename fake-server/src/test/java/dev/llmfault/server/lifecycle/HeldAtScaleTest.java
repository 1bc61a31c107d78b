package dev.llmfault.server.lifecycle;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Issue 15's reliability check, only under {@code -Preliability}: 2,000 streams and 500 slow answers held at
 * once by one embedded server, a reset while they are held, and then every stream has its full body or its
 * injected cut and nothing else, every slow answer its body, and the server's threads and this JVM's file
 * descriptors are back to what they were before.
 *
 * <pre>{@code
 * mvn -B -pl fake-server verify -Preliability -Dtest=HeldAtScaleTest -Dsurefire.failIfNoSpecifiedTests=false
 * }</pre>
 */
@EnabledIfSystemProperty(named = "llmfault.reliability", matches = "true")
class HeldAtScaleTest {
    private static final int STREAMS = 2000;
    private static final int CUT_EVERY = 10; // every 10th stream asks for an injected cut
    private static final int SLOW = 500;
    /** The size of the server's pool: more answers than this waiting at once cannot each hold a thread. */
    private static final int POOL_THREADS = 200;
    private static final String REPLY = "one two three four five six seven eight nine ten eleven twelve thirteen";

    private record Outcome(int status, String body, Throwable failure) {
    }

    @Test
    void everyHeldAnswerEndsAsConfiguredAndNothingIsLeftBehind() {
        // One small round first: the JVM opens each jar it loads a class from and keeps it open, which is no leak.
        try (FakeLlmServer warmUp = FakeLlmServer.builder().start()) {
            send(HttpClient.newHttpClient(), Calls.chatUri(warmUp, Provider.OPENAI), true, "none").join();
        }
        Set<Thread> baseline = Resources.threads();
        int fdsBefore = Resources.openFileDescriptors();
        FakeLlmServer server = FakeLlmServer.builder().replyText(REPLY).chunkDelay(Duration.ofMillis(50))
                .scenario(Scenario.builder(Fault.STREAM_INTERRUPTED).matchHeader("x-held", "cut").afterChunks(5).build())
                .scenario(Scenario.builder(Fault.SLOW_RESPONSE).matchHeader("x-held", "slow").delayMs(10_000).build())
                .start();
        List<CompletableFuture<Outcome>> streams = new ArrayList<>();
        List<CompletableFuture<Outcome>> slow = new ArrayList<>();
        try {
            HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
            URI chat = Calls.chatUri(server, Provider.OPENAI);
            for (int i = 0; i < STREAMS; i++) {
                streams.add(send(client, chat, true, i % CUT_EVERY == 0 ? "cut" : "none"));
            }
            for (int i = 0; i < SLOW; i++) {
                slow.add(send(client, chat, false, "slow"));
            }
            // Held: more answers waiting at once than the server has threads, while its threads are mostly idle (a
            // burst grows the pool, and its idle threads linger: only threads doing something count) and the admin
            // API answers. A thread that slept through a delay or blocked reading a body would stay busy.
            await().atMost(Duration.ofSeconds(90)).untilAsserted(() -> {
                assertThat(answersWaiting(server)).as("answers waiting at once").isGreaterThan(POOL_THREADS);
                assertThat(Resources.busyServerThreads()).as("busy server threads while more than %d answers wait",
                        POOL_THREADS).hasSizeLessThan(POOL_THREADS / 2);
            });
            server.reset(); // scenarios and journal go; the answers in flight keep what they were given

            for (int i = 0; i < STREAMS; i++) {
                Outcome o = streams.get(i).orTimeout(120, TimeUnit.SECONDS).join();
                if (i % CUT_EVERY == 0) {
                    assertThat(o.failure()).as("stream %d was cut", i).isInstanceOf(IOException.class);
                } else {
                    assertThat(o.failure()).as("stream %d", i).isNull();
                    assertThat(o.status()).isEqualTo(200);
                    assertThat(o.body()).as("stream %d is whole", i).contains("\"content\":\"thirteen\"")
                            .endsWith("data: [DONE]\n\n");
                }
            }
            for (CompletableFuture<Outcome> f : slow) {
                Outcome o = f.orTimeout(120, TimeUnit.SECONDS).join();
                assertThat(o.failure()).isNull();
                assertThat(o.status()).isEqualTo(200);
                assertThat(o.body()).contains("\"choices\"");
            }
        } finally {
            server.close();
        }
        await().pollInSameThread().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            System.gc(); // the test's HttpClient lets go of its connections when collected
            // the JDK's one timer thread of orTimeout above is this test's, and it lives as long as the JVM
            assertThat(Resources.newThreads(baseline)).filteredOn(n -> !n.equals("CompletableFutureDelayScheduler"))
                    .as("threads left behind").isEmpty();
            assertThat(Resources.openFileDescriptors()).as("file descriptors").isLessThanOrEqualTo(fdsBefore + 5);
        });
    }

    /** The health endpoint's count of answers waiting on the server's timer now. */
    private static int answersWaiting(FakeLlmServer server) {
        Answer health = Http.get(server.url().resolve("/__admin/health"));
        assertThat(health.status()).as("admin health").isEqualTo(200);
        return health.json().path("answersWaiting").asInt(-1);
    }

    private static CompletableFuture<Outcome> send(HttpClient client, URI chat, boolean stream, String held) {
        HttpRequest.Builder req = HttpRequest.newBuilder(chat).timeout(Duration.ofSeconds(120))
                .POST(HttpRequest.BodyPublishers.ofString(Calls.body(Provider.OPENAI, stream).toString()))
                .header("x-held", held);
        for (Map.Entry<String, String> h : Calls.headers(Provider.OPENAI).entrySet()) {
            req.header(h.getKey(), h.getValue());
        }
        return client.sendAsync(req.build(), HttpResponse.BodyHandlers.ofString())
                .handle((res, failure) -> failure == null ? new Outcome(res.statusCode(), res.body(), null)
                        : new Outcome(0, null, failure instanceof CompletionException c ? c.getCause() : failure));
    }
}
