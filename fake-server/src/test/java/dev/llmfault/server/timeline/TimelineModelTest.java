package dev.llmfault.server.timeline;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.timeline.TimelineModel.Lane;
import dev.llmfault.server.timeline.TimelineModel.Outcome;
import dev.llmfault.server.timeline.TimelineModel.Row;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The one timeline model: outcomes, lanes, wait bands and early retries, from server times only. */
class TimelineModelTest {
    private static final long MS = 1_000_000;

    static JournalEntry entry(long seq, long atMs, long tookMs, String path, String key, Fault fault, String scenario,
                              int status, Map<String, String> answerHeaders, boolean stream) {
        return new JournalEntry(seq, Instant.EPOCH, 1_000 * MS + atMs * MS, "POST", path, null, Map.of(), "",
                "127.0.0.1", path.endsWith("/token") ? null : Provider.OPENAI, "gpt-4o", stream, key + "***",
                key, fault, fault == null ? null : "why", scenario, status, answerHeaders, Duration.ofMillis(tookMs));
    }

    @Test
    void aRetryInsideTheWaitAskedForIsEarlyAndOneAfterItIsNot() {
        List<Row> rows = TimelineModel.of(List.of(
                entry(1, 0, 10, "/v1/chat/completions", "a", Fault.RATE_LIMITED, "s-1", 429, Map.of("retry-after-ms", "200"), false),
                entry(2, 50, 10, "/v1/chat/completions", "a", null, null, 200, Map.of(), false),
                entry(3, 60, 10, "/v1/chat/completions", "b", null, null, 200, Map.of(), false),
                entry(4, 400, 10, "/v1/chat/completions", "a", Fault.OVERLOADED, "s-2", 529, Map.of("retry-after", "1"), false),
                entry(5, 1500, 10, "/v1/chat/completions", "a", null, null, 200, Map.of(), false)), Set.of(2L)).rows();

        assertThat(rows.get(0).askedWait()).isEqualTo(Duration.ofMillis(200));
        assertThat(rows.get(0).waitEndNanos()).isEqualTo(210 * MS);
        assertThat(rows.get(1).earlyBy()).as("50 ms after arrival, 160 ms before the wait ran out").isEqualTo(Duration.ofMillis(160));
        assertThat(rows.get(1).marked()).isTrue();
        assertThat(rows.get(2).earlyBy()).as("another client's request is no retry").isNull();
        assertThat(rows.get(3).askedWait()).isEqualTo(Duration.ofSeconds(1));
        assertThat(rows.get(4).earlyBy()).as("1090 ms after the answer that asked for 1 s").isNull();
        assertThat(rows.get(4).startMillis()).isEqualTo(1500.0);
    }

    @Test
    void outcomesSeparateInjectedFaultsFromPolicyRefusalsAndTokenFetchesHaveTheirLane() {
        List<Row> rows = TimelineModel.of(List.of(
                entry(1, 0, 5, "/oauth/token", "c", null, null, 200, Map.of(), false),
                entry(2, 10, 5, "/v1/chat/completions", "t", Fault.EXPIRED_TOKEN, null, 401, Map.of(), false),
                entry(3, 20, 5, "/v1/chat/completions", "t", Fault.CONNECTION_RESET, "s-1", 0, Map.of(), false),
                entry(4, 30, 5, "/v1/chat/completions", "t", Fault.STREAM_INTERRUPTED, "s-2", 200, Map.of(), true)),
                Set.of()).rows();
        assertThat(rows).extracting(Row::lane).containsExactly(Lane.TOKEN, Lane.REQUEST, Lane.REQUEST, Lane.REQUEST);
        assertThat(rows).extracting(Row::outcome).containsExactly(Outcome.SUCCESS, Outcome.REFUSED,
                Outcome.INJECTED_TRANSPORT, Outcome.INJECTED_TRANSPORT);
        assertThat(rows).extracting(Row::answer).containsExactly("200", "401 EXPIRED_TOKEN",
                "no answer CONNECTION_RESET", "200 STREAM_INTERRUPTED");
        assertThat(rows.get(3).streamCut()).isTrue();
        String svg = TimelineSvg.draw(TimelineModel.of(rows.stream().map(Row::entry).toList(), Set.of()), "x", null);
        assertThat(svg).contains("token fetches").contains("200 STREAM_INTERRUPTED stream (cut)")
                .contains("class=\"cut\"").contains("no answer CONNECTION_RESET");
    }

    @Test
    void textIsEscapedInThePicture() {
        JournalEntry e = entry(1, 0, 5, "/v1/<script>", "k", null, null, 200, Map.of(), false);
        assertThat(TimelineSvg.draw(TimelineModel.of(List.of(e), Set.of()), "x", null))
                .doesNotContain("<script>").contains("/v1/&lt;script&gt;");
    }
}
