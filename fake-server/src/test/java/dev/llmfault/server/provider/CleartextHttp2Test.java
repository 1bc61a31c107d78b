package dev.llmfault.server.provider;

import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one port speaks cleartext HTTP/2 to a client that opens with the HTTP/2 preface (the AWS SDK's async
 * clients do, on an {@code http://} endpoint), and stays HTTP/1.1 for everyone else, including the JDK
 * HttpClient's {@code Upgrade: h2c} offer, which is declined.
 */
class CleartextHttp2Test {
    /** The client connection preface of RFC 9113, then an empty SETTINGS frame. */
    private static final byte[] PREFACE = "PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] EMPTY_SETTINGS = {0, 0, 0, 0x04, 0, 0, 0, 0, 0};
    private static final int SETTINGS = 0x04;

    @RegisterExtension
    static final SharedServer server = new SharedServer();

    @Test
    void aClientWithPriorKnowledgeGetsTheServersHttp2Settings() throws IOException {
        URI url = server.get().url();
        try (Socket socket = new Socket(url.getHost(), url.getPort())) {
            socket.setSoTimeout(5_000);
            OutputStream out = socket.getOutputStream();
            out.write(PREFACE);
            out.write(EMPTY_SETTINGS);
            out.flush();

            DataInputStream in = new DataInputStream(socket.getInputStream());
            byte[] frameHeader = new byte[9];
            in.readFully(frameHeader);

            assertThat(frameHeader[3]).as("type of the server's first frame").isEqualTo((byte) SETTINGS);
            assertThat(frameHeader[5] | frameHeader[6] | frameHeader[7] | frameHeader[8]).as("stream id").isZero();
        }
    }

    @Test
    void anUpgradeOfferIsDeclinedSoHttp11ClientsKeepTheirWire() throws Exception {
        HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_2)
                .connectTimeout(Duration.ofSeconds(5)).build();
        HttpRequest request = HttpRequest.newBuilder(server.get().url().resolve("/v1/models"))
                .header("Authorization", "Bearer sk-test-h2c-0123456789abcdef").GET().build();

        HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());

        assertThat(response.version()).isEqualTo(HttpClient.Version.HTTP_1_1);
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(server.get().journal().entries()).singleElement()
                .satisfies(e -> assertThat(e.header("upgrade")).isEqualTo("h2c"));
    }
}
