package dev.llmfault.server.testing;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpHeaders;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The load generator of the concurrency, soak and journal suites: one kept-alive HTTP/1.1 connection per
 * thread and server, read synchronously. Cheaper than the JDK client by far (so the suites measure the
 * server), and free of its rare pooled-connection failures under long heavy load ("header parser received
 * no bytes" once in about a million requests, while a million requests through these connections all got
 * their answer). A failed exchange closes the connection and fails the caller: it is never retried.
 */
public final class KeepAliveClient {
    private static final ThreadLocal<Map<Integer, Connection>> CONNECTIONS = ThreadLocal.withInitial(HashMap::new);

    private KeepAliveClient() {
    }

    /** Closes this thread's connections (a load thread calls it when it is done). */
    public static void closeThreadConnections() {
        CONNECTIONS.get().values().forEach(Connection::close);
        CONNECTIONS.remove();
    }

    /** A valid chat call of the provider, plain or streamed, on this thread's connection to the server. */
    public static Answer chat(FakeLlmServer server, Provider p, boolean stream) {
        return send(server, "POST", Calls.chatPath(p), Calls.headers(p), Calls.body(p, stream).toString());
    }

    public static Answer send(FakeLlmServer server, String method, String path, Map<String, String> headers, String body) {
        Map<Integer, Connection> mine = CONNECTIONS.get();
        Connection c = mine.get(server.port());
        try {
            if (c == null) {
                c = new Connection(server.port());
                mine.put(server.port(), c);
            }
            return c.exchange(method, path, headers, body);
        } catch (IOException e) {
            mine.remove(server.port());
            if (c != null) {
                c.close();
            }
            throw new UncheckedIOException(method + " " + path + " failed: " + e, e);
        }
    }

    private static final class Connection {
        private final Socket socket;
        private final InputStream in;
        private final OutputStream out;

        Connection(int port) throws IOException {
            socket = new Socket("127.0.0.1", port);
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(30_000);
            in = new BufferedInputStream(socket.getInputStream());
            out = socket.getOutputStream();
        }

        Answer exchange(String method, String path, Map<String, String> headers, String body) throws IOException {
            byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\nHost: 127.0.0.1:")
                    .append(socket.getPort()).append("\r\n");
            headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
            head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
            ByteArrayOutputStream request = new ByteArrayOutputStream(head.length() + payload.length);
            request.write(head.toString().getBytes(StandardCharsets.UTF_8));
            request.write(payload);
            out.write(request.toByteArray()); // one write: no Nagle stall between head and body
            out.flush();

            String status = line();
            Map<String, List<String>> responseHeaders = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
            for (String h = line(); !h.isEmpty(); h = line()) {
                int colon = h.indexOf(':');
                responseHeaders.put(h.substring(0, colon).trim().toLowerCase(Locale.ROOT), List.of(h.substring(colon + 1).trim()));
            }
            ByteArrayOutputStream content = new ByteArrayOutputStream();
            String length = first(responseHeaders, "content-length");
            if ("chunked".equalsIgnoreCase(first(responseHeaders, "transfer-encoding"))) {
                for (int size = chunkSize(); size > 0; size = chunkSize()) {
                    content.write(exactly(size));
                    line();
                }
                line();
            } else if (length != null && !method.equals("HEAD")) {
                content.write(exactly(Integer.parseInt(length)));
            }
            if ("close".equalsIgnoreCase(first(responseHeaders, "connection"))) {
                throw new IOException("the server closed the connection after answering " + status);
            }
            return new Answer(Integer.parseInt(status.substring(9, 12)), HttpHeaders.of(responseHeaders, (a, b) -> true),
                    content.toString(StandardCharsets.UTF_8));
        }

        private static String first(Map<String, List<String>> headers, String name) {
            List<String> v = headers.get(name);
            return v == null ? null : v.get(0);
        }

        private int chunkSize() throws IOException {
            return Integer.parseInt(line().split(";", 2)[0].trim(), 16);
        }

        private byte[] exactly(int n) throws IOException {
            byte[] b = in.readNBytes(n);
            if (b.length < n) {
                throw new EOFException("the answer ended after " + b.length + " of " + n + " bytes");
            }
            return b;
        }

        private String line() throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream(64);
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new EOFException("the connection closed " + (b.size() == 0 ? "before any byte of a line" : "mid-line"));
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.UTF_8);
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a broken connection
            }
        }
    }
}
