package dev.llmfault.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Everything one run measured, filled in phase by phase. */
final class Results {
    static final int[] CONNECTIONS = {1, 16, 64};

    final Map<Tool, List<Duration>> coldStarts = new EnumMap<>(Tool.class);
    final Map<Tool, Map<String, JmhRunner.Score>> embedded = new EnumMap<>(Tool.class);
    final Map<Tool, Map<Wrk.Answer, Map<Integer, Wrk.Result>>> load = new EnumMap<>(Tool.class);
    final Map<Tool, Memory> memory = new EnumMap<>(Tool.class);
    /** The launcher's default JVM flags, as its script states them. */
    List<String> launcherFlags = List.of();
    /** Ours through the launcher: its very first start (which makes the class-data archive), then rounds without and with it. */
    Duration firstLaunch;
    final List<Duration> coldLauncherNoCds = new ArrayList<>();
    final List<Duration> coldLauncherCds = new ArrayList<>();
    /** Ours with plain java -jar after a million requests (the load phase's ours runs through the launcher). */
    Memory memoryDefault;
    ScaleProbe.Streams streams;
    /** The same probe against the bare Javalin stream floor ({@link StreamFloor}). */
    ScaleProbe.Streams streamsFloor;
    ScaleProbe.Slow slow;
    ScaleProbe.Keyed keyed;
    StreamingProbe.ThousandChunks thousandChunks;
    StreamingProbe.DelayErrors delayErrors;
    int loadSeconds;
    int loadRounds;
    int warmupSeconds;
    Duration elapsed;
    /** The 1-minute load average when each phase began, and at the end. */
    final java.util.Map<String, String> loadAverages = new java.util.LinkedHashMap<>();

    /** Memory after a tool's load phase: resident set, heap before and after a full GC. */
    record Memory(long requests, double rssMb, double heapCommittedMb, double heapUsedMb, double heapLiveMb) {
    }

    void coldStart(Tool tool, Duration d) {
        coldStarts.computeIfAbsent(tool, t -> new ArrayList<>()).add(d);
    }

    double coldStartMedianMs(Tool tool) {
        return medianMs(coldStarts.get(tool));
    }

    static double medianMs(List<Duration> durations) {
        List<Duration> all = new ArrayList<>(durations);
        all.sort(null);
        int n = all.size();
        long nanos = n % 2 == 1 ? all.get(n / 2).toNanos() : (all.get(n / 2 - 1).toNanos() + all.get(n / 2).toNanos()) / 2;
        return nanos / 1e6;
    }

    void load(Tool tool, Wrk.Answer answer, int connections, Wrk.Result r) {
        load.computeIfAbsent(tool, t -> new EnumMap<>(Wrk.Answer.class))
                .computeIfAbsent(answer, a -> new TreeMap<>()).put(connections, r);
    }

    Wrk.Result load(Tool tool, Wrk.Answer answer, int connections) {
        return load.get(tool).get(answer).get(connections);
    }

    double throughputRatio(Tool rival, Wrk.Answer answer, int connections) {
        return load(Tool.OURS, answer, connections).perSecond() / load(rival, answer, connections).perSecond();
    }

    double embeddedScore(Tool tool, String benchmark) {
        return embedded.get(tool).get(benchmark).value();
    }

    double coldStartCdsVsWireMock() {
        return medianMs(coldLauncherCds) / coldStartMedianMs(Tool.WIREMOCK);
    }

    /** The one line run.sh ends with: issue 6's figures, then issue 15's. */
    String summaryLine() {
        return String.format(java.util.Locale.ROOT,
                "bench: throughput_vs_wiremock=%.2f throughput_vs_mockserver=%.2f p99_ms_16=%.1f coldstart_vs_wiremock=%.2f "
                        + "embedded_start_ms=%.1f reset_us=%.1f rss_mb=%.0f vs_floor_16=%.2f streams_2000_gap_p99_ms=%.1f "
                        + "streams_2000_health_ms=%.1f slow_500_health_ms=%.1f slow_500_late_p99_ms=%.1f keyed_query_us=%.0f "
                        + "coldstart_cds_vs_wiremock=%.2f rss_mb_default=%.0f",
                throughputRatio(Tool.WIREMOCK, Wrk.Answer.SUCCESS, 16),
                throughputRatio(Tool.MOCKSERVER, Wrk.Answer.SUCCESS, 16),
                load(Tool.OURS, Wrk.Answer.SUCCESS, 16).p99Ms(),
                coldStartMedianMs(Tool.OURS) / coldStartMedianMs(Tool.WIREMOCK),
                embeddedScore(Tool.OURS, "startStop"),
                embeddedScore(Tool.OURS, "reset"),
                memory.get(Tool.OURS).rssMb(),
                throughputRatio(Tool.FLOOR, Wrk.Answer.SUCCESS, 16),
                streams.gapP99Ms(),
                streams.healthP99Ms(),
                slow.healthP99Ms(),
                slow.lateP99Ms(),
                keyed.medianUs(),
                coldStartCdsVsWireMock(),
                memoryDefault.rssMb());
    }
}
