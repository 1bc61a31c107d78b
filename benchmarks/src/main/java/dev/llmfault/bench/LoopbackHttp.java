package dev.llmfault.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The smallest HTTP/1.1 client there is, for the cold-start probe: one POST on a fresh connection to
 * 127.0.0.1, returning the status. No client library, no thread pool, so the probe itself costs next to
 * nothing while it polls a server that is still starting.
 */
final class LoopbackHttp {
    private LoopbackHttp() {
    }

    /** The status of the answer; throws IOException while nothing listens yet. */
    static int post(int port, String path, String authorization, String body) throws IOException {
        byte[] payload = body.getBytes(StandardCharsets.UTF_8);
        String head = "POST " + path + " HTTP/1.1\r\n"
                + "Host: 127.0.0.1:" + port + "\r\n"
                + "Content-Type: application/json\r\n"
                + "Authorization: " + authorization + "\r\n"
                + "Content-Length: " + payload.length + "\r\n"
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 1_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            return readStatus(socket.getInputStream());
        }
    }

    private static int readStatus(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            line.append((char) c);
        }
        String[] parts = line.toString().split(" ");
        if (parts.length < 2 || !parts[0].startsWith("HTTP/")) {
            throw new IOException("not an HTTP answer: '" + line.toString().trim() + "'");
        }
        return Integer.parseInt(parts[1]);
    }

    /**
     * Reads one answer on a kept-alive connection (Content-Length or chunked) and returns its body. Give it a
     * buffered stream: the head is read byte by byte. A body of known length is read straight into its array
     * (a buffered stream reads large requests from the socket directly), not in 8 KB pieces that are copied again.
     */
    static byte[] readBody(InputStream in) throws IOException {
        String head = readHead(in);
        int length = -1;
        boolean chunked = false;
        for (String l : head.split("\r\n")) {
            String lower = l.toLowerCase(java.util.Locale.ROOT);
            if (lower.startsWith("content-length:")) {
                length = Integer.parseInt(l.substring(15).trim());
            } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                chunked = true;
            }
        }
        if (!chunked) {
            byte[] body = new byte[length];
            if (in.readNBytes(body, 0, length) < length) {
                throw new IOException("connection closed in the body");
            }
            return body;
        }
        java.io.ByteArrayOutputStream body = new java.io.ByteArrayOutputStream();
        while (true) {
            StringBuilder size = new StringBuilder();
            int c;
            while ((c = in.read()) != '\n') {
                if (c < 0) {
                    throw new IOException("connection closed in a chunk");
                }
                size.append((char) c);
            }
            int n = Integer.parseInt(size.toString().trim().split(";")[0], 16);
            if (n == 0) {
                in.readNBytes(2);
                return body.toByteArray();
            }
            body.write(in.readNBytes(n));
            in.readNBytes(2);
        }
    }

    /** The status line and headers up to the blank line, which is not included. */
    private static String readHead(InputStream in) throws IOException {
        byte[] head = new byte[512];
        int n = 0;
        while (n < 4 || head[n - 1] != '\n' || head[n - 2] != '\r' || head[n - 3] != '\n' || head[n - 4] != '\r') {
            int c = in.read();
            if (c < 0) {
                throw new IOException("connection closed");
            }
            if (n == head.length) {
                head = java.util.Arrays.copyOf(head, n * 2);
            }
            head[n++] = (byte) c;
        }
        return new String(head, 0, n - 4, StandardCharsets.ISO_8859_1);
    }
}
