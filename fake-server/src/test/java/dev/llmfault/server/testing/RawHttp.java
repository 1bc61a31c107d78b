package dev.llmfault.server.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * One HTTP/1.1 exchange over a plain socket, read synchronously to the last byte the server sent, as
 * OkHttp-based SDKs read: shows exactly where an answer was cut (the JDK client may drop buffered bytes
 * when the connection ends early). Handles Content-Length and chunked answers. Reads until the server
 * closes the connection, so it is only for answers the server cuts.
 */
public final class RawHttp {
    private RawHttp() {
    }

    /**
     * What arrived.
     *
     * @param complete true when the body ended properly: the last chunk of a chunked body, or all the
     *                 bytes its Content-Length promised
     */
    public record Received(String statusLine, Map<String, String> headers, String body, boolean complete) {
    }

    public static Received exchange(int port, String method, String path, Map<String, String> headers, String body) {
        return exchange(port, method, path, headers, body, 20_000);
    }

    /**
     * The same, giving up after {@code readTimeoutMs} without a byte, as a client with a read timeout: what
     * arrived until then (a stalled answer), then the connection is closed.
     */
    public static Received exchange(int port, String method, String path, Map<String, String> headers, String body,
                                    int readTimeoutMs) {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        StringBuilder head = new StringBuilder(method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        // keep-alive, as SDK clients: the answer is then chunked or sized, never ended by the close itself
        head.append("Content-Length: ").append(payload.length).append("\r\n\r\n");
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(readTimeoutMs);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            return read(socket.getInputStream());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static Received read(InputStream in) throws IOException {
        byte[] all = readToEnd(in);
        int headEnd = indexOf(all, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (headEnd < 0) {
            return new Received("", Map.of(), "", false);
        }
        String[] lines = new String(all, 0, headEnd, StandardCharsets.US_ASCII).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        int pos = headEnd + 4;
        java.nio.charset.Charset charset = Answer.charsetOf(headers.get("content-type"));
        if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
            ByteArrayOutputStream body = new ByteArrayOutputStream();
            while (true) {
                int lineEnd = indexOf(all, "\r\n".getBytes(StandardCharsets.US_ASCII), pos);
                if (lineEnd < 0) {
                    return new Received(lines[0], headers, body.toString(charset), false);
                }
                int size = Integer.parseInt(new String(all, pos, lineEnd - pos, StandardCharsets.US_ASCII).split(";")[0].trim(), 16);
                pos = lineEnd + 2;
                if (size == 0) {
                    return new Received(lines[0], headers, body.toString(charset), true);
                }
                int available = Math.min(size, all.length - pos);
                body.write(all, pos, available);
                if (available < size) {
                    return new Received(lines[0], headers, body.toString(charset), false);
                }
                pos += size + 2;
            }
        }
        int length = Integer.parseInt(headers.getOrDefault("content-length", "-1"));
        String body = new String(all, pos, all.length - pos, charset);
        return new Received(lines[0], headers, body, length < 0 || all.length - pos >= length);
    }

    /** Every byte until the server closes (an abort counts as the end too). */
    private static byte[] readToEnd(InputStream in) {
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try {
            for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                got.write(buf, 0, n);
            }
        } catch (IOException reset) {
            // what arrived before the reset is what the client has
        }
        return got.toByteArray();
    }

    private static int indexOf(byte[] data, byte[] pattern, int from) {
        outer:
        for (int i = from; i <= data.length - pattern.length; i++) {
            for (int j = 0; j < pattern.length; j++) {
                if (data[i + j] != pattern[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
