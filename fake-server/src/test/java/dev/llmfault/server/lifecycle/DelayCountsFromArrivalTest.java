package dev.llmfault.server.lifecycle;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Calls;
import org.junit.jupiter.api.Test;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A delay counts from when the client finished sending, not from when the server got round to the request (a
 * burst of requests queues for the pool, which a test cannot stage exactly): a client's read timeout starts at
 * its last byte, so a 2 s {@code SLOW_RESPONSE} answers 2 s after it, even when the body came 1.2 s after the
 * headers (see also {@code SlowBodiesTest}). The journal's time is the request's arrival: its first byte.
 */
class DelayCountsFromArrivalTest {
    private static final long DELAY_MS = 2_000;
    /** The stimulus, not a synchronisation: a client that is slow to send its body. */
    private static final long BODY_LATE_MS = 1_200;

    @Test
    void aSlowResponseAnswersItsDelayAfterTheLastByteAndIsJournaledAtItsFirst() throws Exception {
        try (FakeLlmServer server = FakeLlmServer.builder()
                .scenario(Scenario.builder(Fault.SLOW_RESPONSE).delayMs(DELAY_MS).build())
                .start();
             Socket s = new Socket("127.0.0.1", server.port())) {
            byte[] body = Calls.body(Provider.OPENAI, false).toString().getBytes(StandardCharsets.UTF_8);
            StringBuilder head = new StringBuilder("POST " + Calls.chatPath(Provider.OPENAI) + " HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            for (Map.Entry<String, String> h : Calls.headers(Provider.OPENAI).entrySet()) {
                head.append(h.getKey()).append(": ").append(h.getValue()).append("\r\n");
            }
            head.append("Content-Length: ").append(body.length).append("\r\n\r\n");
            s.setSoTimeout(30_000);
            OutputStream out = s.getOutputStream();
            InputStream in = s.getInputStream();

            Instant before = Instant.now();
            long sent = System.nanoTime();
            out.write(head.toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(BODY_LATE_MS));
            long bodySent = System.nanoTime();
            out.write(body);
            out.flush();
            int first = in.read();
            long answeredMs = (System.nanoTime() - bodySent) / 1_000_000;

            assertThat(first).as("the answer's first byte").isEqualTo('H');
            assertThat(answeredMs).as("ms from the last byte sent to the answer (%d ms after the first)",
                            (System.nanoTime() - sent) / 1_000_000)
                    .isGreaterThanOrEqualTo(DELAY_MS) // counted from the headers, it would be 800 ms
                    .isLessThan(DELAY_MS + BODY_LATE_MS);
            JournalEntry entry = server.journal().entries().get(0);
            assertThat(entry.time()).as("journaled arrival").isBetween(before, before.plusMillis(BODY_LATE_MS));
        }
    }
}
