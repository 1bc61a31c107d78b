package dev.llmfault.server.internal.http;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
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
 */
final class ConnectionAborter {
    private ConnectionAborter() {
    }

    static void cut(Context ctx) {
        endPoint(ctx).close();
    }

    private static EndPoint endPoint(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        return request.getConnectionMetaData().getConnection().getEndPoint();
    }

    static void reset(Context ctx) {
        EndPoint endPoint = endPoint(ctx);
        if (endPoint instanceof SocketChannelEndPoint socketEndPoint) {
            SocketChannel channel = socketEndPoint.getChannel();
            try {
                channel.setOption(StandardSocketOptions.SO_LINGER, 0);
            } catch (IOException | UnsupportedOperationException ignored) {
                // the close below still ends the connection, with a FIN instead of a RST
            }
        }
        endPoint.close();
    }
}
