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
        line("# Benchmarks: LLM Fault Kit vs WireMock vs MockServer (and a bare Javalin floor)");
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
        scale();
        method();
    }

    private void machine() {
        line("## Machine");
        line("");
        line("- CPU: %s, **%d cores** as the JVM sees them (`nproc`: the benchmark, the servers and wrk share them)",
                Machine.cpuModel(), Runtime.getRuntime().availableProcessors());
        line("- Memory: %.1f GiB; OS: %s %s", Machine.memoryGiB(), System.getProperty("os.name"), System.getProperty("os.version"));
        line("- JDK: %s %s (%s); ours runs through its launcher `bin/llmfault-server` (flags `%s`, plus its class-data "
                + "archive) except where a figure says `java -jar`; the floor runs with the same flags; WireMock and "
                + "MockServer with the JVM's defaults, as their documentation starts them", System.getProperty("java.vm.vendor"),
                System.getProperty("java.runtime.version"), System.getProperty("java.vm.name"), String.join(" ", r.launcherFlags));
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
        target("RSS after 1,000,000 requests (launcher)", "< 400 MB", fmt("%.0f MB", rss), rss < 400);
        line("");
        double floor = r.throughputRatio(Tool.FLOOR, Wrk.Answer.SUCCESS, 16);
        double cds = r.coldStartCdsVsWireMock();
        line("## Against the targets (issue 15)");
        line("");
        line("| figure | target | measured | met |");
        line("|---|---|---|---|");
        target("`vs_floor_16`: throughput at 16 clients vs a bare Javalin app", ">= 0.90x", fmt("%.2fx", floor), floor >= 0.9);
        target("`streams_2000_gap_p99_ms`: 2,000 streams at once, p99 of (gap - 50 ms)", "<= 10 ms",
                fmt("%.1f ms", r.streams.gapP99Ms()), r.streams.gapP99Ms() <= 10 && r.streams.complete() == r.streams.streams() * r.streams.rounds());
        target("`streams_2000_health_ms`: p99 of health calls meanwhile", "<= 20 ms", fmt("%.1f ms", r.streams.healthP99Ms()),
                r.streams.healthP99Ms() <= 20);
        target("`slow_500_health_ms`: p99 of health calls with 500 slow answers pending", "<= 20 ms",
                fmt("%.1f ms", r.slow.healthP99Ms()), r.slow.healthP99Ms() <= 20);
        target("the 500 slow answers take their 5 s: p99 of lateness", "<= +50 ms", fmt("%+.1f ms", r.slow.lateP99Ms()),
                r.slow.lateP99Ms() <= 50 && r.slow.complete() == r.slow.requests());
        target("`keyed_query_us`: median keyed query, 100,000 entries over 1,000 keys", "<= 500 us",
                fmt("%.0f us", r.keyed.medianUs()), r.keyed.medianUs() <= 500);
        target("`coldstart_cds_vs_wiremock`: launcher with its class-data archive", "<= 0.60x", fmt("%.2fx", cds), cds <= 0.6);
        target("`rss_mb` (launcher) / `rss_mb_default` (`java -jar`) after 1,000,000 requests", "< 400 MB",
                fmt("%.0f / %.0f MB", rss, r.memoryDefault.rssMb()), rss < 400);
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
        for (Tool t : Tool.PRODUCTS) {
            line("| %s%s | %.0f ms | %s ms | %.2fx |", t.label, t == Tool.OURS ? " (`java -jar`)" : "", r.coldStartMedianMs(t),
                    rounds(r.coldStarts.get(t)), r.coldStartMedianMs(t) / wm);
            if (t == Tool.OURS) {
                line("| LLM Fault Kit (launcher, no archive) | %.0f ms | %s ms | %.2fx |", Results.medianMs(r.coldLauncherNoCds),
                        rounds(r.coldLauncherNoCds), Results.medianMs(r.coldLauncherNoCds) / wm);
                line("| LLM Fault Kit (launcher + class-data archive) | %.0f ms | %s ms | **%.2fx** |", Results.medianMs(r.coldLauncherCds),
                        rounds(r.coldLauncherCds), r.coldStartCdsVsWireMock());
            }
        }
        line("");
        line("The launcher's very first start on this JVM, which first makes the class-data archive by a short training "
                + "run (once per JVM and jar), took %d ms.", r.firstLaunch.toMillis());
        line("");
    }

    private static String rounds(List<java.time.Duration> durations) {
        return durations.stream().map(d -> Long.toString(d.toMillis())).collect(Collectors.joining(", "));
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
        for (Tool t : Tool.PRODUCTS) {
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
            for (Tool rival : List.of(Tool.WIREMOCK, Tool.MOCKSERVER, Tool.FLOOR)) {
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
            line("| %s%s | %,d | %.0f MB | %.0f / %.0f MB | %.0f MB |", t.label, t == Tool.OURS ? " (launcher)" : "",
                    m.requests(), m.rssMb(), m.heapUsedMb(), m.heapCommittedMb(), m.heapLiveMb());
            if (t == Tool.OURS) {
                Results.Memory d = r.memoryDefault;
                line("| LLM Fault Kit (`java -jar`, default flags) | %,d | %.0f MB | %.0f / %.0f MB | %.0f MB |", d.requests(),
                        d.rssMb(), d.heapUsedMb(), d.heapCommittedMb(), d.heapLiveMb());
            }
        }
        line("");
        line("The heap figures assume G1 or the serial collector's `jcmd GC.heap_info` wording; -1 means jcmd printed another shape.");
        line("");
    }

    private void scale() {
        ScaleProbe.Streams st = r.streams;
        ScaleProbe.Slow sl = r.slow;
        ScaleProbe.Keyed k = r.keyed;
        line("## 6. Scale (issue 15): held streams, pending slow answers, keyed journal queries");
        line("");
        line("Ours through the launcher; the client is one selector thread holding every connection, on the same 2 cores; "
                + "health is asked over one keep-alive connection every 10 ms while the load is held.");
        line("");
        line("- **%,d OpenAI streams at once**, %d frames each, %d ms between frames, %d rounds: %,d of %,d complete; "
                + "gap error (observed - %d ms) p50 %.1f ms, **p99 %.1f ms**, worst %.1f ms over %,d gaps; health p50 %.1f ms, "
                + "**p99 %.1f ms**, worst %.1f ms over %,d calls.%s",
                st.streams(), st.framesPerStream(), ScaleProbe.STREAM_GAP_MS, st.rounds(), st.complete(),
                st.streams() * st.rounds(), ScaleProbe.STREAM_GAP_MS, st.gapP50Ms(), st.gapP99Ms(), st.gapMaxMs(), st.gaps(),
                st.healthP50Ms(), st.healthP99Ms(), st.healthMaxMs(), st.healthCalls(),
                st.errors().isEmpty() ? "" : " First failures: " + st.errors() + ".");
        line("  What explains it: opening the %,d connections took %.0f ms (median of the rounds: first request sent to the "
                + "last first byte); once every stream was open, the gap error p99 was %.1f ms (%,d gaps). Over the measured "
                + "rounds (%,d ms) the server's JVM used %,d ms of CPU and this client's %,d ms, of the %,d ms the 2 cores had: "
                + "%,.0f frames cost the server %.1f us of CPU each, the opening included.",
                st.streams(), st.openingMs(), st.heldGapP99Ms(), st.heldGaps(), st.wallMs(), st.serverCpuMs(), st.clientCpuMs(),
                2 * st.wallMs(), (double) st.streams() * st.rounds() * st.framesPerStream(),
                st.serverCpuMs() * 1000.0 / ((double) st.streams() * st.rounds() * st.framesPerStream()));
        ScaleProbe.Streams fl = r.streamsFloor;
        if (fl != null) {
            line("  The floor (`StreamFloor`: a bare Javalin app writing the same frames from a timer, nothing else), same "
                    + "probe: %,d of %,d complete; gap error p99 **%.1f ms** (%.1f ms once all were open), opening %.0f ms, "
                    + "health p99 %.1f ms; its JVM used %,d ms of CPU (%.1f us per frame), this client %,d ms, over %,d ms. "
                    + "Ours per frame / floor per frame: **%.2fx**.",
                    fl.complete(), fl.streams() * fl.rounds(), fl.gapP99Ms(), fl.heldGapP99Ms(), fl.openingMs(), fl.healthP99Ms(),
                    fl.serverCpuMs(), fl.serverCpuMs() * 1000.0 / ((double) fl.streams() * fl.rounds() * fl.framesPerStream()),
                    fl.clientCpuMs(), fl.wallMs(), (double) st.serverCpuMs() / Math.max(1, fl.serverCpuMs()));
        }
        line("- **%d `SLOW_RESPONSE` answers of %d ms at once** (each on a new connection, after 10 waves of as many plain "
                + "requests to warm the JIT): %d of %d complete; lateness (from sending to the end of the answer, minus the "
                + "delay) p50 %+.1f ms, **p99 %+.1f ms**, worst %+.1f ms; health p50 %.1f ms, **p99 %.1f ms**, worst %.1f ms over %,d calls.%s",
                sl.requests(), ScaleProbe.SLOW_MS, sl.complete(), sl.requests(), sl.lateP50Ms(), sl.lateP99Ms(), sl.lateMaxMs(),
                sl.healthP50Ms(), sl.healthP99Ms(), sl.healthMaxMs(), sl.healthCalls(),
                sl.errors().isEmpty() ? "" : " First failures: " + sl.errors() + ".");
        line("- **Keyed journal query** `GET /__admin/requests?apiKey=K` with %,d entries over %,d keys (journalSize %,d): "
                + "%d entries and %,d bytes per answer; median **%.0f us**, p90 %.0f us over %d queries (one keep-alive "
                + "connection, random keys, after %,d warm-up queries).",
                k.journalEntries(), ScaleProbe.KEYS, ScaleProbe.JOURNAL, k.entriesPerAnswer(), k.answerBytes(), k.medianUs(),
                k.p90Us(), k.queries(), k.warmups());
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
