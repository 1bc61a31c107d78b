package dev.llmfault.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.IntFunction;

/**
 * The whole benchmark, in one JVM that only orchestrates: every server under test runs in its own fresh
 * JVM (standalone jar or JMH fork), one at a time, so each has the machine to itself apart from the load
 * generator. Phases: stubs, cold start, embedded (JMH), load and memory, streaming; then RESULTS.md and
 * the summary line.
 *
 * <p>Arguments are {@code key=value}: {@code work}, {@code results}, {@code lua}, {@code ours.jar},
 * {@code wiremock.jar}, {@code mockserver.jar}, {@code cp.ours}, {@code cp.jmh}, {@code classes}, and the
 * optional {@code seconds} (per load cell and round, default 5), {@code rounds} (default 2), {@code warmup} (default 12), {@code coldRounds}
 * (default 5), {@code requests} (for the memory figure, default 1,000,000).
 */
public final class BenchMain {
    private final Map<String, String> args;
    private final Path work;
    private final Results results = new Results();
    private final Map<Tool, Path> jars = new EnumMap<>(Tool.class);
    private final Launcher launcher;
    private Stubs stubs;

    private BenchMain(Map<String, String> args) {
        this.args = args;
        this.work = Path.of(arg("work"));
        jars.put(Tool.OURS, Path.of(arg("ours.jar")));
        jars.put(Tool.WIREMOCK, Path.of(arg("wiremock.jar")));
        jars.put(Tool.MOCKSERVER, Path.of(arg("mockserver.jar")));
        this.launcher = new Launcher(Path.of(arg("launcher")), work.resolve("cds"));
    }

    public static void main(String[] argv) throws IOException {
        Map<String, String> args = new HashMap<>();
        for (String a : argv) {
            int eq = a.indexOf('=');
            if (eq < 0) {
                throw new IllegalArgumentException("argument '" + a + "': expected key=value");
            }
            args.put(a.substring(0, eq), a.substring(eq + 1));
        }
        new BenchMain(args).run();
    }

    private String arg(String key) {
        String v = args.get(key);
        if (v == null) {
            throw new IllegalArgumentException("missing argument " + key + "=...");
        }
        return v;
    }

    private int intArg(String key, int fallback) {
        return args.containsKey(key) ? Integer.parseInt(args.get(key)) : fallback;
    }

    private void run() throws IOException {
        long t0 = System.nanoTime();
        Files.createDirectories(work);
        stubs = Stubs.write(work);
        results.launcherFlags = launcher.jvmOpts;
        if (args.containsKey("only")) { // only=scale (all three), streams, slow or keyed: printed, no RESULTS.md
            String only = args.get("only");
            scale(only.equals("scale") || only.equals("streams"), only.equals("scale") || only.equals("slow"),
                    only.equals("scale") || only.equals("keyed"));
            return;
        }
        progress("stubs", "captured our 200 and 429; WireMock and MockServer stubs written to " + work);
        results.loadAverages.put("cold start", Machine.loadAverage());
        coldStarts(intArg("coldRounds", 5));
        results.loadAverages.put("embedded", Machine.loadAverage());
        embedded();
        results.loadAverages.put("load", Machine.loadAverage());
        load(intArg("seconds", 5), intArg("warmup", 12), intArg("rounds", 2), intArg("requests", 1_000_000));
        results.loadAverages.put("memory, default flags", Machine.loadAverage());
        memoryWithDefaultFlags(intArg("requests", 1_000_000));
        results.loadAverages.put("streaming", Machine.loadAverage());
        streaming();
        scale(true, true, true);
        results.loadAverages.put("end", Machine.loadAverage());
        results.elapsed = Duration.ofNanos(System.nanoTime() - t0);
        Report.write(results, Path.of(arg("results")));
        System.out.println(results.summaryLine());
    }

