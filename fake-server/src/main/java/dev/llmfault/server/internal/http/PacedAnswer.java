package dev.llmfault.server.internal.http;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.AbstractEndPoint;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;
import org.eclipse.jetty.util.Callback;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One answer written in timed steps without holding a thread: each step waits on the server's {@link Pacer}
 * then writes on its pool. An answer with no wait at all runs on the request thread, as before; one with a
 * wait becomes asynchronous (Javalin's {@code ctx.future}) from its first wait on.
 *
 * <p>While it waits, an HTTP/1.1 connection is watched: a client that closes it ends the answer at once (its
 * timer is cancelled, the connection closed) and the journal says so. A {@link #HOLD} step never fires: the
 * answer stalls until the client leaves or the server stops, which is how a stalled stream is said.
 *
 * <p>Who ends the exchange: an answer that completes hands it back to Javalin (its future completes, Javalin
 * completes the async request, Jetty writes the last chunk). Every other end (a cut, a reset, a client that
 * left, a server that stops) aborts it through Jetty ({@link ConnectionAborter}), which ends and recycles it
 * on its own, and Javalin's future is then never completed: Javalin would read a response Jetty may already
 * have recycled on another thread (an HTTP/2 connection's reader fails the stream as soon as the connection
 * closes), fail, and retry its error handler on the recycled response forever.
 *
 * <pre>{@code
 * PacedAnswer.play(ctx, pacer, exchange, List.of(
 *         new PacedAnswer.Step(0, () -> out.write(opening)),
 *         new PacedAnswer.Step(50, () -> out.write(frame))),
 *     PacedAnswer.Ending.COMPLETE);
 * }</pre>
 */
final class PacedAnswer {
    /** A wait that never ends by itself: the stream stalls until the client leaves or the server stops. */
    static final long HOLD = Long.MAX_VALUE;
    private static final CancellationException DONE_WATCHING = new CancellationException("the answer went on");

    /** Something to write; an IOException means the client is gone. */
    @FunctionalInterface
    interface Write {
        void run() throws IOException;
    }

    /** Writes after a delay ({@code 0}: at once; {@link #HOLD}: never). */
    record Step(long delayMs, Write write) {
    }

    /** How the answer ends once every step ran. */
    enum Ending {
        /** The response completes normally (Jetty writes the last chunk). */
        COMPLETE,
        /** The connection is closed under the unfinished answer (FIN): a cut stream. */
        CUT,
        /** The connection is reset (RST). */
        RESET
    }

    private final Context ctx;
    private final Pacer pacer;
    private final Exchange exchange;
    private final Iterator<Step> steps;
    private final Ending ending;
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final AtomicBoolean over = new AtomicBoolean();
    private volatile ScheduledFuture<?> next;
    /** The first wait counts from the request's arrival, the later ones from the write before them. */
    private boolean firstWaitDone;
    private EndPoint watched;
    /** True while the watcher's read interest is registered, so that {@link #unwatch} fails ours and no other. */
    private volatile boolean watching;

    private PacedAnswer(Context ctx, Pacer pacer, Exchange exchange, List<Step> steps, Ending ending) {
        this.ctx = ctx;
        this.pacer = pacer;
        this.exchange = exchange;
        this.steps = steps.iterator();
        this.ending = ending;
    }

    /** True when some step waits: then the answer must go asynchronous. */
    static boolean waits(List<Step> steps) {
        for (Step s : steps) {
            if (s.delayMs() > 0) {
                return true;
            }
        }
        return false;
    }

    /**
     * Plays the steps: on this thread when none waits, else asynchronously from the first wait on. The
     * exchange is then journaled by the answer itself (see {@link Exchange#deferred}), not by the pipeline.
     */
    static void play(Context ctx, Pacer pacer, Exchange exchange, List<Step> steps, Ending ending) throws IOException {
        if (!waits(steps)) {
            for (Step s : steps) {
                s.write().run();
            }
            if (ending != Ending.COMPLETE) {
                exchange.record(ctx.res()); // before the cut: the client that sees it must find its request
            }
            switch (ending) { // on this thread, which returns to Javalin: a plain cut
                case COMPLETE -> {
                }
                case CUT -> ConnectionAborter.cut(ctx);
                case RESET -> ConnectionAborter.reset(ctx);
            }
            return;
        }
        PacedAnswer answer = new PacedAnswer(ctx, pacer, exchange, steps, ending);
        exchange.deferred = true;
        pacer.started(answer);
        // before Javalin starts the async request, so this runs before the servlet layer ends the exchange
        ServletContextRequest.getServletContextRequest(ctx.req()).addFailureListener(answer::failedUnder);
        ctx.future(() -> {
            answer.advance();
            return answer.done;
        });
    }

    /** Runs the steps that do not wait, then schedules the next one that does (or ends). */
    private void advance() {
        try {
            while (steps.hasNext()) {
                if (over.get()) {
                    return;
                }
                Step step = steps.next();
                if (step.delayMs() > 0) {
                    watch();
                    if (step.delayMs() != HOLD) {
                        next = pacer.schedule(() -> run(step), firstWaitDone ? step.delayMs() : sinceArrival(step.delayMs()));
                        firstWaitDone = true;
                    }
                    if (over.get() && next != null) {
                        next.cancel(false); // the client left while this was being scheduled
                    }
                    return;
                }
                step.write().run();
            }
            finish();
        } catch (IOException | RuntimeException clientGone) {
            clientLeft();
        }
    }

    /**
     * The first wait, less the time the request already spent in the server (a burst of requests queues for
     * the pool): a 5 s delay is 5 s after the client sent its request, not after a thread got to it.
     */
    private long sinceArrival(long delayMs) {
        return Math.max(0, delayMs - exchange.elapsedMs());
    }

    private void run(Step step) {
        if (over.get()) {
            return;
        }
        try {
            step.write().run();
        } catch (IOException | RuntimeException clientGone) {
            clientLeft();
            return;
        }
        advance();
    }

    private void finish() {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        unwatch();
        exchange.record(ctx.res()); // normally done before the last write already
        pacer.ended(this);
        if (ending == Ending.COMPLETE) {
            done.complete(null); // Javalin ends the exchange
        } else {
            ConnectionAborter.abort(ctx, ending == Ending.RESET); // Jetty ends the exchange; Javalin's future stays as it is
        }
    }

    /** The client closed the connection (or a write failed): free the timer, journal it, end the answer. */
    private void clientLeft() {
        stop(() -> exchange.clientLeft(ctx.res()), true);
    }

    /**
     * Jetty failed the exchange under the answer (a client that reset its HTTP/2 stream or closed the
     * connection, an idle timeout) and ends it itself: the answer stops here, and its end, if it was about to
     * come, never completes Javalin's future. Without this an HTTP/2 stall would wait for the server to stop.
     */
    private void failedUnder(Throwable failure) {
        stop(() -> exchange.clientLeft(ctx.res()), false);
    }

    /** The server stops: end at once, as a cut (the graceful stop's grace is over, or the stop is immediate). */
    void abort() {
        stop(() -> exchange.record(ctx.res()), true);
    }

    /**
     * Ends the answer early: frees its timer, journals it, and unless Jetty is already ending the exchange
     * ({@code cut} false), cuts it (Jetty ends the exchange; Javalin's future stays as it is: see the class comment).
     */
    private void stop(Runnable journal, boolean cut) {
        if (!over.compareAndSet(false, true)) {
            return;
        }
        ScheduledFuture<?> pendingWrite = next;
        if (pendingWrite != null) {
            pendingWrite.cancel(false);
        }
        pacer.ended(this);
        try {
            journal.run();
            if (cut) {
                ConnectionAborter.abort(ctx, false);
            }
        } catch (IllegalStateException endedByJetty) {
            // Jetty had already ended and recycled the exchange (an HTTP/2 stream that failed under the answer):
            // journal what is known, without the response
            exchange.record(Map.of());
        }
    }

    private EndPoint endPoint() {
        return ServletContextRequest.getServletContextRequest(ctx.req()).getConnectionMetaData().getConnection().getEndPoint();
    }

    /**
     * Watches an HTTP/1.1 connection while the answer waits: Jetty does not read a connection whose request is
     * being answered, so it would not notice a client that left until the next write, which a stall never
     * makes. An HTTP/2 connection is not watched: Jetty reads it all the time (its read interest is Jetty's, and
     * failing it in {@link #unwatch} closed the connection under every delayed answer); a stream the client
     * resets fails the answer's next write.
     */
    private void watch() {
        if (watched != null || "HTTP/2.0".equals(ctx.req().getProtocol())) {
            return;
        }
        EndPoint ep = endPoint();
        watched = ep;
        interested(ep, new Callback() {
            @Override
            public void succeeded() {
                watching = false;
                readable(ep, this);
            }

            @Override
            public void failed(Throwable x) {
                watching = false;
                if (x != DONE_WATCHING) {
                    clientLeft(); // the connection failed or closed under the answer
                }
            }
        });
    }

    private void interested(EndPoint ep, Callback watcher) {
        watching = true;
        if (!ep.tryFillInterested(watcher)) {
            watching = false; // someone else reads this connection: leave it to them
        }
    }

    /**
     * Readable while answering: the client either left (end of stream) or sent its next request early. The
     * bytes are counted without being read, so an early request stays for Jetty to read after this answer.
     */
    private void readable(EndPoint ep, Callback watcher) {
        if (over.get()) {
            return;
        }
        try {
            if (ep instanceof SocketChannelEndPoint s && s.getChannel().socket().getInputStream().available() > 0) {
                return; // a pipelined request: leave it, and stop watching
            }
            int n = ep.fill(ByteBuffer.allocate(1).limit(0)); // an empty buffer in Jetty's flush mode: room for one byte
            if (n < 0) {
                clientLeft();
            } else if (n == 0) {
                interested(ep, watcher);
            } else {
                clientLeft(); // a byte was read and cannot be handed back: end this connection cleanly rather than lose it
            }
        } catch (IOException | RuntimeException gone) {
            clientLeft();
        }
    }

    private void unwatch() {
        if (watching && watched instanceof AbstractEndPoint ep) {
            ep.getFillInterest().onFail(DONE_WATCHING); // Jetty registers its own interest for the next request
        }
    }
}
