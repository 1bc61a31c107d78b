package dev.llmfault.server.lifecycle;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.Scale;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Hundreds of servers in one JVM: running side by side, then stopped, they leave no thread, no open file
 * and no bound port behind. Also prints the embedded start+stop and reset times (measured, not asserted).
 */
class ManyServersTest {
    static final int SIDE_BY_SIDE = 200;
    static final int CYCLES = Scale.of(500, 3_000);

    /** A first server loads the classes and creates the JVM-wide singletons, which are not leaks. */
    @BeforeEach
    void warmUp() {
        for (int i = 0; i < 3; i++) {
            try (FakeLlmServer s = FakeLlmServer.start()) {
                assertThat(Calls.chat(s, Provider.OPENAI, false).status()).isEqualTo(200);
            }
        }
        await().pollInSameThread().atMost(Duration.ofSeconds(10)).until(() -> Resources.serverThreads().isEmpty());
    }

    @Test
    void twoHundredServersSideBySideLeaveNoThreadAndNoPortBehind() {
        Set<Thread> baseline = Resources.threads();
        List<FakeLlmServer> servers = new ArrayList<>();
        try {
            for (int i = 0; i < SIDE_BY_SIDE; i++) {
                servers.add(FakeLlmServer.start());
            }
            Set<Integer> ports = new HashSet<>();
            for (FakeLlmServer s : servers) {
                ports.add(s.port());
                assertThat(s.url().getHost()).isEqualTo("127.0.0.1");
            }
            assertThat(ports).as("every server has its own port").hasSize(SIDE_BY_SIDE);
            // each one answers, and only its own requests
            for (FakeLlmServer s : servers) {
                assertThat(Http.get(s.url().resolve("/__admin/health")).status()).isEqualTo(200);
            }
            assertThat(Calls.chat(servers.get(7), Provider.ANTHROPIC, false).status()).isEqualTo(200);
            assertThat(servers.get(7).journal().awaitRequests(1, Duration.ofSeconds(5))).hasSize(1);
            assertThat(servers.get(8).journal().entries()).isEmpty();
            assertThat(Resources.serverThreads()).isNotEmpty();
        } finally {
            servers.forEach(FakeLlmServer::close);
        }

        assertThat(servers).allSatisfy(s -> assertThat(s.isRunning()).isFalse());
        await().pollInSameThread().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(Resources.serverThreads()).as("llmfault-N-* threads").isEmpty();
            assertThat(Resources.newThreads(baseline)).as("threads not there before").isEmpty();
        });
        for (FakeLlmServer s : servers) {
            assertThat(Resources.portIsFree(s.port())).as("port %d is free", s.port()).isTrue();
        }
    }

    @Test
    void startStopCyclesReturnThreadsAndFileDescriptorsToTheBaseline() {
        Set<Thread> baseline = Resources.threads();
        int baselineFds = Resources.openFileDescriptors();
        long[] startStopNanos = new long[CYCLES];
        long[] resetNanos = new long[CYCLES];

        for (int i = 0; i < CYCLES; i++) {
            long t0 = System.nanoTime();
            FakeLlmServer s = FakeLlmServer.start();
            long started = System.nanoTime();
            if (i % 10 == 0 || Scale.reliability()) {
                assertThat(Calls.chat(s, Provider.OPENAI, false).status()).isEqualTo(200);
            }
            long r0 = System.nanoTime();
            s.reset();
            resetNanos[i] = System.nanoTime() - r0;
            long c0 = System.nanoTime();
            s.close();
            startStopNanos[i] = (started - t0) + (System.nanoTime() - c0);
        }

        await().pollInSameThread().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            assertThat(Resources.newThreads(baseline)).as("threads not there before").isEmpty();
            assertThat(Resources.openFileDescriptors()).as("open file descriptors (baseline %d)", baselineFds)
                    .isLessThanOrEqualTo(baselineFds);
        });
        System.out.printf("measure: embedded start+stop over %d cycles (warm JVM): median %.1f ms, p90 %.1f ms; "
                        + "reset median %.1f us%n", CYCLES, percentile(startStopNanos, 50) / 1e6,
                percentile(startStopNanos, 90) / 1e6, percentile(resetNanos, 50) / 1e3);
    }

    @Test
    void closeIsIdempotentAndFreesThePortAtOnce() {
        FakeLlmServer s = FakeLlmServer.start();
        int port = s.port();
        s.close();
        s.close();

        assertThat(s.isRunning()).isFalse();
        assertThat(s.toString()).contains("closed");
        assertThat(Resources.portIsFree(port)).isTrue();
        try (FakeLlmServer again = FakeLlmServer.builder().port(port).start()) {
            assertThat(again.port()).as("the same port can be bound right away").isEqualTo(port);
            assertThat(Calls.chat(again, Provider.OPENAI, false).status()).isEqualTo(200);
        }
    }

    /** A percentile of the values, leaving out the first tenth (the JIT is still at work). */
    static double percentile(long[] values, int p) {
        long[] warm = Arrays.copyOfRange(values, values.length / 10, values.length);
        Arrays.sort(warm);
        return warm[Math.min(warm.length - 1, warm.length * p / 100)];
    }
}
