package dev.llmfault.bench.jmh;

import dev.llmfault.server.Fault;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Scenario;
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

/**
 * Our server embedded in a warm JVM, as a test suite uses it: start and stop one per test, or keep one and
 * reset it between tests. Run by the harness as {@code org.openjdk.jmh.Main OursEmbeddedBench}.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class OursEmbeddedBench {

    /** Start on a free port, then stop, freeing the port and every thread. */
    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int startStop() {
        try (FakeLlmServer server = FakeLlmServer.builder().start()) {
            return server.port();
        }
    }

    /** A running server whose test left a scenario behind; the benchmark measures the reset alone. */
    @State(Scope.Thread)
    public static class Running {
        FakeLlmServer server;
        final Scenario leftOver = Scenario.builder(Fault.RATE_LIMITED).times(2).build();

        @Setup(Level.Trial)
        public void start() {
            server = FakeLlmServer.builder().start();
        }

        @Setup(Level.Invocation)
        public void dirty() {
            server.scenarios().add(leftOver);
        }

        @TearDown(Level.Trial)
        public void stop() {
            server.close();
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    public void reset(Running state) {
        state.server.reset();
    }
}
