package dev.llmfault.server.internal.cli;

import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.internal.http.ServerRuntime;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * The run that makes the launcher's class-data-sharing archive: it starts a server on a free port, sends
 * it what a test suite sends first (a plain and a streamed chat call per provider, refusals, an injected
 * fault, the admin calls), stops it and returns, so that the JVM (started with
 * {@code -XX:ArchiveClassesAtExit}) archives every class a first request needs. The next starts map those
 * classes from the archive instead of loading, verifying and linking them from the jar.
 *
 * <pre>{@code
 * java -XX:ArchiveClassesAtExit=llmfault.jsa -jar llmfault-server.jar --train-class-data
 * java -XX:SharedArchiveFile=llmfault.jsa -jar llmfault-server.jar --port 8089
 * }</pre>
 */
final class ClassDataTraining {
    private static final String[][] CALLS = {
            // path, extra headers, body
            {"/v1/chat/completions", "Authorization: Bearer sk-train-0123456789abcdef\r\n",
                    "{\"model\":\"gpt-4o-mini\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}"},
            {"/v1/messages", "x-api-key: sk-ant-train-0123456789abcdef\r\nanthropic-version: 2023-06-01\r\n",
                    "{\"model\":\"claude-sonnet-4-5\",\"max_tokens\":64,\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}"},
            {"/v2/chat", "Authorization: Bearer co-train-0123456789abcdefghijklmnopqrst\r\n",
                    "{\"model\":\"command-r-plus\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}"},
            {"/api/paas/v4/chat/completions", "Authorization: Bearer 0123456789abcdef0123456789abcdef.Secret0123\r\n",
                    "{\"model\":\"glm-4-flash\",\"messages\":[{\"role\":\"user\",\"content\":\"hi\"}]%s}"},
    };

    private ClassDataTraining() {
    }

    static void run() {
        ServerRuntime server = ServerRuntime.start(ServerSettings.defaults());
        try {
            int port = server.port();
            for (String[] call : CALLS) {
                send(port, "POST", call[0], call[1], String.format(call[2], ""));
                send(port, "POST", call[0], call[1], String.format(call[2], ",\"stream\":true"));
                send(port, "POST", call[0], "", String.format(call[2], "")); // no credential
                send(port, "POST", call[0], call[1], "{not json");
            }
            send(port, "GET", "/v1/models", CALLS[0][1], null);
            send(port, "GET", "/v1/unknown", CALLS[0][1], null);
            send(port, "GET", "/__admin/health", "", null);
            send(port, "POST", "/__admin/scenarios", "", "{\"fault\":\"RATE_LIMITED\",\"times\":1}");
            send(port, "POST", CALLS[0][0], CALLS[0][1], String.format(CALLS[0][2], ""));
            send(port, "POST", "/__admin/scenarios", "", "{\"fault\":\"STREAM_INTERRUPTED\",\"times\":1}");
            send(port, "POST", CALLS[0][0], CALLS[0][1], String.format(CALLS[0][2], ",\"stream\":true"));
            send(port, "GET", "/__admin/requests?apiKey=sk-train-0123456789abcdef", "", null);
            send(port, "GET", "/__admin/stats", "", null);
            send(port, "POST", "/__admin/reset", "", "");
        } finally {
            server.close();
        }
    }

    /** One request on its own connection, read to the end; a cut answer (an injected fault) is fine. */
    private static void send(int port, String method, String path, String headers, String body) {
        byte[] payload = body == null ? new byte[0] : body.getBytes(StandardCharsets.UTF_8);
        String head = method + " " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n" + headers
                + (body == null ? "" : "Content-Type: application/json\r\nContent-Length: " + payload.length + "\r\n")
                + "Connection: close\r\n\r\n";
        try (Socket socket = new Socket()) {
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(payload);
            out.flush();
            InputStream in = socket.getInputStream();
            in.readAllBytes();
        } catch (java.net.SocketException cut) {
            // an injected cut or reset: what it was sent for
        } catch (IOException e) {
            throw new UncheckedIOException("class-data training: " + method + " " + path + ": " + e.getMessage(), e);
        }
    }
}
