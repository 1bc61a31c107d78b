package dev.llmfault.bench;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.internal.journal.JournalCodec;

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
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * Where a keyed journal query's time goes, in CPU time, which a busy shared machine moves far less than wall
 * time: an embedded server with {@code ScaleProbe}'s journal (100,000 entries over 1,000 keys, the same chat
 * call wrk sends), then
 * <ul>
 *   <li>render: CPU time of the calling thread for the server's own find + render of one answer, in process;
 *   <li>over HTTP, one keep-alive connection as {@code ScaleProbe.keyedQuery} asks: the client thread's CPU per
 *       answer (its write and {@code LoopbackHttp.readBody}), the server's (the process's CPU minus the client
 *       thread's: Jetty, the handler, GC and JIT), and wall time (noise on a shared machine).
 * </ul>
 * Each figure is the median over {@code queries} answers after {@code warmups}, random keys.
 *
 * <pre>{@code java -cp ... dev.llmfault.bench.KeyedProbe [queries=3000] [warmups=3000] [render|http|both]}</pre>
 */
public final class KeyedProbe {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    private static final com.sun.management.OperatingSystemMXBean OS =
            (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();

    private KeyedProbe() {
    }

    public static void main(String[] args) throws Exception {
        int queries = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        int warmups = args.length > 1 ? Integer.parseInt(args[1]) : 3000;
        String only = args.length > 2 ? args[2] : "both"; // render, http or both
        try (FakeLlmServer server = FakeLlmServer.builder().journalSize(ScaleProbe.JOURNAL).start()) {
            long t0 = System.nanoTime();
            fill(server.port(), ScaleProbe.JOURNAL + 1000);
            System.out.printf(Locale.ROOT, "filled: %,d entries in %.1f s%n", server.journal().size(), (System.nanoTime() - t0) / 1e9);
            for (int round = 0; round < 2; round++) {
                if (!only.equals("http")) {
                    render(server, round == 0 ? warmups : warmups / 3, queries);
                }
                if (!only.equals("render")) {
                    overHttp(server.port(), round == 0 ? warmups : warmups / 3, queries);
                }
            }
        }
    }

    /** The chat call of benchmarks/wrk/chat.lua with one of ScaleProbe.KEYS keys in turn, pipelined 64 at a time. */
    private static void fill(int port, int requests) throws IOException {
        byte[] body = Stubs.BODY.getBytes(StandardCharsets.UTF_8);
        try (Socket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            for (int sent = 0; sent < requests; ) {
                int batch = Math.min(64, requests - sent);
                java.io.ByteArrayOutputStream reqs = new java.io.ByteArrayOutputStream();
                for (int i = 0; i < batch; i++) {
                    String head = "POST " + Stubs.PATH + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n"
                            + "Content-Type: application/json\r\nAuthorization: Bearer " + ScaleProbe.key((sent + i) % ScaleProbe.KEYS)
                            + "\r\nUser-Agent: llmfault-bench/wrk\r\nContent-Length: " + body.length + "\r\n\r\n";
                    reqs.write(head.getBytes(StandardCharsets.US_ASCII));
                    reqs.write(body);
                }
                out.write(reqs.toByteArray());
                out.flush();
                for (int i = 0; i < batch; i++) {
                    LoopbackHttp.readBody(in);
                }
                sent += batch;
            }
        }
    }

    private static void render(FakeLlmServer server, int warmups, int queries) {
        Random random = new Random(15);
        List<Double> cpu = new ArrayList<>();
        int bytes = 0;
        int entries = 0;
        for (int i = 0; i < warmups + queries; i++) {
            String key = ScaleProbe.key(random.nextInt(ScaleProbe.KEYS));
            long c0 = THREADS.getCurrentThreadCpuTime();
            List<JournalEntry> found = server.journal().find(JournalQuery.all().apiKey(key));
            var answer = JournalCodec.answer(found, Integer.MAX_VALUE, found.size());
            int size = answer.size();
            answer.release(); // as the admin API does once the answer is written
            long c = THREADS.getCurrentThreadCpuTime() - c0;
            if (i >= warmups) {
                cpu.add(c / 1000.0);
                bytes = size;
                entries = found.size();
            }
        }
        System.out.printf(Locale.ROOT, "render in process: %d entries, %,d bytes per answer; CPU median %.1f us, p90 %.1f us (%d answers after %d)%n",
                entries, bytes, HeldLoad.percentile(cpu, 50), HeldLoad.percentile(cpu, 90), queries, warmups);
    }

    private static void overHttp(int port, int warmups, int queries) {
        Random random = new Random(16);
        List<Double> wall = new ArrayList<>();
        List<Double> client = new ArrayList<>();
        long process0 = 0;
        long client0 = 0;
        int bytes = 0;
        try (Socket s = connect(port)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream(), 64 * 1024);
            for (int i = 0; i < warmups + queries; i++) {
                if (i == warmups) {
                    process0 = OS.getProcessCpuTime();
                    client0 = THREADS.getCurrentThreadCpuTime();
                }
                byte[] req = ("GET /__admin/requests?apiKey=" + ScaleProbe.key(random.nextInt(ScaleProbe.KEYS))
                        + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
                long c0 = THREADS.getCurrentThreadCpuTime();
                long t0 = System.nanoTime();
                out.write(req);
                out.flush();
                byte[] body = LoopbackHttp.readBody(in);
                long t = System.nanoTime() - t0;
                long c = THREADS.getCurrentThreadCpuTime() - c0;
                if (i >= warmups) {
                    wall.add(t / 1000.0);
                    client.add(c / 1000.0);
                    bytes = body.length;
                }
            }
            double processUs = (OS.getProcessCpuTime() - process0) / 1000.0 / queries;
            double clientUs = (THREADS.getCurrentThreadCpuTime() - client0) / 1000.0 / queries;
            System.out.printf(Locale.ROOT, "over HTTP: %,d bytes per answer; client thread CPU median %.1f us (mean %.1f); "
                            + "server CPU (process - client) mean %.1f us; wall median %.1f us, p90 %.1f us (%d answers after %d, load %s)%n",
                    bytes, HeldLoad.percentile(client, 50), clientUs, processUs - clientUs,
                    HeldLoad.percentile(wall, 50), HeldLoad.percentile(wall, 90), queries, warmups, Machine.loadAverage());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.setTcpNoDelay(true);
        s.setSoTimeout(30_000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        return s;
    }
}
