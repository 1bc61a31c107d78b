package dev.llmfault.bench;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs wrk (keep-alive connections, Lua POST script) against 127.0.0.1 for a bounded time and reads the
 * line its done() hook prints. wrk shares the machine's cores with the server under test.
 */
final class Wrk {
    private final Path script;

    Wrk(Path script) {
        this.script = script;
    }

    /** The path a run exercises: the plain success, or the injected 429 (a header all three stubs match on). */
    enum Answer {
        SUCCESS(""), RATE_LIMITED("ratelimit");

        final String env;

        Answer(String env) {
            this.env = env;
        }
    }

    record Result(long requests, long durationUs, long non2xx, long socketErrors, long p50Us, long p90Us, long p99Us,
                  long maxUs) {
        double perSecond() {
            return requests * 1_000_000.0 / durationUs;
        }

        double p50Ms() {
            return p50Us / 1000.0;
        }

        double p99Ms() {
            return p99Us / 1000.0;
        }

        /** Rounds of one cell as one figure: total requests over total time, mean percentiles, worst maximum. */
        static Result combine(List<Result> rounds) {
            long requests = 0;
            long duration = 0;
            long non2xx = 0;
            long errors = 0;
            long max = 0;
            double p50 = 0;
            double p90 = 0;
            double p99 = 0;
            for (Result r : rounds) {
                requests += r.requests;
                duration += r.durationUs;
                non2xx += r.non2xx;
                errors += r.socketErrors;
                max = Math.max(max, r.maxUs);
                p50 += r.p50Us / (double) rounds.size();
                p90 += r.p90Us / (double) rounds.size();
                p99 += r.p99Us / (double) rounds.size();
            }
            return new Result(requests, duration, non2xx, errors, Math.round(p50), Math.round(p90), Math.round(p99), max);
        }
    }

    Result run(int port, Answer path, int connections, int seconds) {
        int threads = Math.min(2, connections); // one per core; more threads only fight the server for the CPU
        List<String> cmd = List.of("wrk", "-t" + threads, "-c" + connections, "-d" + seconds + "s", "--timeout", "5s",
                "-s", script.toString(), "http://127.0.0.1:" + port + "/v1/chat/completions");
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("BENCH_FAULT", path.env);
        try {
            Process p = pb.start();
            String out = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(seconds + 30L, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new IllegalStateException("wrk did not end: " + cmd);
            }
            int at = out.indexOf("WRKJSON ");
            if (at < 0) {
                throw new IllegalStateException("wrk printed no result: " + out);
            }
            String line = out.substring(at + 8, out.indexOf('\n', at));
            JsonNode j = Json.MAPPER.readTree(line);
            return new Result(j.get("requests").asLong(), j.get("duration_us").asLong(), j.get("non2xx").asLong(),
                    j.get("socket_errors").asLong(), j.get("p50_us").asLong(), j.get("p90_us").asLong(),
                    j.get("p99_us").asLong(), j.get("max_us").asLong());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
