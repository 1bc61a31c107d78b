package dev.llmfault.bench;

import dev.llmfault.server.FakeLlmServer;
import io.javalin.Javalin;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * CPU time per chat completion, ours against the bare Javalin floor, in one JVM: the figure behind
 * {@code vs_floor_16} that a busy shared machine does not move much. Both servers run in-process; keep-alive
 * clients send the benchmark's OpenAI chat completion (success path) and the probe sums the CPU time of every
 * Java thread but the clients' (Jetty's selectors and pool, our pipeline; not the JIT's or the collector's, which
 * {@code process cpu} adds) and the bytes they allocated, divided by the requests. Rounds alternate ours, floor.
 *
 * <pre>{@code java -cp ... dev.llmfault.bench.CpuProbe [requests=100000] [rounds=3] [clients=1] [only=ours|floor]}</pre>
 */
public final class CpuProbe {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
    private static final Set<Long> CLIENTS = ConcurrentHashMap.newKeySet();

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        int clients = args.length > 2 ? Integer.parseInt(args[2]) : 1;
        String only = args.length > 3 ? args[3] : "";
        CLIENTS.add(Thread.currentThread().getId());
        try (FakeLlmServer ours = FakeLlmServer.builder().scenario(Stubs.rateLimitScenario()).start()) {
            Stubs.Captured success = Stubs.capture(ours.port(), false);
            Stubs.Captured limited = Stubs.capture(ours.port(), true);
            Javalin floor = FloorServer.start(0, answer(success), answer(limited));
            try {
                int[] ports = {ours.port(), floor.port()};
                String[] names = {"ours", "floor"};
                double[][] cpu = new double[2][rounds];
                double[][] proc = new double[2][rounds];
                double[][] alloc = new double[2][rounds];
                for (int s = 0; s < 2; s++) {
                    if (!only.isEmpty() && !only.equals(names[s])) continue;
                    run(ports[s], n, clients); // warm-up: the JIT, and a full journal
                }
                for (int r = 0; r < rounds; r++) {
                    for (int s = 0; s < 2; s++) {
                        if (!only.isEmpty() && !only.equals(names[s])) continue;
                        Map<Long, long[]> before = snapshot();
                        long procBefore = OS.getProcessCpuTime();
                        run(ports[s], n, clients);
                        long procAfter = OS.getProcessCpuTime();
                        Map<Long, long[]> after = snapshot();
                        long[] d = delta(before, after);
                        cpu[s][r] = d[0] / 1000.0 / n;
                        alloc[s][r] = (double) d[1] / n;
                        proc[s][r] = (procAfter - procBefore - d[2]) / 1000.0 / n; // minus the clients' own CPU
                        System.out.printf(Locale.ROOT, "round %d %-5s: %.1f us CPU/request (server threads), %.1f us (process"
                                + " minus clients), %,.0f bytes allocated/request%n", r + 1, names[s], cpu[s][r], proc[s][r], alloc[s][r]);
                    }
                }
                if (only.isEmpty()) {
                    double o = median(cpu[0]);
                    double f = median(cpu[1]);
                    System.out.printf(Locale.ROOT, "median: ours %.1f us, floor %.1f us CPU/request (server threads);"
                                    + " floor/ours %.2f; process minus clients: ours %.1f, floor %.1f us; allocated: ours %,.0f, floor %,.0f B%n",
                            o, f, f / o, median(proc[0]), median(proc[1]), median(alloc[0]), median(alloc[1]));
                }
            } finally {
                floor.stop();
            }
        }
    }

    private static FloorServer.Answer answer(Stubs.Captured c) {
        return new FloorServer.Answer(c.status(), c.headers(), c.body().getBytes(StandardCharsets.UTF_8));
    }

    /** CPU ns and allocated bytes per live thread id. */
    private static Map<Long, long[]> snapshot() {
        long[] ids = THREADS.getAllThreadIds();
        long[] cpuTimes = THREADS.getThreadCpuTime(ids);
        long[] allocated = THREADS.getThreadAllocatedBytes(ids);
        Map<Long, long[]> m = new HashMap<>();
        for (int i = 0; i < ids.length; i++) {
            m.put(ids[i], new long[] {cpuTimes[i], allocated[i]});
        }
        return m;
    }

    /** {server CPU ns, server bytes, clients' CPU ns} between two snapshots (a thread born meanwhile counts whole). */
    private static long[] delta(Map<Long, long[]> before, Map<Long, long[]> after) {
        long cpu = 0;
        long bytes = 0;
        long clients = 0;
        for (Map.Entry<Long, long[]> e : after.entrySet()) {
            long[] b = before.getOrDefault(e.getKey(), new long[] {0, 0});
            long c = Math.max(0, e.getValue()[0] - Math.max(0, b[0]));
            if (CLIENTS.contains(e.getKey())) {
                clients += c;
                continue;
            }
            cpu += c;
            bytes += Math.max(0, e.getValue()[1] - Math.max(0, b[1]));
        }
        return new long[] {cpu, bytes, clients};
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }

    /** {@code clients} keep-alive connections, each sending its share of {@code n} requests one after the other. */
    private static void run(int port, int n, int clients) throws InterruptedException {
        List<Thread> threads = new ArrayList<>();
        for (int c = 0; c < clients; c++) {
            int share = n / clients;
            Thread t = new Thread(() -> {
                CLIENTS.add(Thread.currentThread().getId());
                try (Socket socket = new Socket()) {
                    socket.setTcpNoDelay(true);
                    socket.connect(new InetSocketAddress("127.0.0.1", port));
                    OutputStream out = socket.getOutputStream();
                    InputStream in = new BufferedInputStream(socket.getInputStream());
                    byte[] req = request(port);
                    for (int i = 0; i < share; i++) {
                        out.write(req);
                        out.flush();
                        LoopbackHttp.readBody(in);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
    }

    private static byte[] request(int port) {
        byte[] body = Stubs.BODY.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + Stubs.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nContent-Type: application/json\r\n"
                + "Authorization: " + Stubs.AUTHORIZATION + "\r\nUser-Agent: llmfault-bench/probe\r\n"
                + "Content-Length: " + body.length + "\r\n\r\n";
        byte[] h = head.getBytes(StandardCharsets.US_ASCII);
        byte[] all = Arrays.copyOf(h, h.length + body.length);
        System.arraycopy(body, 0, all, h.length, body.length);
        return all;
    }
}
