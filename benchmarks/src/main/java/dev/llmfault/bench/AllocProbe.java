package dev.llmfault.bench;

import dev.llmfault.server.FakeLlmServer;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Two figures of our server that do not depend on how busy the machine is, to judge a change on a shared
 * box: bytes allocated per request (all server threads, measured with the JVM's per-thread allocation
 * counters) and bytes retained per journal entry (heap after a full GC with a full journal, minus an
 * empty one). One keep-alive client in the same JVM; its own allocations are not counted.
 *
 * <pre>{@code java -cp ... dev.llmfault.bench.AllocProbe [requests=20000]}</pre>
 */
public final class AllocProbe {
    public static void main(String[] args) throws IOException {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 20_000;
        try (FakeLlmServer server = FakeLlmServer.builder().scenario(Stubs.rateLimitScenario()).start();
             Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress("127.0.0.1", server.port()));
            Client client = new Client(socket);
            for (boolean fault : new boolean[] {false, true}) {
                client.send(n, fault); // warm-up: the JIT, and a full journal
                long before = serverThreadsAllocated();
                client.send(n, fault);
                long after = serverThreadsAllocated();
                System.out.printf(Locale.ROOT, "allocated per request (%s): %,d bytes%n", fault ? "429" : "200",
                        (after - before) / n);
            }
            MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
            client.send(10_000, false); // the journal now holds exactly 10,000 plain successes
            long full = usedAfterGc(memory);
            server.journal().clear();
            long empty = usedAfterGc(memory);
            System.out.printf(Locale.ROOT, "retained per journal entry: %,d bytes (10,000 entries: %.1f MB)%n",
                    (full - empty) / 10_000, (full - empty) / 1e6);
        }
    }

    private static long usedAfterGc(MemoryMXBean memory) {
        for (int i = 0; i < 3; i++) {
            System.gc();
        }
        return memory.getHeapMemoryUsage().getUsed();
    }

    private static long serverThreadsAllocated() {
        com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long self = Thread.currentThread().getId();
        long total = 0;
        for (long id : threads.getAllThreadIds()) {
            if (id != self) {
                long bytes = threads.getThreadAllocatedBytes(id);
                total += Math.max(0, bytes);
            }
        }
        return total;
    }

    /** Sends POSTs one after the other on one keep-alive connection and reads each answer whole. */
    private static final class Client {
        private final OutputStream out;
        private final InputStream in;
        private final byte[] plain;
        private final byte[] limited;

        Client(Socket socket) throws IOException {
            this.out = socket.getOutputStream();
            this.in = new BufferedInputStream(socket.getInputStream());
            this.plain = request(false);
            this.limited = request(true);
        }

        private static byte[] request(boolean fault) {
            byte[] body = Stubs.BODY.getBytes(StandardCharsets.UTF_8);
            String head = "POST " + Stubs.PATH + " HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                    + "Authorization: " + Stubs.AUTHORIZATION + "\r\nUser-Agent: llmfault-bench/probe\r\n"
                    + (fault ? Stubs.FAULT_HEADER + ": " + Stubs.FAULT_VALUE + "\r\n" : "")
                    + "Content-Length: " + body.length + "\r\n\r\n";
            byte[] h = head.getBytes(StandardCharsets.US_ASCII);
            byte[] all = new byte[h.length + body.length];
            System.arraycopy(h, 0, all, 0, h.length);
            System.arraycopy(body, 0, all, h.length, body.length);
            return all;
        }

        void send(int count, boolean fault) throws IOException {
            byte[] req = fault ? limited : plain;
            for (int i = 0; i < count; i++) {
                out.write(req);
                out.flush();
                readAnswer();
            }
        }

        private void readAnswer() throws IOException {
            LoopbackHttp.readBody(in);
        }
    }
}
