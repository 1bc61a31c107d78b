package dev.llmfault.server.internal.http;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.server.HTTP2CServerConnectionFactory;
import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * The server's one port, speaking HTTP/1.1 and cleartext HTTP/2 with prior knowledge side by side: the AWS
 * SDK's async clients (Netty) open an {@code http://} endpoint with the HTTP/2 preface straight away, every
 * other client speaks HTTP/1.1.
 *
 * <p>An HTTP/1.1 request asking to switch ({@code Upgrade: h2c}, which the JDK HttpClient sends on every
 * plain-HTTP request) is answered in HTTP/1.1 as before: the upgrade is declined, so clients that worked on
 * HTTP/1.1 keep the exact wire they had (chunked streams, cuts and resets of one connection per answer).
 *
 * <pre>{@code
 * config.jetty.addConnector((server, http) -> H2cConnector.create(server, http, "127.0.0.1", 0));
 * }</pre>
 */
final class H2cConnector {
    /**
     * Connections the kernel may hold for us before they are accepted. Java's default (50) drops the SYNs of a
     * burst beyond it: a test or load run that opens hundreds of connections at once then waits 1, 3, 7 s for
     * the client's SYN retransmits, which looks like late answers (500 slow answers of 5 s arrived up to 8 s
     * late). The kernel caps it at {@code net.core.somaxconn} (4096 on current Linux).
     */
    static final int ACCEPT_QUEUE = 4096;

    private H2cConnector() {
    }

    static ServerConnector create(Server server, HttpConfiguration http, String host, int port) {
        ServerConnector connector = new ServerConnector(server, new HttpConnectionFactory(http),
                new PriorKnowledgeOnly(http));
        connector.setHost(host);
        connector.setPort(port);
        connector.setAcceptQueueSize(ACCEPT_QUEUE);
        return connector;
    }

    /** h2c for the HTTP/2 connection preface ({@code PRI * HTTP/2.0}) only, never for {@code Upgrade: h2c}. */
    private static final class PriorKnowledgeOnly extends HTTP2CServerConnectionFactory {
        PriorKnowledgeOnly(HttpConfiguration http) {
            super(http);
        }

        @Override
        public Connection upgradeConnection(Connector connector, EndPoint endPoint, MetaData.Request request,
                                            HttpFields.Mutable response101) {
            // null declines: Jetty then answers the request in HTTP/1.1
            return "PRI".equals(request.getMethod())
                    ? super.upgradeConnection(connector, endPoint, request, response101) : null;
        }
    }
}
