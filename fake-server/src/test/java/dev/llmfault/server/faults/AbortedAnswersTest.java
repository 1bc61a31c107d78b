package dev.llmfault.server.faults;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.internal.http.ServerRuntime;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.H2cConnection;
import dev.llmfault.server.testing.RawHttp;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Answers that end without completing (a cut, a reset, a client that left, a stall cut after its time) end
 * their exchange once, through Jetty: the request is counted out, the journal has it once (not a second time
 * as an error answer Jetty wrote on the closed connection), and no thread is left busy with it. On HTTP/2 a
 * cut closes the connection, which Jetty's reader notices at once: it ended the stream on its own thread
 * while the answer's thread completed Javalin's future, and Javalin, reading the recycled response, could spin
 * in its error handler for ever. A delayed answer over HTTP/2 that does complete keeps its connection.
 */
class AbortedAnswersTest {
    private static final Provider P = Provider.OPENAI;
    private static final String TEXT = "one two three four five six";

    private final Set<Thread> before = Set.copyOf(Thread.getAllStackTraces().keySet());
    private ServerRuntime server;

    private ServerRuntime start(Duration chunkDelay) {
        server = ServerRuntime.start(ServerSettings.builder().replyText(TEXT).chunkDelay(chunkDelay).build());
        return server;
    }

    @AfterEach
    void noThreadOfTheServerOutlivesIt() {
        server.close();
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> assertThat(Thread.getAllStackTraces().keySet())
                .filteredOn(t -> t.isAlive() && !before.contains(t) && t.getName().startsWith("llmfault-"))
                .as("threads of the stopped server").isEmpty());
    }

    private H2cConnection.Received h2Stream(H2cConnection h2) {
        return h2.exchange("POST", Calls.chatPath(P, true), Calls.headers(P), Calls.body(P, true).toString());
    }

    /** Every request counted out, and the journal holds exactly {@code n} exchanges. */
    private List<JournalEntry> everyExchangeEndedOnce(int n) {
        await().atMost(Duration.ofSeconds(10)).until(() -> server.requestsInFlight() == 0 && server.answersWaiting() == 0);
        return server.journal().awaitRequests(dev.llmfault.server.JournalQuery.all(), n, Duration.ofSeconds(5));
    }

    @Test
    void aDelayedStreamOverHttp2EndsWithItsLastFrameAndTheConnectionServesTheNextRequest() {
        start(Duration.ofMillis(5));

        try (H2cConnection h2 = H2cConnection.open(server.port())) {
            for (int i = 0; i < 2; i++) {
                H2cConnection.Received r = h2Stream(h2);

                assertThat(r.end()).as("answer %d", i + 1).isEqualTo(H2cConnection.End.END_STREAM);
                assertThat(r.data()).contains("six").endsWith("data: [DONE]\n\n");
            }
        }
        assertThat(everyExchangeEndedOnce(2)).hasSize(2);
    }

    @Test
    void cutsOverHttp2EndEachExchangeOnce() {
        start(Duration.ofMillis(1));
        int n = 40;
        for (int i = 0; i < n; i++) {
            // a cut after a paced chunk, and a stall cut once its time is over: both end on the answer's thread
            server.scenarios().add((i % 2 == 0 ? Scenario.builder(Fault.STREAM_INTERRUPTED).afterChunks(2)
                    : Scenario.builder(Fault.STREAM_STALLED).afterChunks(1).delayMs(1L)).provider(P).times(1).build());
            try (H2cConnection h2 = H2cConnection.open(server.port())) {
                H2cConnection.Received r = h2Stream(h2);

                assertThat(r.end()).as("cut %d", i + 1).isNotEqualTo(H2cConnection.End.END_STREAM);
                assertThat(r.data()).contains("one ").doesNotContain("[DONE]");
            }
        }
        List<JournalEntry> entries = everyExchangeEndedOnce(n);
        assertThat(entries).hasSize(n).extracting(JournalEntry::status).containsOnly(200);
        assertThat(server.journal().entries()).as("no second entry for any of them").hasSize(n);
    }

    @Test
    void aStallOverHttp2EndsWhenTheClientResetsItsStream() {
        start(Duration.ZERO);
        server.scenarios().add(Scenario.builder(Fault.STREAM_STALLED).afterChunks(1).provider(P).times(1).build());

        try (H2cConnection h2 = H2cConnection.open(server.port())) {
            H2cConnection.Received r = h2.exchangeThenReset("POST", Calls.chatPath(P, true), Calls.headers(P),
                    Calls.body(P, true).toString(), 1);
            assertThat(r.data()).contains("one ");

            // the client keeps its connection open: only Jetty's reader can tell the answer that the stream is gone
            assertThat(everyExchangeEndedOnce(1)).singleElement()
                    .satisfies(e -> assertThat(e.faultReason()).contains("client closed the connection"));
        }
    }

    @Test
    void aResetWithNothingSentIsJournaledOnce() {
        start(Duration.ZERO);
        server.scenarios().add(Scenario.builder(Fault.CONNECTION_RESET).provider(P).times(1).build());

        RawHttp.Received r = RawHttp.exchange(server.port(), "POST", Calls.chatPath(P), Calls.headers(P),
                Calls.body(P, false).toString());

        assertThat(r.statusLine()).as("nothing but the reset").isEmpty();
        assertThat(everyExchangeEndedOnce(1)).singleElement()
                .satisfies(e -> assertThat(e.fault()).isEqualTo(Fault.CONNECTION_RESET));
        assertThat(server.journal().entries()).as("no error answer journaled after the reset").hasSize(1);
    }

    @Test
    void aClientThatLeavesDuringADelayIsJournaledOnce() {
        start(Duration.ZERO);
        server.scenarios().add(Scenario.builder(Fault.SLOW_RESPONSE).delayMs(60_000L).provider(P).times(1).build());

        RawHttp.Received r = RawHttp.exchange(server.port(), "POST", Calls.chatPath(P), Calls.headers(P),
                Calls.body(P, false).toString(), 200);

        assertThat(r.statusLine()).as("gave up before the headers").isEmpty();
        assertThat(everyExchangeEndedOnce(1)).singleElement()
                .satisfies(e -> assertThat(e.faultReason()).contains("client closed the connection"));
        assertThat(server.journal().entries()).as("no error answer journaled after the client left").hasSize(1);
    }
}
