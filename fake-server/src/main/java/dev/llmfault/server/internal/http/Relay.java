package dev.llmfault.server.internal.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.internal.dialect.Dialect;
import dev.llmfault.server.internal.proxy.Fixture;
import dev.llmfault.server.internal.proxy.FrameSplitter;
import dev.llmfault.server.internal.proxy.ProxyMode;
import dev.llmfault.server.internal.proxy.ReplayIndex;
import dev.llmfault.server.internal.proxy.Upstream;
import dev.llmfault.server.internal.proxy.UpstreamClient;
import io.javalin.http.Context;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Answers a request with an answer the fake model did not write: a recorded fixture (replay mode) or the
 * upstream's own answer (proxy mode), passed on unchanged, a stream frame by frame as it arrives. Faults act
 * on it as on a local answer: a delay before it, a cut after N content deltas, the provider's error frame in
 * place of the rest. A forwarded exchange that no fault touched is recorded as a fixture when recording.
 *
 * <pre>{@code
 * new Relay(ctx, dialect, exchange, mode, rawBody, body).answer(Relay.Plan.NONE, responder);
 * }</pre>
 */
final class Relay {
    /** Larger plain answers are refused rather than held in memory. */
    static final int MAX_PLAIN_BODY = 64 * 1024 * 1024;

    /**
     * What a fault does to the relayed answer.
     *
     * @param delayMs        wait before forwarding (SLOW_RESPONSE)
     * @param cutAfterDeltas end the stream after this many content deltas, -1 never
     * @param errorFrame     the provider's error frame written at the cut instead of cutting the connection, or null
     */
    record Plan(long delayMs, int cutAfterDeltas, Supplier<byte[]> errorFrame) {
        static final Plan NONE = new Plan(0, -1, null);

        boolean touches() {
            return delayMs > 0 || cutAfterDeltas >= 0;
        }
    }

    private final Context ctx;
    private final Dialect dialect;
    private final Exchange exchange;
    private final ProxyMode mode;
    private final byte[] rawBody;
    private final JsonNode body;

    Relay(Context ctx, Dialect dialect, Exchange exchange, ProxyMode mode, byte[] rawBody, JsonNode body) {
        this.ctx = ctx;
        this.dialect = dialect;
        this.exchange = exchange;
        this.mode = mode;
        this.rawBody = rawBody == null ? new byte[0] : rawBody;
        this.body = body;
    }

    /**
     * Answers from a fixture or the upstream. Returns false when neither answers and the fake model should
     * (lenient replay with no match and no upstream).
     */
    boolean answer(Plan plan, Responder responder) throws IOException {
        IncomingView in = new IncomingView(exchange.request.method(), exchange.request.path());
        ReplayIndex replay = mode.replay();
        Optional<ReplayIndex.Named> hit = replay == null ? Optional.empty()
                : replay.match(dialect.provider(), in.method, in.path, body);
        Optional<Upstream> upstream = mode.upstream(dialect.provider());
        sleep(plan.delayMs());
        if (hit.isPresent()) {
            exchange.origin = JournalEntry.Origin.REPLAY;
            Fixture.Answer a = hit.get().fixture().response();
            exchange.faultReason = exchange.faultReason == null ? "replay " + hit.get().file() : exchange.faultReason;
            write(a.status(), a.headers(), new Recorded(a, mode.config().replaySpeed()), plan, null);
            return true;
        }
        if (upstream.isEmpty()) {
            if (!mode.config().replayStrict()) {
                return false;
            }
            responder.replayMiss(replay.explain(dialect.provider(), in.method, in.path, body).describe());
            return true;
        }
        UpstreamClient.UpstreamAnswer a;
        try {
            a = mode.client().send(upstream.get().target(exchange.request.path(), exchange.request.query()),
                    in.method, forwardedHeaders(upstream.get()), rawBody);
        } catch (UpstreamClient.UpstreamFailure failure) {
            responder.upstreamFailed(failure.getMessage());
            return true;
        }
        exchange.origin = JournalEntry.Origin.UPSTREAM;
        exchange.upstreamLatency = Duration.ofNanos(a.latencyNanos());
        Recording recording = mode.recorder() != null && !plan.touches() ? new Recording(a) : null;
        write(a.status(), a.headers(), new Live(a.body()), plan, recording);
        return true;
    }

    private record IncomingView(String method, String path) {
    }

    /** The client's headers, with the configured upstream key in place of the client's credential when one is set. */
    private Map<String, String> forwardedHeaders(Upstream upstream) {
        Map<String, String> headers = new HashMap<>(exchange.request.headers());
        if (upstream.keyEnv() != null) {
            String key = System.getenv(upstream.keyEnv());
            String sent = dialect.credential(exchange.request);
            if (key != null && sent != null && !sent.isEmpty()) {
                headers.replaceAll((name, value) -> value.replace(sent, key));
            }
        }
        return headers;
    }

