package dev.llmfault.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/**
 * Writes benchmarks/RESULTS.md from one run. Everything below {@link #KEEP_MARKER} in the existing file
 * (notes written by hand: profiles, changes and what they gave) is carried over unchanged.
 */
final class Report {
    static final String KEEP_MARKER = "<!-- Everything below this line is written by hand and kept by the harness across runs. -->";

    private final Results r;
    private final StringBuilder out = new StringBuilder();

    private Report(Results results) {
        this.r = results;
    }

    static void write(Results results, Path file) {
        try {
            String kept = "";
            if (Files.exists(file)) {
                String old = Files.readString(file);
                int at = old.indexOf(KEEP_MARKER);
                if (at >= 0) {
                    kept = old.substring(at + KEEP_MARKER.length());
                }
            }
            Report report = new Report(results);
            report.render();
            Files.writeString(file, report.out + "\n" + KEEP_MARKER + (kept.isEmpty() ? "\n" : kept));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void line(String format, Object... values) {
        out.append(String.format(Locale.ROOT, format, values)).append('\n');
    }

    private void render() {
        line("# Benchmarks: LLM Fault Kit vs WireMock vs MockServer");
        line("");
        line("Last run: %s, %d s in all. Written by `benchmarks/run.sh`; do not edit above the marker at the end.",
                ZonedDateTime.now().format(DateTimeFormatter.ISO_OFFSET_DATE_TIME.withLocale(Locale.ROOT)).substring(0, 19),
                r.elapsed.toSeconds());
        line("");
        line("```");
        line("%s", r.summaryLine());
        line("```");
        line("");
        machine();
        targets();
        coldStart();
        embedded();
        load();
        streaming();
        memory();
        method();
    }

    private void machine() {
        line("## Machine");
        line("");
        line("- CPU: %s, **%d cores** as the JVM sees them (`nproc`: the benchmark, the servers and wrk share them)",
                Machine.cpuModel(), Runtime.getRuntime().availableProcessors());
        line("- Memory: %.1f GiB; OS: %s %s", Machine.memoryGiB(), System.getProperty("os.name"), System.getProperty("os.version"));
        line("- JDK: %s %s (%s); every server runs with the JVM's default flags", System.getProperty("java.vm.vendor"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"));
        line("- Load generator: %s, **on the same 2 cores** as the server under test (loopback, keep-alive, Lua POST script)",
                Machine.wrkVersion());
        line("- Other work on the machine: 1-minute load average at the start of each phase %s (2 cores: above 2 "
                + "means others were waiting for them; the machine is shared, so absolute figures drift and only "
                + "the ratios of one run mean much)", r.loadAverages);
        line("");
    }

    private void targets() {
        double wm = r.throughputRatio(Tool.WIREMOCK, Wrk.Answer.SUCCESS, 16);
        double ms = r.throughputRatio(Tool.MOCKSERVER, Wrk.Answer.SUCCESS, 16);
        double p99 = r.load(Tool.OURS, Wrk.Answer.SUCCESS, 16).p99Ms();
        double cold = r.coldStartMedianMs(Tool.OURS) / r.coldStartMedianMs(Tool.WIREMOCK);
        double start = r.embeddedScore(Tool.OURS, "startStop");
        double reset = r.embeddedScore(Tool.OURS, "reset");
        double rss = r.memory.get(Tool.OURS).rssMb();
        line("## Against the targets (issue 6)");
        line("");
        line("| figure | target | measured | met |");
        line("|---|---|---|---|");
        target("throughput at 16 clients vs WireMock (journal on)", ">= 1.80x", fmt("%.2fx", wm), wm >= 1.8);
        target("throughput at 16 clients vs MockServer (journal on)", ">= 1.50x", fmt("%.2fx", ms), ms >= 1.5);
        target("p99 at 16 clients", "< 15 ms", fmt("%.1f ms", p99), p99 < 15);
        target("cold start vs WireMock", "<= 0.85x", fmt("%.2fx", cold), cold <= 0.85);
        target("embedded start+stop", "< 15 ms", fmt("%.1f ms", start), start < 15);
        target("reset", "< 1 ms", fmt("%.1f us", reset), reset < 1000);
        target("RSS after 1,000,000 requests", "< 400 MB", fmt("%.0f MB", rss), rss < 400);
        line("");
    }

    private void target(String figure, String target, String measured, boolean met) {
        line("| %s | %s | %s | %s |", figure, target, measured, met ? "yes" : "**no**");
    }

    private void coldStart() {
        line("## 1. Cold start: fresh JVM to the first 200 on a POST chat completion");
        line("");
        line("Standalone jars, default JVM flags, rounds interleaved (ours, WireMock, MockServer, ours, ...); the probe "
                + "POSTs every 2 ms on a new connection until a 200 (a 404 before the stubs load does not count).");
        line("");
        line("| server | median | rounds | vs WireMock |");
        line("|---|---|---|---|");
        double wm = r.coldStartMedianMs(Tool.WIREMOCK);
        for (Tool t : Tool.values()) {
            String rounds = r.coldStarts.get(t).stream().map(d -> Long.toString(d.toMillis())).collect(Collectors.joining(", "));
            line("| %s | %.0f ms | %s ms | %.2fx |", t.label, r.coldStartMedianMs(t), rounds, r.coldStartMedianMs(t) / wm);
        }
        line("");
    }

    private void embedded() {
        line("## 2. Embedded in a warm JVM (JMH 1.37, average time, 1 fork, 3 x 1 s warm-up, 5 x 1 s measured)");
        line("");
        line("Each tool in its own JMH JVM on its own class path. Start+stop: start on a free port, then stop. Reset: "
                + "a running server with one stub/scenario added before each call (not timed), then the tool's reset "
                + "(ours `reset()`, WireMock `resetAll()`, MockServer `reset()`, which its client sends over HTTP).");
        line("");
        line("| server | start+stop | reset |");
        line("|---|---|---|");
        for (Tool t : Tool.values()) {
            JmhRunner.Score s = r.embedded.get(t).get("startStop");
            JmhRunner.Score z = r.embedded.get(t).get("reset");
            line("| %s | %.2f ± %.2f %s | %.1f ± %.1f %s |", t.label, s.value(), s.error(), s.unit(), z.value(), z.error(), z.unit());
        }
        line("");
    }

    private void load() {
        line("## 3. Throughput and latency (wrk, keep-alive, loopback, %d interleaved rounds of %d s per cell, after %d s warm-up)",
                r.loadRounds, r.loadSeconds, r.warmupSeconds);
        line("");
        line("wrk runs with min(2, connections) threads on the same 2 cores as the server, so every figure includes "
                + "the generator's share of the CPU; it is the same share for all three servers. Latency is wrk's "
                + "(per request, from send to full answer). The three servers run at once, "
                + "idle but for the one under load, and the rounds go ours, WireMock, MockServer, ours, ...; a cell gives "
                + "total requests over total time and the mean of the rounds' percentiles.");
        line("");
        for (Wrk.Answer answer : Wrk.Answer.values()) {
            line("**%s path** (%s)", answer == Wrk.Answer.SUCCESS ? "Success" : "Injected 429",
                    answer == Wrk.Answer.SUCCESS ? "200 chat completion" : "OpenAI rate-limit error with retry headers");
            line("");
            line("| server | 1 client: req/s, p50, p99 | 16 clients | 64 clients |");
            line("|---|---|---|---|");
            for (Tool t : Tool.values()) {
                StringBuilder row = new StringBuilder("| " + t.label + " |");
                for (int c : Results.CONNECTIONS) {
                    Wrk.Result x = r.load(t, answer, c);
                    row.append(fmt(" %,.0f/s, %.2f ms, %.2f ms |", x.perSecond(), x.p50Ms(), x.p99Ms()));
                }
                line("%s", row);
            }
            for (Tool rival : List.of(Tool.WIREMOCK, Tool.MOCKSERVER)) {
                StringBuilder row = new StringBuilder("| ours / " + rival.label + " |");
                for (int c : Results.CONNECTIONS) {
                    row.append(fmt(" **%.2fx** |", r.throughputRatio(rival, answer, c)));
                }
                line("%s", row);
            }
            line("");
        }
    }

    private void streaming() {
        StreamingProbe.ThousandChunks t = r.thousandChunks;
        StreamingProbe.DelayErrors d = r.delayErrors;
        line("## 4. Streaming (ours)");
        line("");
        line("- A %d-word reply with no delay streams as %d SSE frames (role, one per word, finish, `[DONE]`): "
                + "median %.1f ms end to end (p90 %.1f ms), %,.0f frames/s, over 30 streams after 20 warm-up.",
                StreamingProbe.WORDS, t.frames(), t.medianMs(), t.p90Ms(), t.framesPerSecond());
        line("- Configured delays (first chunk %d ms, between chunks %d ms, %d words, 5 streams, measured on the client):",
                StreamingProbe.FIRST_DELAY_MS, StreamingProbe.CHUNK_DELAY_MS, StreamingProbe.DELAY_WORDS);
        line("  first chunk late by %.2f ms on average (worst %.2f ms); gaps late by %.2f ms on average, p99 %.2f ms, "
                + "worst %.2f ms over %d gaps.", d.firstMeanMs(), d.firstMaxMs(), d.gapMeanMs(), d.gapP99Ms(), d.gapMaxMs(), d.gaps());
        line("");
    }

    private void memory() {
        line("## 5. Memory after the load phase (default journal size, default JVM flags)");
        line("");
        line("Ours gets extra success load if needed until it has answered at least 1,000,000 requests; the rivals "
                + "are measured after their own share of the load phase. RSS from /proc/PID/status (VmRSS); heap from `jcmd PID GC.heap_info`, "
                + "then again after `jcmd PID GC.run` (the live set).");
        line("");
        line("| server | requests answered | RSS | heap used / committed | live heap after full GC |");
        line("|---|---|---|---|---|");
        for (Tool t : Tool.values()) {
            Results.Memory m = r.memory.get(t);
            line("| %s | %,d | %.0f MB | %.0f / %.0f MB | %.0f MB |", t.label, m.requests(), m.rssMb(), m.heapUsedMb(),
                    m.heapCommittedMb(), m.heapLiveMb());
        }
        line("");
    }

    private void method() {
        line("## How to reproduce");
        line("");
        line("```");
        line("bash benchmarks/run.sh            # from the repository root; installs wrk with apt-get if missing");
        line("BENCH_SECONDS=10 BENCH_ROUNDS=3 bash benchmarks/run.sh   # longer and more load rounds");
        line("```");
        line("");
        line("It builds the server jar and this module (`mvn -B -q -Pbench -DskipTests package -pl fake-server,benchmarks -am`; "
                + "the module is not in the default build), then runs `dev.llmfault.bench.BenchMain`, which starts every "
                + "server in its own JVM, one at a time, all on 127.0.0.1. The rivals answer with stubs made from our own "
                + "200 and 429 (same status, headers and body; see `Stubs.java`), matching on method, path and bearer "
                + "token without parsing the body, so the comparison favours them if anyone. MockServer runs with "
                + "`-Dmockserver.logLevel=WARN` (at INFO it prints every request). Logs and the stub files are left in "
                + "`benchmarks/target/bench-work/`. Absolute numbers drift on shared machines: compare the ratios.");
        line("");
    }

    private static String fmt(String format, Object... values) {
        return String.format(Locale.ROOT, format, values);
    }
}
