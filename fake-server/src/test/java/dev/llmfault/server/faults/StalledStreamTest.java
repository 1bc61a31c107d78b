package dev.llmfault.server.faults;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.RawHttp;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * STREAM_STALLED as a client sees it: the first {@code afterChunks} pieces of text (or, on a plain call, the
 * headers), then nothing while the connection stays open: only a read timeout ends the wait. The server journals
 * the request when the client gives up, or cuts the connection once the scenario's {@code delayMs} has passed.
 */
class StalledStreamTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.replyText("one two three four five six"));
    private static final int READ_TIMEOUT_MS = 400;

    /** What a client with a read timeout got before it gave up (then it closed the connection). */
    private static RawHttp.Received readUntilTimeout(Provider p, boolean stream) {
        return RawHttp.exchange(server.get().port(), "POST", Calls.chatPath(p, stream), Calls.headers(p),
                Calls.body(p, stream).toString(), READ_TIMEOUT_MS);
    }

    private static JournalEntry stalledEntry() {
        return server.get().journal().awaitRequests(JournalQuery.all().fault(Fault.STREAM_STALLED), 1, Duration.ofSeconds(5))
                .get(0);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aStalledStreamSendsTheFirstPiecesThenNothingUntilTheClientGivesUp(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_STALLED).provider(p).afterChunks(2).build());

        long start = System.nanoTime();
        RawHttp.Received r = readUntilTimeout(p, true);

        assertThat(Duration.ofNanos(System.nanoTime() - start)).as("only the read timeout ended the wait")
                .isGreaterThanOrEqualTo(Duration.ofMillis(READ_TIMEOUT_MS));
        assertThat(r.statusLine()).startsWith("HTTP/1.1 200");
        assertThat(r.complete()).isFalse();
        assertThat(r.body()).doesNotContain(ProviderFixture.of(p).terminalMarker());
        assertThat(ProviderFixture.of(p).streamText(r.body())).containsExactly("one ", "two ");
        JournalEntry e = stalledEntry(); // journaled when the client closed the connection
        assertThat(e.status()).isEqualTo(200);
        assertThat(e.faultReason()).contains("client closed the connection after");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aStalledPlainAnswerSendsItsHeadersAndNeverItsBody(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_STALLED).provider(p).times(1).build());

        RawHttp.Received r = readUntilTimeout(p, false);

        assertThat(r.statusLine()).startsWith("HTTP/1.1 200");
        assertThat(r.headers()).containsKey("content-length");
        assertThat(r.body()).as("the headers, not one byte of the body").isEmpty();
        assertThat(r.complete()).isFalse();
        assertThat(stalledEntry().faultReason()).contains("client closed the connection after");
        assertThat(Calls.chat(server.get(), p, false).status()).as("times 1: the next call is answered").isEqualTo(200);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aStallWithADelayEndsInACutAfterIt(Provider p) {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_STALLED).provider(p).afterChunks(1).delayMs(200).build());
        long start = System.nanoTime();

        RawHttp.Received r = RawHttp.exchange(server.get().port(), "POST", Calls.chatPath(p, true), Calls.headers(p),
                Calls.body(p, true).toString());

        assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(Duration.ofMillis(200));
        assertThat(r.complete()).as("cut, not ended").isFalse();
        assertThat(ProviderFixture.of(p).streamText(r.body())).isEqualTo(List.of("one "));
        assertThat(stalledEntry().status()).isEqualTo(200);
    }
}