    // ---- writing ----

    /** Where the answer's bytes come from: the upstream as they arrive, or a fixture with its timing. */
    private interface Source {
        /** The next piece, or null at the end; may block (upstream) or wait (replay timing). */
        byte[] next() throws IOException;

        void close();
    }

    private void write(int status, Map<String, String> headers, Source source, Plan plan, Recording recording) throws IOException {
        HttpServletResponse res = ctx.res();
        exchange.status = status;
        res.setStatus(status);
        String contentType = null;
        String encoding = null;
        for (Map.Entry<String, String> h : headers.entrySet()) {
            String name = h.getKey().toLowerCase(Locale.ROOT);
            if (name.equals("content-length") || name.equals("transfer-encoding") || name.equals("connection")) {
                continue;
            }
            if (name.equals("content-type")) contentType = h.getValue();
            if (name.equals("content-encoding")) encoding = h.getValue();
            res.setHeader(h.getKey(), h.getValue());
        }
        boolean encoded = encoding != null && !encoding.equalsIgnoreCase("identity");
        FrameSplitter.Framing framing = encoded ? FrameSplitter.Framing.NONE : FrameSplitter.framing(contentType);
        try {
            if (framing == FrameSplitter.Framing.NONE) {
                plain(res, source, plan, recording, headers.get("content-length"));
            } else {
                stream(res, source, FrameSplitter.of(framing), plan, recording);
            }
        } catch (ClientCut alreadyCut) {
            // the client's connection ended the way the upstream's did: nothing more to answer
        } finally {
            source.close();
        }
    }

    private void plain(HttpServletResponse res, Source source, Plan plan, Recording recording, String declaredLength)
            throws IOException {
        java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
        try {
            for (byte[] piece = source.next(); piece != null; piece = source.next()) {
                all.write(piece);
                if (all.size() > MAX_PLAIN_BODY) {
                    throw new IOException("upstream answer larger than " + MAX_PLAIN_BODY + " bytes");
                }
            }
        } catch (IOException upstreamCut) {
            // The upstream broke off its answer: pass the break on as it was, the length it promised and the
            // bytes it sent, so the client fails the way it would have failed without the proxy.
            exchange.faultReason = exchange.faultReason != null ? exchange.faultReason : "upstream: answer cut short";
            if (declaredLength != null && declaredLength.matches("\\d{1,18}")) {
                res.setContentLengthLong(Long.parseLong(declaredLength));
            }
            exchange.record(res);
            ServletOutputStream out = res.getOutputStream();
            out.write(all.toByteArray());
            out.flush();
            ConnectionAborter.cut(ctx);
            return;
        }
        byte[] bytes = all.toByteArray();
        res.setContentLength(bytes.length);
        exchange.record(res);
        ServletOutputStream out = res.getOutputStream();
        if (plan.cutAfterDeltas() >= 0) {
            // A plain answer promised in full by Content-Length, cut in the middle, as for a local one.
            out.write(bytes, 0, bytes.length / 2);
            out.flush();
            ConnectionAborter.cut(ctx);
            return;
        }
        out.write(bytes);
        if (recording != null) {
            recording.plain(bytes);
        }
    }

    private void stream(HttpServletResponse res, Source source, FrameSplitter splitter, Plan plan, Recording recording)
            throws IOException {
        ServletOutputStream out = res.getOutputStream();
        out.flush(); // the headers now, as the upstream sent them
        exchange.record(res); // journaled at the headers: the client may hold its answer before the stream ends
        int deltas = 0;
        for (byte[] piece = nextOrCut(source); piece != null; piece = nextOrCut(source)) {
            if (recording != null) {
                recording.chunk(piece);
            }
            for (byte[] frame : splitter.feed(piece, piece.length)) {
                out.write(frame);
                out.flush();
                if (dialect.isContentDelta(frame) && ++deltas == plan.cutAfterDeltas()) {
                    if (plan.errorFrame() != null) {
                        out.write(plan.errorFrame().get());
                        out.flush();
                    } else {
                        ConnectionAborter.cut(ctx);
                    }
                    return;
                }
            }
        }
        byte[] rest = splitter.rest();
        if (rest.length > 0) {
            out.write(rest);
        }
        out.flush();
        if (recording != null) {
            recording.end();
        }
    }