    /**
     * Interleaved rounds, so that a slow moment of the machine does not fall on one tool only. Ours three ways:
     * plain {@code java -jar} (default JVM flags), the launcher without its class-data archive, and the
     * launcher with it (made once, before the rounds, as the launcher's first start does; that first start is
     * reported on its own).
     */
    private void coldStarts(int rounds) {
        int first = ServerProcess.freePort();
        try (ServerProcess server = ServerProcess.launch(Tool.OURS, stubs.launched(launcher, first), launcher.env(true),
                first, log(Tool.OURS, "cold-first-launch"))) {
            results.firstLaunch = server.awaitFirst200(Stubs.PATH, Stubs.AUTHORIZATION, Stubs.BODY, Duration.ofSeconds(120));
            progress("cold start", "launcher's first start, making its class-data archive: " + results.firstLaunch.toMillis() + " ms");
        }
        for (int round = 1; round <= rounds; round++) {
            for (Tool tool : Tool.PRODUCTS) {
                int port = ServerProcess.freePort();
                try (ServerProcess server = ServerProcess.launch(tool, command(tool, port), port, log(tool, "cold"))) {
                    Duration d = server.awaitFirst200(Stubs.PATH, Stubs.AUTHORIZATION, Stubs.BODY, Duration.ofSeconds(60));
                    results.coldStart(tool, d);
                    progress("cold start", String.format(Locale.ROOT, "%s round %d: %d ms", tool.label, round, d.toMillis()));
                }
                if (tool == Tool.OURS) {
                    for (boolean cds : new boolean[] {false, true}) {
                        int p = ServerProcess.freePort();
                        try (ServerProcess server = ServerProcess.launch(tool, stubs.launched(launcher, p), launcher.env(cds), p,
                                log(tool, "cold-launcher"))) {
                            Duration d = server.awaitFirst200(Stubs.PATH, Stubs.AUTHORIZATION, Stubs.BODY, Duration.ofSeconds(60));
                            (cds ? results.coldLauncherCds : results.coldLauncherNoCds).add(d);
                            progress("cold start", String.format(Locale.ROOT, "launcher %s round %d: %d ms",
                                    cds ? "with CDS" : "without CDS", round, d.toMillis()));
                        }
                    }
                }
            }
        }
    }

    private List<String> command(Tool tool, int port) {
        return stubs.command(tool, jars.get(tool), port, launcher, arg("classes") + ":" + arg("cp.ours"));
    }

    private void embedded() {
        String classes = arg("classes");
        for (Tool tool : Tool.PRODUCTS) {
            String cp = switch (tool) {
                case OURS -> classes + ":" + arg("cp.ours");
                default -> classes + ":" + arg("cp.jmh") + ":" + jars.get(tool);
            };
            Map<String, JmhRunner.Score> scores = JmhRunner.run(tool, cp, work.resolve("jmh-" + tool.name().toLowerCase(Locale.ROOT) + ".json"),
                    log(tool, "jmh"));
            results.embedded.put(tool, scores);
            progress("embedded", tool.label + " " + scores);
        }
    }

