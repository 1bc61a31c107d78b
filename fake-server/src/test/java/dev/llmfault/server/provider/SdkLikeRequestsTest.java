package dev.llmfault.server.provider;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A well-formed request from a real SDK is never rejected: every field the real API accepts (tools,
 * response formats, sampling parameters, metadata, unknown extra fields) and the JDK client's
 * {@code Upgrade: h2c} headers on plain HTTP.
 */
class SdkLikeRequestsTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer();

    /** A body as rich as the provider's SDK builds it, plus fields this server has never heard of. */
    static String richBody(Provider p, boolean stream) {
        return ProviderFixture.of(p).richBody(stream);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aRichRequestIsAcceptedPlainAndStreamed(Provider p) {
        Answer plain = Calls.chat(server.get(), p, Calls.headers(p), richBody(p, false));
        Answer stream = Http.send("POST", Calls.chatUri(server.get(), p, true), Calls.headers(p), richBody(p, true));

        assertThat(plain.status()).as(plain.body()).isEqualTo(200);
        assertThat(stream.status()).as(stream.body()).isEqualTo(200);
        assertThat(ProviderFixture.of(p).streamText(stream.body())).as("the streamed text").isNotEmpty();
        assertThat(server.get().journal().awaitRequests(2, Duration.ofSeconds(5)))
                .allSatisfy(e -> assertThat(e.fault()).isNull());
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void theJdkClientsH2cUpgradeHeadersAreTolerated(Provider p) {
        HttpRequest.Builder b = HttpRequest.newBuilder(Calls.chatUri(server.get(), p))
                .POST(HttpRequest.BodyPublishers.ofString(richBody(p, false)));
        Calls.headers(p).forEach(b::header);

        Answer a = Http.send(Http.h2cClient(), b.build());

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JournalEntry e = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(e.header("upgrade")).as("the JDK client really sent the upgrade").isEqualTo("h2c");
        assertThat(e.header("http2-settings")).isNotBlank();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void explicitUpgradeAndConnectionHeadersAreTolerated(Provider p) throws IOException {
        byte[] body = richBody(p, false).getBytes(StandardCharsets.UTF_8);
        Map<String, String> headers = new LinkedHashMap<>(Calls.headers(p));
        headers.put("Host", "127.0.0.1:" + server.get().port());
        headers.put("Connection", "Upgrade, HTTP2-Settings");
        headers.put("Upgrade", "h2c");
        headers.put("HTTP2-Settings", "AAEAAEAAAAIAAAAAAAMAAAAAAAQBAAAAAAUAAEAAAAYABgAA");
        headers.put("Content-Length", String.valueOf(body.length));
        StringBuilder head = new StringBuilder("POST " + Calls.chatPath(p) + " HTTP/1.1\r\n");
        headers.forEach((k, v) -> head.append(k).append(": ").append(v).append("\r\n"));
        head.append("\r\n");

        try (Socket socket = new Socket("127.0.0.1", server.get().port())) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            RawAnswer a = RawAnswer.read(socket.getInputStream());

            assertThat(a.statusLine()).as("answered in HTTP/1.1, the upgrade ignored").startsWith("HTTP/1.1 200");
            // a rich body asking for structured output gets the schema's document ({"text":"example"}) instead
            assertThat(a.body()).containsAnyOf("Hello from LLM Fault Kit", "example");
            assertThat(a.headers()).containsKey(dev.llmfault.server.testing.Envelopes.requestIdHeader(p));
        }
    }

    /** A minimal HTTP/1.1 answer reader for a Content-Length answer. */
    record RawAnswer(String statusLine, Map<String, String> headers, String body) {
        static RawAnswer read(InputStream in) throws IOException {
            String status = line(in);
            Map<String, String> headers = new LinkedHashMap<>();
            for (String l = line(in); !l.isEmpty(); l = line(in)) {
                int colon = l.indexOf(':');
                headers.put(l.substring(0, colon).trim().toLowerCase(Locale.ROOT), l.substring(colon + 1).trim());
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            String body = new String(in.readNBytes(length), StandardCharsets.UTF_8);
            return new RawAnswer(status, headers, body);
        }

        private static String line(InputStream in) throws IOException {
            ByteArrayOutputStream b = new ByteArrayOutputStream();
            for (int c = in.read(); c != '\n'; c = in.read()) {
                if (c < 0) {
                    throw new IOException("connection closed mid-answer: " + b);
                }
                if (c != '\r') {
                    b.write(c);
                }
            }
            return b.toString(StandardCharsets.US_ASCII);
        }
    }
}
