package dev.llmfault.bench.jmh;

import com.github.tomakehurst.wiremock.WireMockServer;
import com.github.tomakehurst.wiremock.client.WireMock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import java.util.concurrent.TimeUnit;

import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;

/**
 * WireMock 3 embedded the way its JUnit users do it: {@code new WireMockServer(options().dynamicPort())},
 * and {@code resetAll()} between tests. Runs on the wiremock-standalone jar's class path only.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class WireMockEmbeddedBench {

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int startStop() {
        WireMockServer server = new WireMockServer(options().dynamicPort());
        server.start();
        try {
            return server.port();
        } finally {
            server.stop();
        }
    }

    @State(Scope.Thread)
    public static class Running {
        WireMockServer server;

        @Setup(Level.Trial)
        public void start() {
            server = new WireMockServer(options().dynamicPort());
            server.start();
        }

        @Setup(Level.Invocation)
        public void dirty() {
            server.stubFor(WireMock.post("/v1/chat/completions").willReturn(WireMock.status(429)));
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.stop();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void reset(Running state) {
        state.server.resetAll();
    }
}