    /**
     * All four servers run at once (the idle ones cost next to nothing) so that each cell can be measured in
     * interleaved rounds: a slow minute of this shared machine then falls on every tool alike. Ours runs as
     * the README starts it, through the launcher (its JVM flags and class-data archive); the floor runs with
     * the same JVM flags; the rivals with their defaults.
     */
    private void load(int seconds, int warmup, int rounds, long memoryRequests) {
        results.loadSeconds = seconds;
        results.warmupSeconds = warmup;
        results.loadRounds = rounds;
        Wrk wrk = new Wrk(Path.of(arg("lua")));
        Map<Tool, ServerProcess> servers = new EnumMap<>(Tool.class);
        Map<Tool, Long> served = new EnumMap<>(Tool.class);
        try {
            for (Tool tool : Tool.values()) {
                int port = ServerProcess.freePort();
                ServerProcess server = tool == Tool.OURS
                        ? ServerProcess.launch(tool, stubs.launched(launcher, port), launcher.env(true), port, log(tool, "load"))
                        : ServerProcess.launch(tool, command(tool, port), port, log(tool, "load"));
                servers.put(tool, server);
                server.awaitFirst200(Stubs.PATH, Stubs.AUTHORIZATION, Stubs.BODY, Duration.ofSeconds(60));
            }
            for (Tool tool : Tool.values()) {
                int port = servers.get(tool).port;
                long n = wrk.run(port, Wrk.Answer.SUCCESS, 16, warmup).requests();
                n += wrk.run(port, Wrk.Answer.RATE_LIMITED, 16, Math.max(2, warmup / 2)).requests();
                served.put(tool, n);
            }
            Map<String, List<Wrk.Result>> cells = new HashMap<>();
            for (int round = 1; round <= rounds; round++) {
                for (Tool tool : Tool.values()) {
                    for (Wrk.Answer answer : Wrk.Answer.values()) {
                        for (int c : Results.CONNECTIONS) {
                            Wrk.Result r = wrk.run(servers.get(tool).port, answer, c, seconds);
                            check(tool, answer, c, r);
                            served.merge(tool, r.requests(), Long::sum);
                            cells.computeIfAbsent(tool + "/" + answer + "/" + c, k -> new ArrayList<>()).add(r);
                            progress("load", String.format(Locale.ROOT, "round %d %s %s c=%d: %.0f req/s p50 %.2f ms p99 %.2f ms",
                                    round, tool.label, answer, c, r.perSecond(), r.p50Ms(), r.p99Ms()));
                        }
                    }
                }
            }
            for (Tool tool : Tool.values()) {
                for (Wrk.Answer answer : Wrk.Answer.values()) {
                    for (int c : Results.CONNECTIONS) {
                        results.load(tool, answer, c, Wrk.Result.combine(cells.get(tool + "/" + answer + "/" + c)));
                    }
                }
            }
            served.put(Tool.OURS, topUp(wrk, servers.get(Tool.OURS).port, served.get(Tool.OURS), memoryRequests));
            for (Tool tool : Tool.values()) {
                ServerProcess server = servers.get(tool);
                double rss = server.rssMb();
                ServerProcess.Heap heap = server.heap(false);
                ServerProcess.Heap live = server.heap(true);
                Results.Memory m = new Results.Memory(served.get(tool), rss, heap.committedMb(), heap.usedMb(), live.usedMb());
                results.memory.put(tool, m);
                progress("memory", String.format(Locale.ROOT, "%s after %,d requests: RSS %.0f MB, heap %.0f/%.0f MB, live %.0f MB",
                        tool.label, m.requests(), rss, m.heapUsedMb(), m.heapCommittedMb(), m.heapLiveMb()));
            }
        } finally {
            servers.values().forEach(ServerProcess::close);
        }
    }

    /** Issue 15's probes: 2,000 held streams, 500 pending slow answers, keyed queries on a full journal. */
    private void scale(boolean streams, boolean slow, boolean keyed) {
        if (streams) {
            results.loadAverages.put("2,000 streams", Machine.loadAverage());
            results.streams = withOursProcess(ScaleProbe.streamsConfig(work), "streams-2000", server -> ScaleProbe.streams(server, 2));
            progress("scale", "load " + results.loadAverages.get("2,000 streams") + "-" + Machine.loadAverage() + ": " + results.streams);
            int port = ServerProcess.freePort();
            try (ServerProcess floor = ServerProcess.launch(Tool.FLOOR, command(Tool.FLOOR, port), port, log(Tool.FLOOR, "streams-2000"))) {
                floor.awaitFirst200(Stubs.PATH, Stubs.AUTHORIZATION, Stubs.BODY, Duration.ofSeconds(60));
                results.streamsFloor = ScaleProbe.streams(floor, 2);
            }
            progress("scale", "the stream floor: " + results.streamsFloor);
        }
        if (slow) {
            results.loadAverages.put("500 slow", Machine.loadAverage());
            results.slow = withOurs(ScaleProbe.slowConfig(work), "slow-500", ScaleProbe::slow);
            progress("scale", "load " + results.loadAverages.get("500 slow") + "-" + Machine.loadAverage() + ": " + results.slow);
        }
        if (keyed) {
            results.loadAverages.put("keyed query", Machine.loadAverage());
            results.keyed = withOurs(ScaleProbe.journalConfig(work), "keyed", this::keyedQuery);
            progress("scale", "load " + results.loadAverages.get("keyed query") + "-" + Machine.loadAverage() + ": " + results.keyed);
        }
    }

    /** Ours with plain {@code java -jar} (the JVM's default flags) under a million requests: rss_mb_default. */
    private void memoryWithDefaultFlags(long target) {
        Wrk wrk = new Wrk(Path.of(arg("lua")));
        int port = ServerProcess.freePort();
        try (ServerProcess server = ServerProcess.launch(Tool.OURS, command(Tool.OURS, port), port, log(Tool.OURS, "memory-default"))) {
            server.awaitFirst200(Stubs.PATH, Stubs.AUTHORIZATION, Stubs.BODY, Duration.ofSeconds(60));
            long served = topUp(wrk, port, 0, target);
            double rss = server.rssMb();
            ServerProcess.Heap heap = server.heap(false);
            ServerProcess.Heap live = server.heap(true);
            results.memoryDefault = new Results.Memory(served, rss, heap.committedMb(), heap.usedMb(), live.usedMb());
            progress("memory", String.format(Locale.ROOT, "ours with java -jar after %,d requests: RSS %.0f MB, heap %.0f/%.0f MB, live %.0f MB",
                    served, rss, heap.usedMb(), heap.committedMb(), live.usedMb()));
        }
    }

