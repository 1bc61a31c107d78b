package dev.llmfault.bench.jmh;

import org.mockserver.integration.ClientAndServer;
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

import static org.mockserver.model.HttpRequest.request;
import static org.mockserver.model.HttpResponse.response;

/**
 * MockServer 7 embedded the way its JUnit users do it: {@code ClientAndServer.startClientAndServer()} and
 * {@code reset()} between tests (which MockServer's client sends over HTTP). Runs on the
 * jar-with-dependencies class path only, with {@code -Dmockserver.logLevel=WARN} so it does not print
 * every event.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = "-Dmockserver.logLevel=WARN")
public class MockServerEmbeddedBench {

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int startStop() {
        ClientAndServer server = ClientAndServer.startClientAndServer();
        try {
            return server.getPort();
        } finally {
            server.stop();
        }
    }

    @State(Scope.Thread)
    public static class Running {
        ClientAndServer server;

        @Setup(Level.Trial)
        public void start() {
            server = ClientAndServer.startClientAndServer();
        }

        @Setup(Level.Invocation)
        public void dirty() {
            server.when(request().withMethod("POST").withPath("/v1/chat/completions"))
                    .respond(response().withStatusCode(429));
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.stop();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void reset(Running state) {
        state.server.reset();
    }
}
