package dev.llmfault.server.internal.http;

import io.javalin.http.Context;
import org.eclipse.jetty.ee10.servlet.ServletContextRequest;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

import java.io.IOException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;

/**
 * Cuts a connection the hard way: SO_LINGER 0 then close, so the kernel sends a TCP RST instead of a
 * clean FIN. A client sees "connection reset", mid-answer if bytes were already sent: exactly what a
 * crashed proxy or a dropped load balancer does.
 */
final class ConnectionAborter {
    private ConnectionAborter() {
    }

    static void reset(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        EndPoint endPoint = request.getConnectionMetaData().getConnection().getEndPoint();
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

    /**
     * Ends a started answer early with a clean close (FIN): everything already flushed reaches the client,
     * which then sees the body end before its last chunk or its Content-Length. A RST here would let the
     * client's kernel drop bytes it had received but not yet read, so the number of chunks a client got
     * would depend on timing.
     */
    static void cut(Context ctx) {
        ServletContextRequest request = ServletContextRequest.getServletContextRequest(ctx.req());
        request.getConnectionMetaData().getConnection().getEndPoint().close();
    }
}
