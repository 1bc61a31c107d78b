package dev.llmfault.server.internal.http;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletChannel;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.EofException;
import org.eclipse.jetty.io.SocketChannelEndPoint;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Ends a connection under an unfinished answer, two ways:
 * <ul>
 * <li>{@link #reset}: SO_LINGER 0 then close, so the kernel sends a TCP RST: "connection reset", what a
 * crashed proxy does. Linux drops data the client had not read yet, so this is for answers with no bytes.</li>
 * <li>{@link #cut}: a plain close (FIN) in the middle of a chunked or Content-Length body: the client
 * reads every byte sent, then fails on the premature end, as with a dropped upstream mid-stream.</li>
 * </ul>
 *
 * <p>An asynchronous answer that ends early ({@link #abort}: a paced answer cut, reset or stopped) is aborted
 * through Jetty first ({@link ServletChannel#abort}, what Jetty does itself when a write fails): Jetty then ends it and recycles its request and response once, on its own schedule, and never
 * writes the last chunk. Then the connection is closed here, so the client sees the end at once (on HTTP/2 the
 * whole connection, as before). Closing the connection alone left the end of the exchange to a race: on HTTP/2,
 * Jetty's reader fails the stream as soon as the connection closes and recycles the exchange on another thread,
 * while the answer's thread completed Javalin's future, and Javalin, finding the response recycled, spun in its
 * error handler for ever. After this call nothing may touch the request or the response.
 *
 * <pre>{@code
 * exchange.record(ctx.res());      // journal first: the client that sees the cut must find its request
 * ConnectionAborter.cut(ctx);      // then nothing more on ctx
 * }</pre>
 */
final class ConnectionAborter {
    private ConnectionAborter() {
    }

    /**
     * Cuts the connection (FIN) under an answer whose thread then returns to Javalin, which ends the exchange
     * itself (its writes fail quietly on the closed connection).
     */
    static void cut(Context ctx) {
        close(ctx, false, false);
    }

    /** Resets the connection (RST) under an answer whose thread then returns to Javalin: see {@link #cut}. */
    static void reset(Context ctx) {
        close(ctx, true, false);
    }

    /**
     * Cuts (or resets) the connection under an asynchronous answer whose Javalin future will never be completed:
     * Jetty ends the exchange. Only for such an answer: aborting an exchange that Javalin goes on with (a handler
     * that returns, a future completed afterwards) makes Javalin fail on the recycled request and retry its
     * exception handler for ever on a pool thread.
     */
    static void abort(Context ctx, boolean reset) {
        close(ctx, reset, true);
    }

    private static void close(Context ctx, boolean reset, boolean throughJetty) {
        ServletChannel channel = ServletContextRequest.getServletContextRequest(ctx.req()).getServletChannel();
        // read before the abort, which may recycle the request on another thread
        EndPoint endPoint = channel.getRequest().getConnectionMetaData().getConnection().getEndPoint();
        if (reset && endPoint instanceof SocketChannelEndPoint socketEndPoint) {
            SocketChannel socket = socketEndPoint.getChannel();
            try {
                socket.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | UnsupportedOperationException ignored) {
                // the close below still ends the connection, with a FIN instead of a RST
            }
        }
        if (throughJetty) {
            channel.abort(new Aborted(reset ? "reset by a scenario" : "cut by a scenario"));
        }
        endPoint.close();
    }

    /**
     * Why Jetty ends an aborted exchange. With nothing of the answer sent yet (a reset, a client that left
     * during a delay) Jetty would then write an error answer on the closed connection through the server's
     * error handler, which {@link JsonErrorHandler} would journal as a second exchange: it skips this one.
     */
    static final class Aborted extends EofException {
        Aborted(String why) {
            super(why);
        }
    }
}