    /** Fills a 100,000-entry journal over 1,000 keys with wrk, then times keyed queries. */
    private ScaleProbe.Keyed keyedQuery(int port) {
        Wrk keys = new Wrk(ScaleProbe.keysScript(work, Path.of(arg("lua"))));
        long sent = 0;
        for (int round = 0; round < 30 && sent < ScaleProbe.JOURNAL + 1000; round++) {
            Wrk.Result r = keys.run(port, Wrk.Answer.SUCCESS, 64, 5);
            check(Tool.OURS, Wrk.Answer.SUCCESS, 64, r);
            sent += r.requests();
        }
        return ScaleProbe.keyedQuery(port, Math.min(sent, ScaleProbe.JOURNAL), 2000, 500);
    }

    /** More success load until the server has answered {@code target} requests; bounded in rounds and time. */
    private long topUp(Wrk wrk, int port, long served, long target) {
        double rate = Math.max(1000, results.load(Tool.OURS, Wrk.Answer.SUCCESS, 16).perSecond());
        for (int round = 0; round < 6 && served < target; round++) {
            int secs = (int) Math.min(90, Math.max(2, Math.ceil((target - served) / rate * 1.1) + 1));
            Wrk.Result r = wrk.run(port, Wrk.Answer.SUCCESS, 16, secs);
            served += r.requests();
            rate = Math.max(1000, r.perSecond());
        }
        return served;
    }

    /** A run whose answers are not the ones asked for measures nothing: stop there. */
    private static void check(Tool tool, Wrk.Answer answer, int c, Wrk.Result r) {
        boolean ok = answer == Wrk.Answer.SUCCESS ? r.non2xx() == 0 : r.non2xx() == r.requests();
        if (!ok || r.socketErrors() > 0 || r.requests() == 0) {
            throw new IllegalStateException(tool.label + " " + answer + " c=" + c + ": " + r.requests() + " requests, "
                    + r.non2xx() + " not 2xx, " + r.socketErrors() + " socket errors");
        }
    }

    private void streaming() {
        StreamingProbe probe = new StreamingProbe();
        Path thousand = StreamingProbe.config(work, "ours-1000-words.yaml", StreamingProbe.WORDS, 0, 0);
        results.thousandChunks = withOurs(thousand, "stream", port -> probe.thousandChunks(port, 20, 30));
        progress("streaming", results.thousandChunks.toString());
        Path delayed = StreamingProbe.config(work, "ours-delays.yaml", StreamingProbe.DELAY_WORDS,
                StreamingProbe.FIRST_DELAY_MS, StreamingProbe.CHUNK_DELAY_MS);
        results.delayErrors = withOurs(delayed, "delays", port -> probe.delays(port, 5));
        progress("streaming", results.delayErrors.toString());
    }

    /** Ours through the launcher with this config, for one probe. */
    private <T> T withOurs(Path config, String phase, IntFunction<T> probe) {
        return withOursProcess(config, phase, server -> probe.apply(server.port));
    }

    /** As above, for a probe that also reads the server process (its CPU time). */
    private <T> T withOursProcess(Path config, String phase, java.util.function.Function<ServerProcess, T> probe) {
        int port = ServerProcess.freePort();
        List<String> cmd = launcher.command("--port", Integer.toString(port), "--config", config.toString());
        try (ServerProcess server = ServerProcess.launch(Tool.OURS, cmd, launcher.env(true), port, log(Tool.OURS, phase))) {
            server.awaitFirst200(Stubs.PATH, Stubs.AUTHORIZATION, Stubs.BODY, Duration.ofSeconds(60));
            return probe.apply(server);
        }
    }

    private Path log(Tool tool, String phase) {
        return work.resolve(tool.name().toLowerCase(Locale.ROOT) + "-" + phase + ".log");
    }

    private static void progress(String phase, String message) {
        System.out.println("[" + phase + "] " + message);
        System.out.flush();
    }

}