    /**
     * Waits on the request thread. Unlike local answers (scheduled on the server's timer), a relayed answer holds
     * its thread anyway while it reads the upstream with blocking I/O, so its waits (a SLOW_RESPONSE before
     * forwarding, a replay's recorded timing) do too: proxy and replay modes are for real traffic at real rates,
     * not for thousands of held answers. An interrupt (the server stopping) ends the wait at once.
     */
    static void sleep(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The next piece; when the upstream breaks off its stream, the client's connection is cut the same way. */
    private byte[] nextOrCut(Source source) throws IOException {
        try {
            return source.next();
        } catch (IOException upstreamCut) {
            exchange.faultReason = exchange.faultReason != null ? exchange.faultReason : "upstream: stream cut short";
            ConnectionAborter.cut(ctx);
            throw new ClientCut();
        }
    }

    /** The relayed answer ended with a cut connection: nothing more to write. */
    static final class ClientCut extends IOException {
        ClientCut() {
            super("the upstream cut its stream; the client's connection was cut the same way", null);
        }
    }

    /** The upstream's body as it arrives. */
    private static final class Live implements Source {
        private final InputStream in;
        private final byte[] buffer = new byte[8192];

        Live(InputStream in) {
            this.in = in;
        }

        @Override
        public byte[] next() throws IOException {
            int n = in.read(buffer);
            if (n < 0) {
                return null;
            }
            byte[] piece = new byte[n];
            System.arraycopy(buffer, 0, piece, 0, n);
            return piece;
        }

        @Override
        public void close() {
            try {
                in.close(); // also ends an upstream stream that a fault cut short
            } catch (IOException ignored) {
                // nothing more to read
            }
        }
    }

    /** A fixture's body, or its chunks at their recorded times scaled by the replay speed. */
    private static final class Recorded implements Source {
        private final Fixture.Answer answer;
        private final double speed;
        private int next;
        private long lastAtMs;

        Recorded(Fixture.Answer answer, double speed) {
            this.answer = answer;
            this.speed = speed;
        }

        @Override
        public byte[] next() {
            if (!answer.isStream()) {
                return next++ == 0 && answer.body().length > 0 ? answer.body() : null;
            }
            if (next >= answer.chunks().size()) {
                return null;
            }
            Fixture.Chunk c = answer.chunks().get(next++);
            sleep(Math.round((c.atMs() - lastAtMs) * speed));
            lastAtMs = c.atMs();
            return c.bytes();
        }

        @Override
        public void close() {
        }
    }

    /** Collects a forwarded exchange and writes it as a fixture once it ended whole. */
    private final class Recording {
        private final UpstreamClient.UpstreamAnswer answer;
        private final long headersAt = System.nanoTime();
        private final List<Fixture.Chunk> chunks = new ArrayList<>();

        Recording(UpstreamClient.UpstreamAnswer answer) {
            this.answer = answer;
        }

        void chunk(byte[] bytes) {
            chunks.add(new Fixture.Chunk((System.nanoTime() - headersAt) / 1_000_000, bytes));
        }

        void plain(byte[] bytes) {
            save(bytes, List.of());
        }

        void end() {
            save(new byte[0], chunks);
        }

        private void save(byte[] plainBody, List<Fixture.Chunk> streamChunks) {
            var scrub = mode.scrubber();
            String secret = dialect.credential(exchange.request);
            String[] known = secret == null ? new String[0] : new String[] {secret};
            JsonNode requestBody = body == null ? com.fasterxml.jackson.databind.node.TextNode.valueOf("")
                    : dev.llmfault.server.internal.json.Json.tryParse(scrub.text(body.toString(), known))
                    .orElse(com.fasterxml.jackson.databind.node.TextNode.valueOf(""));
            List<Fixture.Chunk> scrubbedChunks = new ArrayList<>();
            for (Fixture.Chunk c : streamChunks) {
                scrubbedChunks.add(new Fixture.Chunk(c.atMs(), scrubBytes(scrub, c.bytes(), known)));
            }
            Fixture f = new Fixture(dialect.provider(), exchange.request.method(), exchange.request.path(),
                    scrub.query(exchange.request.query(), known), exchange.model, scrub.headers(exchange.request.headers(), known),
                    requestBody,
                    new Fixture.Answer(answer.status(), scrub.headers(answer.headers(), known), scrubBytes(scrub, plainBody, known),
                            scrubbedChunks, answer.latencyNanos() / 1_000_000),
                    Instant.now());
            mode.recorder().write(f);
        }
    }

    /** Text is scrubbed; bytes that are not UTF-8 text (binary event streams) are kept as they are. */
    private static byte[] scrubBytes(dev.llmfault.server.internal.proxy.Scrubber scrub, byte[] bytes, String[] known) {
        String text = new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        if (!java.util.Arrays.equals(text.getBytes(java.nio.charset.StandardCharsets.UTF_8), bytes)) {
            return bytes;
        }
        return scrub.text(text, known).getBytes(java.nio.charset.StandardCharsets.UTF_8);
    }
}
