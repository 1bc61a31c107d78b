package dev.llmfault.server.testing;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.http.HttpVersion;
import org.eclipse.jetty.http.MetaData;
import org.eclipse.jetty.http2.hpack.HpackEncoder;
import org.eclipse.jetty.http2.hpack.HpackException;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A bare cleartext HTTP/2 client with prior knowledge, what the AWS SDK's async clients speak to an
 * {@code http://} endpoint: one connection, one request at a time, and how each answer ended on the wire
 * (its END_STREAM, a RST_STREAM, a GOAWAY or the connection's end), which a real client hides.
 *
 * <pre>{@code
 * try (H2cConnection h2 = H2cConnection.open(server.port())) {
 *     H2cConnection.Received r = h2.exchange("POST", "/v1/chat/completions", headers, body);
 *     assertThat(r.end()).isEqualTo(H2cConnection.End.END_STREAM);
 * }
 * }</pre>
 */
public final class H2cConnection implements AutoCloseable {
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final int DATA = 0x0, HEADERS = 0x1, RST_STREAM = 0x3, SETTINGS = 0x4, GOAWAY = 0x7;
    private static final int END_STREAM = 0x1, ACK = 0x1, END_HEADERS = 0x4;
    private static final byte CANCEL = 0x8;

    /** How an answer ended. */
    public enum End { END_STREAM, RST_STREAM, GOAWAY, CONNECTION_CLOSED }

    /** The answer's DATA as text, and how it ended. */
    public record Received(String data, End end) {
    }

    private final int port;
    private final Socket socket;
    private final OutputStream out;
    private final DataInputStream in;
    private final HpackEncoder hpack = new HpackEncoder();
    private int nextStream = 1;

    private H2cConnection(int port) throws IOException {
        this.port = port;
        this.socket = new Socket("127.0.0.1", port);
        socket.setSoTimeout(10_000);
        this.out = socket.getOutputStream();
        this.in = new DataInputStream(socket.getInputStream());
        out.write(PREFACE);
        frame(SETTINGS, 0, 0, new byte[0]);
        out.flush();
    }

    public static H2cConnection open(int port) {
        try {
            return new H2cConnection(port);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Sends a request on the next stream and reads until that stream ends, however it ends. */
    public Received exchange(String method, String path, Map<String, String> headers, String body) {
        return exchange(method, path, headers, body, Integer.MAX_VALUE);
    }

    /**
     * Sends a request on the next stream, reads {@code dataFrames} DATA frames of its answer, then resets the
     * stream (RST_STREAM CANCEL), as a client that gives up on a stream without closing its connection.
     */
    public Received exchangeThenReset(String method, String path, Map<String, String> headers, String body,
                                      int dataFrames) {
        return exchange(method, path, headers, body, dataFrames);
    }

    private Received exchange(String method, String path, Map<String, String> headers, String body, int resetAfter) {
        int stream = nextStream;
        nextStream += 2;
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        HttpFields.Mutable fields = HttpFields.build();
        headers.forEach((name, value) -> fields.add(name.toLowerCase(Locale.ROOT), value));
        fields.add("content-length", String.valueOf(payload.length));
        ByteBuffer block = ByteBuffer.allocate(16_384);
        try {
            hpack.encode(block, new MetaData.Request(method, HttpURI.from("http://127.0.0.1:" + port + path),
                    HttpVersion.HTTP_2, fields));
        } catch (HpackException e) {
            throw new IllegalArgumentException(e);
        }
        block.flip();
        byte[] headerBlock = new byte[block.remaining()];
        block.get(headerBlock);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int dataFrames = 0;
        try {
            frame(HEADERS, END_HEADERS | (payload.length == 0 ? END_STREAM : 0), stream, headerBlock);
            if (payload.length > 0) {
                frame(DATA, END_STREAM, stream, payload);
            }
            out.flush();
            while (true) {
                byte[] head = new byte[9];
                in.readFully(head);
                byte[] frame = new byte[((head[0] & 0xff) << 16) | ((head[1] & 0xff) << 8) | (head[2] & 0xff)];
                in.readFully(frame);
                int type = head[3];
                int flags = head[4];
                int id = ((head[5] & 0x7f) << 24) | ((head[6] & 0xff) << 16) | ((head[7] & 0xff) << 8) | (head[8] & 0xff);
                if (type == SETTINGS && (flags & ACK) == 0) {
                    frame(SETTINGS, ACK, 0, new byte[0]);
                    out.flush();
                } else if (type == GOAWAY) {
                    return new Received(data.toString(StandardCharsets.UTF_8), End.GOAWAY);
                } else if (id == stream && type == RST_STREAM) {
                    return new Received(data.toString(StandardCharsets.UTF_8), End.RST_STREAM);
                } else if (id == stream && (type == DATA || type == HEADERS)) {
                    if (type == DATA) {
                        data.write(frame);
                        if (++dataFrames == resetAfter) {
                            frame(RST_STREAM, 0, stream, new byte[]{0, 0, 0, CANCEL});
                            out.flush();
                            return new Received(data.toString(StandardCharsets.UTF_8), End.RST_STREAM);
                        }
                    }
                    if ((flags & END_STREAM) != 0) {
                        return new Received(data.toString(StandardCharsets.UTF_8), End.END_STREAM);
                    }
                }
            }
        } catch (EOFException | SocketException closed) {
            return new Received(data.toString(StandardCharsets.UTF_8), End.CONNECTION_CLOSED);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void frame(int type, int flags, int stream, byte[] payload) throws IOException {
        int n = payload.length;
        out.write(new byte[]{(byte) (n >> 16), (byte) (n >> 8), (byte) n, (byte) type, (byte) flags,
                (byte) (stream >> 24), (byte) (stream >> 16), (byte) (stream >> 8), (byte) stream});
        out.write(payload);
    }

    @Override
    public void close() {
        try {
            socket.close();
        } catch (IOException ignored) {
            // closing
        }
    }
}
