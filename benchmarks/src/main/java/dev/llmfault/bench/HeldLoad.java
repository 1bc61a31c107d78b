package dev.llmfault.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Thousands of requests held open at once from one thread: one selector, one non-blocking connection per
 * request, every SSE {@code data:} frame time-stamped as it is read. Cheap enough on the client side that
 * the server's timing, not the client's, is what the figures show. Plus a health probe: one keep-alive
 * connection asking {@code GET /__admin/health} over and over while the load is held.
 */
final class HeldLoad {
    private static final byte[] DATA = "data:".getBytes(StandardCharsets.US_ASCII);

    /** What one held request saw: when it was sent, each frame's arrival, when it ended and how. */
    static final class Held {
        final long sentNanos;
        final long[] frames;
        int frameCount;
        long endNanos;
        /** When the first byte of the answer arrived (0: none). */
        long firstByteNanos;
        boolean complete;
        String status = "";
        String error;
        private int matched;
        private final StringBuilder head = new StringBuilder();
        private final ByteBuffer request;

        Held(byte[] request, int expectedFrames) {
            this.request = ByteBuffer.wrap(request);
            this.frames = new long[Math.max(expectedFrames, 0)];
            this.sentNanos = System.nanoTime();
        }

        /** Gaps between consecutive frames in ms. */
        List<Double> gapsMs() {
            List<Double> out = new ArrayList<>();
            for (int i = 1; i < frameCount; i++) {
                out.add((frames[i] - frames[i - 1]) / 1e6);
            }
            return out;
        }

        double durationMs() {
            return (endNanos - sentNanos) / 1e6;
        }
    }

    private HeldLoad() {
    }

    /**
     * Sends every request on its own connection at once and waits for all to end: a stream when it has
     * {@code expectedFrames} frames, a plain answer (sent with {@code Connection: close}) when the server
     * closes. Requests still open at the deadline are marked incomplete.
     */
    static List<Held> run(int port, List<byte[]> requests, int expectedFrames, Duration timeout) {
        List<Held> all = new ArrayList<>(requests.size());
        long deadline = System.nanoTime() + timeout.toNanos();
        ByteBuffer buf = ByteBuffer.allocateDirect(64 * 1024);
        byte[] bytes = new byte[64 * 1024];
        try (Selector selector = Selector.open()) {
            for (byte[] r : requests) {
                SocketChannel ch = SocketChannel.open();
                ch.configureBlocking(false);
                ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
                Held h = new Held(r, expectedFrames);
                all.add(h);
                ch.connect(new InetSocketAddress("127.0.0.1", port));
                ch.register(selector, SelectionKey.OP_CONNECT, h);
            }
            int open = all.size();
            while (open > 0 && System.nanoTime() < deadline) {
                selector.select(100);
                Iterator<SelectionKey> it = selector.selectedKeys().iterator();
                while (it.hasNext()) {
                    SelectionKey key = it.next();
                    it.remove();
                    Held h = (Held) key.attachment();
                    SocketChannel ch = (SocketChannel) key.channel();
                    try {
                        if (key.isConnectable()) {
                            ch.finishConnect();
                            key.interestOps(SelectionKey.OP_WRITE);
                        } else if (key.isWritable()) {
                            ch.write(h.request);
                            if (!h.request.hasRemaining()) {
                                key.interestOps(SelectionKey.OP_READ);
                            }
                        } else if (key.isReadable()) {
                            buf.clear();
                            int n = ch.read(buf);
                            long now = System.nanoTime();
                            if (n < 0) {
                                h.endNanos = now;
                                h.complete = expectedFrames <= 0 || h.frameCount >= expectedFrames;
                                if (!h.complete) {
                                    h.error = "closed after " + h.frameCount + " frames";
                                }
                                key.cancel();
                                ch.close();
                                open--;
                                continue;
                            }
                            if (h.firstByteNanos == 0) {
                                h.firstByteNanos = now;
                            }
                            buf.flip();
                            buf.get(bytes, 0, n);
                            if (read(h, bytes, n, now, expectedFrames)) {
                                h.endNanos = now;
                                h.complete = true;
                                key.cancel();
                                ch.close();
                                open--;
                            }
                        }
                    } catch (IOException e) {
                        h.endNanos = System.nanoTime();
                        h.error = e.getMessage();
                        key.cancel();
                        ch.close();
                        open--;
                    }
                }
            }
            for (SelectionKey key : selector.keys()) {
                Held h = (Held) key.attachment();
                if (h.endNanos == 0) {
                    h.error = "still open at the deadline after " + h.frameCount + " frames";
                }
                key.channel().close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all;
    }

    /** Counts the frames in what was read; true once a stream has all its frames. */
    private static boolean read(Held h, byte[] bytes, int n, long now, int expectedFrames) {
        int from = 0;
        if (h.status.isEmpty()) {
            for (; from < n; from++) {
                char c = (char) bytes[from];
                if (c == '\n') {
                    h.status = h.head.toString().trim();
                    from++;
                    break;
                }
                h.head.append(c);
            }
        }
        for (int i = from; i < n; i++) {
            if (bytes[i] == DATA[h.matched]) {
                if (++h.matched == DATA.length) {
                    h.matched = 0;
                    if (h.frameCount < h.frames.length) {
                        h.frames[h.frameCount] = now;
                    }
                    h.frameCount++;
                }
            } else {
                h.matched = bytes[i] == DATA[0] ? 1 : 0;
            }
        }
        return expectedFrames > 0 && h.frameCount >= expectedFrames;
    }

    /** Asks for health over one keep-alive connection until stopped; returns each answer's latency in ms. */
    static final class HealthProbe implements AutoCloseable {
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final List<Double> latenciesMs = new ArrayList<>();
        private final Thread thread;
        private volatile String failure;

        HealthProbe(int port, long everyMs) {
            thread = new Thread(() -> probe(port, everyMs), "health-probe");
            thread.setDaemon(true);
            thread.start();
        }

        private void probe(int port, long everyMs) {
            byte[] request = ("GET /__admin/health HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII);
            try (Socket s = new Socket()) {
                s.setTcpNoDelay(true);
                s.setSoTimeout(30_000);
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                OutputStream out = s.getOutputStream();
                InputStream in = new java.io.BufferedInputStream(s.getInputStream()); // not a system call per byte of the head
                while (running.get()) {
                    long t0 = System.nanoTime();
                    out.write(request);
                    out.flush();
                    LoopbackHttp.readBody(in);
                    double ms = (System.nanoTime() - t0) / 1e6;
                    synchronized (latenciesMs) {
                        latenciesMs.add(ms);
                    }
                    ServerProcess.pause(everyMs);
                }
            } catch (IOException e) {
                failure = e.toString();
            }
        }

        List<Double> stop() {
            running.set(false);
            try {
                thread.join(35_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                throw new IllegalStateException("health probe failed: " + failure);
            }
            synchronized (latenciesMs) {
                return new ArrayList<>(latenciesMs);
            }
        }

        @Override
        public void close() {
            running.set(false);
        }
    }

    /** The p-th percentile (0-100) of the values, nearest rank. */
    static double percentile(List<Double> values, double p) {
        if (values.isEmpty()) {
            return Double.NaN;
        }
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }
}
