package dev.llmfault.server.faults;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Envelopes;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.RawHttp;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Transport faults as a client sees them: a reset before any answer, a stream or a body cut mid-way
 * (an IO error, never a clean end), the provider's own error frame inside a 200 stream, a slow answer.
 */
class TransportFaultsTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.replyText("one two three four five six"));
    static final List<String> FIRST_PIECES = List.of("one ", "two ", "three ", "four ", "five ", "six");

    /** What a client received before the connection ended, and whether it ended with an IO error. */
    record Received(int status, String body, IOException failure) {
    }

    static Received receive(Provider p, boolean stream) {
        HttpRequest.Builder b = HttpRequest.newBuilder(Calls.chatUri(server.get(), p, stream)).timeout(Duration.ofSeconds(10))
                .POST(HttpRequest.BodyPublishers.ofString(Calls.body(p, stream).toString()));
        Calls.headers(p).forEach(b::header);
        try {
            HttpResponse<InputStream> r = Http.client().send(b.build(), HttpResponse.BodyHandlers.ofInputStream());
            ByteArrayOutputStream got = new ByteArrayOutputStream();
            IOException failure = null;
            try (InputStream in = r.body()) {
                byte[] buf = new byte[512];
                for (int n = in.read(buf); n >= 0; n = in.read(buf)) {
                    got.write(buf, 0, n);
                }
            } catch (IOException e) {
                failure = e;
            }
            return new Received(r.statusCode(), got.toString(StandardCharsets.UTF_8), failure);
        } catch (IOException e) {
            return new Received(0, "", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    static JournalEntry lastEntry() {
        return server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void connectionResetGivesAnIoErrorAndNoAnswer(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.CONNECTION_RESET).provider(p).times(1).build());

        assertThatThrownBy(() -> Calls.chat(server.get(), p, false)).isInstanceOf(UncheckedIOException.class);

        JournalEntry e = lastEntry();
        assertThat(e.fault()).isEqualTo(Fault.CONNECTION_RESET);
        assertThat(e.status()).isZero();
        assertThat(Calls.chat(server.get(), p, false).status()).as("the next request passes").isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void streamInterruptedCutsTheStreamAfterTheGivenChunks(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).provider(p).afterChunks(3).build());

        RawHttp.Received r = RawHttp.exchange(server.get().port(), "POST", Calls.chatPath(p, true), Calls.headers(p),
                Calls.body(p, true).toString());

        assertThat(r.statusLine()).startsWith("HTTP/1.1 200");
        assertThat(r.complete()).as("no terminating chunk: the stream is cut, not ended").isFalse();
        // afterChunks counts content deltas on every provider, whatever frames open the stream
        assertThat(ProviderFixture.of(p).streamText(r.body())).as("exactly the text pieces asked for")
                .containsExactly(FIRST_PIECES.subList(0, 3).toArray(String[]::new));
        assertThat(r.body()).doesNotContain(ProviderFixture.of(p).terminalMarker());
        assertThat(lastEntry().fault()).isEqualTo(Fault.STREAM_INTERRUPTED);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aCutStreamIsAnIoErrorForTheJdkClient(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).provider(p).afterChunks(3).build());

        Received r = receive(p, true);

        assertThat(r.status()).isEqualTo(200);
        assertThat(r.failure()).as("a cut stream is an IO error, never a clean end").isNotNull();
        assertThat(r.body()).doesNotContain(ProviderFixture.of(p).terminalMarker());
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void streamInterruptedOnAPlainAnswerDeliversLessThanTheContentLength(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_INTERRUPTED).provider(p).build());

        RawHttp.Received raw = RawHttp.exchange(server.get().port(), "POST", Calls.chatPath(p), Calls.headers(p),
                Calls.body(p, false).toString());
        Received jdk = receive(p, false);

        assertThat(raw.statusLine()).startsWith("HTTP/1.1 200");
        assertThat(raw.complete()).as("fewer bytes than the Content-Length promised").isFalse();
        assertThat(raw.body()).isNotEmpty();
        assertThat(raw.body().length()).isLessThan(Integer.parseInt(raw.headers().get("content-length")));
        assertThat(jdk.failure()).as("the JDK client sees an IO error").isNotNull();
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void streamErrorSendsTheProvidersErrorFrameInsideA200(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_ERROR).provider(p).afterChunks(2).build());

        Answer a = Calls.chat(server.get(), p, true);

        assertThat(a.status()).isEqualTo(200);
        ProviderFixture fixture = ProviderFixture.of(p);
        assertThat(fixture.streamText(a.body())).as("the text before the error: two content deltas on every provider")
                .containsExactly(FIRST_PIECES.subList(0, 2).toArray(String[]::new));
        fixture.assertEndsWithErrorFrame(a.body());
        assertThat(a.body()).doesNotContain(fixture.terminalMarker());
        assertThat(lastEntry().fault()).isEqualTo(Fault.STREAM_ERROR);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void streamErrorOnAPlainCallIsTheProvidersServerError(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_ERROR).provider(p).build());

        Answer a = Calls.chat(server.get(), p, false);

        assertThat(a.status()).isEqualTo(500);
        Envelopes.read(p, a);
        assertThat(lastEntry().fault()).isEqualTo(Fault.STREAM_ERROR);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void slowResponseOutlastsAShorterClientTimeoutThenAnswersNormally(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.SLOW_RESPONSE).provider(p).delayMs(1500).times(1).build());
        HttpRequest.Builder b = HttpRequest.newBuilder(Calls.chatUri(server.get(), p, false)).timeout(Duration.ofMillis(100))
                .POST(HttpRequest.BodyPublishers.ofString(Calls.body(p, false).toString()));
        Calls.headers(p).forEach(b::header);

        assertThatThrownBy(() -> Http.client().send(b.build(), HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(HttpTimeoutException.class);

        server.get().scenarios().clear();
        server.get().scenarios().add(Scenario.builder(Fault.SLOW_RESPONSE).provider(p).delayMs(1).build());
        Answer slowButFine = Calls.chat(server.get(), p, true);
        assertThat(slowButFine.status()).isEqualTo(200);
        assertThat(slowButFine.body()).contains("six");
    }
}
