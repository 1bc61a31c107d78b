package dev.llmfault.server.internal.http;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Request;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;

/**
 * Reads a request body without holding a thread while it arrives. A body that is already here (the common case:
 * a small JSON in the packets of its headers) is read at once on the request thread, with no asynchronous
 * machinery and one copy, as a blocking read would. Of a body still on its way, what has arrived is kept and the
 * thread goes back to the pool: Jetty calls back when more arrives (its demand API, which also sends the
 * {@code 100 Continue} a client may wait for), and the request goes on asynchronously (Javalin's
 * {@code ctx.future}) on the thread that received the last piece. Thousands of clients sending their bodies slowly
 * then hold no thread, where a blocking read held one each and filled the pool.
 *
 * <p>Works on Jetty's core request under the servlet one, so HTTP/1.1 and h2c alike; the servlet input stream is
 * never used. A body over {@code max} is not kept: it is read and thrown away up to {@code discardBound}, so
 * that the client, still sending, gets its answer rather than a connection closed under it.
 *
 * <pre>{@code
 * BodyReader.read(ctx, 1_000_000, 9_000_000, body -> {
 *     if (body.failure() == null && body.bytes() != null) parse(body.bytes());
 * });
 * }</pre>
 */
final class BodyReader {
    private static final byte[] EMPTY = new byte[0];
    /** The first array for a body of unknown length (chunked); it doubles as needed, up to the limit. */
    private static final int FIRST_CAPACITY = 1024;

    /**
     * What arrived.
     *
     * @param bytes    the whole body; null when it was larger than the limit, or did not arrive whole
     * @param received bytes received (kept or thrown away)
     * @param declared the declared length, -1 when none (chunked)
     * @param cutOff   a too-large body was thrown away up to the bound and the rest left unread: the connection
     *                 must close after the answer
     * @param failure  why the body did not arrive whole (the client closed the connection, or went idle past the
     *                 idle timeout), or null
     * @param awaited  the body was not all here when the request was taken in: it was awaited, and ended just now
     */
    record Body(byte[] bytes, long received, long declared, boolean cutOff, Throwable failure, boolean awaited) {
    }

    /** What to do with the body once it is all here (or cannot be). */
    @FunctionalInterface
    interface Then {
        void accept(Body body) throws IOException;
    }

    private final Request request;
    private final long max;
    private final long bound;
    private final long declared;
    /** The body so far; null once it is known to be too large. */
    private byte[] bytes;
    private long received;
    private boolean cutOff;
    private Throwable failure;
    // set when the body has to be awaited
    private Context ctx;
    private Then then;
    private CompletableFuture<Void> done;

    private BodyReader(Request request, long declared, long max, long bound) {
        this.request = request;
        this.max = Math.min(max, Integer.MAX_VALUE - 8); // the largest array Java makes
        this.bound = bound;
        this.declared = declared;
        if (declared > this.max) {
            bytes = null; // too large from the start: thrown away as it comes
        } else if (declared >= 0) {
            bytes = declared == 0 ? EMPTY : new byte[(int) declared];
        } else {
            bytes = new byte[(int) Math.min(FIRST_CAPACITY, Math.max(this.max, 0))];
        }
    }

    /**
     * Reads the body of {@code ctx}'s request, then runs {@code then} with it: on this thread when it is all
     * here already, else later on the thread that receives its end, {@code ctx} then being asynchronous.
     *
     * @param max          the largest body kept
     * @param discardBound how much of a larger body is read and thrown away before the rest is left unread
     */
    static void read(Context ctx, long max, long discardBound, Then then) throws IOException {
        BodyReader reader = new BodyReader(ServletContextRequest.getServletContextRequest(ctx.req()),
                ctx.req().getContentLengthLong(), max, discardBound);
        if (reader.readAvailable()) {
            then.accept(reader.body());
            return;
        }
        if (!ctx.req().getProtocol().startsWith("HTTP/1")) {
            // h2c (the AWS SDK's async clients): awaited on this thread, as before. Asynchronous, a cut of its
            // answer (the connection closed under it) reached the SDK as a clean end of stream, not a failure to
            // retry (BedrockRuntime*Test in samples). One connection carries all of that client's streams.
            reader.awaitBlocking();
            then.accept(reader.body());
            return;
        }
        reader.ctx = ctx;
        reader.then = then;
        reader.done = new CompletableFuture<>();
        // Demand only once Javalin has made the request asynchronous (it calls this supplier after startAsync):
        // the callback may run on another thread at once, and must not race the end of this handler.
        ctx.future(() -> {
            reader.request.demand(reader::onContent);
            return reader.done;
        });
    }

    /** Reads on this thread until the body has ended, waiting for each piece. */
    private void awaitBlocking() throws IOException {
        while (!readAvailable()) {
            CompletableFuture<Void> more = new CompletableFuture<>();
            request.demand(() -> more.complete(null));
            try {
                more.get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while reading the request body");
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IOException(e.getCause());
            }
        }
    }

    /** Jetty's callback: more of the body (or its end, or a failure) can be read. */
    private void onContent() {
        try {
            if (!readAvailable()) {
                request.demand(this::onContent);
                return;
            }
            then.accept(body());
        } catch (Throwable t) {
            done.completeExceptionally(t);
            return;
        }
        if (!recycled(ctx)) {
            done.complete(null);
        }
    }

    /**
     * True when Jetty already recycled the exchange (the client left and the connection was closed under it):
     * completing Javalin's future then makes it read the recycled response and retry its error handler forever
     * (PacedAnswer met it after a cut). The exchange is over: its future is left alone.
     */
    private static boolean recycled(Context ctx) {
        try {
            ctx.res().getStatus();
            return false;
        } catch (IllegalStateException recycled) {
            return true;
        }
    }

    /** Reads every chunk that is here; true when the body has ended (or failed, or is to be left unread). */
    private boolean readAvailable() {
        while (true) {
            Content.Chunk chunk = request.read();
            if (chunk == null) {
                return false;
            }
            if (Content.Chunk.isFailure(chunk)) {
                failure = chunk.getFailure(); // also a transient one (idle timeout): the client stopped sending
                return true;
            }
            boolean last = chunk.isLast();
            try {
                take(chunk.getByteBuffer());
            } finally {
                chunk.release(); // at once: a chunk kept holds Jetty's whole network buffer
            }
            if (last) {
                return true;
            }
            if (bytes == null && (received > bound || (received >= bound && declared > received))) {
                cutOff = true; // more is coming past the bound: leave it, the connection closes after the answer
                return true;
            }
        }
    }

    private void take(ByteBuffer buffer) {
        int n = buffer.remaining();
        long size = received;
        received += n;
        if (bytes == null || n == 0) {
            return;
        }
        if (received > max) {
            bytes = null; // too large: what comes now is only counted
            return;
        }
        if (received > bytes.length) {
            bytes = Arrays.copyOf(bytes, (int) Math.min(Math.max(received, 2L * bytes.length), max));
        }
        buffer.get(bytes, (int) size, n);
    }

    private Body body() {
        byte[] whole = bytes;
        if (failure != null) {
            whole = null;
        } else if (whole != null && whole.length != received) {
            whole = Arrays.copyOf(whole, (int) received); // a chunked body: its array has room to spare
        }
        return new Body(whole, received, declared, cutOff, failure, done != null);
    }
}
