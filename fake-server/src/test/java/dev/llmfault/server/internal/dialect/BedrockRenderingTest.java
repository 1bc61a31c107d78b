package dev.llmfault.server.internal.dialect;

import static dev.llmfault.server.internal.dialect.Rendered.TIME;
import static dev.llmfault.server.internal.dialect.Rendered.WEATHER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.dialect.Rendered.Call;
import dev.llmfault.server.internal.dialect.Rendered.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Bedrock Converse and ConverseStream: toolUse blocks, contentBlockStart/Delta/Stop, stop reasons. */
class BedrockRenderingTest {
    private final Dialect dialect = new BedrockDialect();
    private final ChatCall plainCall = Rendered.call(dialect, "/model/{modelId}/converse", false);
    private final ChatCall streamCall = Rendered.call(dialect, "/model/{modelId}/converse-stream", true);

    @Test
    void aPlainAnswerHoldsItsTextThenAToolUseBlockPerCall() {
        JsonNode body = Rendered.plain(dialect, plainCall, Rendered.twoCalls());

        assertThat(body.path("stopReason").asText()).isEqualTo("tool_use");
        JsonNode content = body.path("output").path("message").path("content");
        assertThat(content).hasSize(3);
        assertThat(content.get(0).path("text").asText()).isEqualTo("Let me check.");
        JsonNode first = content.get(1).path("toolUse");
        assertThat(first.path("toolUseId").asText()).matches("tooluse_[0-9A-Za-z]{22}");
        assertThat(first.path("name").asText()).isEqualTo("get_weather");
        assertThat(first.path("input")).isEqualTo(WEATHER);
        assertThat(content.get(2).path("toolUse").path("input")).isEqualTo(TIME);
    }

    @Test
    void anAnswerThatOnlyCallsAToolHasNoTextBlockAndKeepsTheIdTheReplyGave() {
        JsonNode content = Rendered.plain(dialect, plainCall, Rendered.oneCall("tooluse_mine"))
                .path("output").path("message").path("content");

        assertThat(content).hasSize(1);
        assertThat(content.get(0).path("toolUse").path("toolUseId").asText()).isEqualTo("tooluse_mine");
    }

    @Test
    void aStreamStartsABlockPerCallWhoseInputPiecesJoinBackToTheArguments() {
        List<Event> events = Rendered.eventStream(Rendered.stream(dialect, streamCall, Rendered.twoCalls()));

        assertThat(Rendered.names(events)).startsWith("messageStart", "contentBlockDelta")
                .endsWith("contentBlockStop", "messageStop", "metadata");
        List<String> lifecycle = new ArrayList<>();
        for (Event e : events) {
            if (e.name().equals("contentBlockStart") || e.name().equals("contentBlockStop")) {
                lifecycle.add(e.name() + " " + e.data().path("contentBlockIndex").asInt());
            }
        }
        // text has no contentBlockStart on Bedrock; each tool block starts after the block before it stopped
        assertThat(lifecycle).containsExactly("contentBlockStop 0", "contentBlockStart 1", "contentBlockStop 1",
                "contentBlockStart 2", "contentBlockStop 2");
        assertThat(read(events)).containsExactly(new Call(null, "text", Rendered.text("Let me check.")),
                new Call("tooluse_", "get_weather", WEATHER), new Call("tooluse_", "get_time", TIME));
        assertThat(events.get(events.size() - 2).data().path("stopReason").asText()).isEqualTo("tool_use");
    }

    @Test
    void aStreamThatOnlyCallsAToolStartsItsBlockAtIndexZero() {
        List<Event> events = Rendered.eventStream(Rendered.stream(dialect, streamCall, Rendered.oneCall(null)));

        assertThat(Rendered.names(events)).startsWith("messageStart", "contentBlockStart", "contentBlockDelta");
        assertThat(events.get(1).data().path("contentBlockIndex").asInt()).isZero();
        assertThat(read(events)).containsExactly(new Call("tooluse_", "get_weather", WEATHER));
    }

    @ParameterizedTest
    @CsvSource({"STOP, end_turn", "LENGTH, max_tokens", "TOOL_CALLS, tool_use", "CONTENT_FILTER, content_filtered"})
    void eachFinishHasItsStopReasonPlainAndStreamed(Finish finish, String stopReason) {
        Answer answer = Answer.of("Cut here").withFinish(finish);

        assertThat(Rendered.plain(dialect, plainCall, answer).path("stopReason").asText()).isEqualTo(stopReason);
        List<Event> events = Rendered.eventStream(Rendered.stream(dialect, streamCall, answer));
        assertThat(events.get(events.size() - 2).data().path("stopReason").asText()).isEqualTo(stopReason);
    }

    /** What the SDK's ConverseStream handler sees: per block index, its text or its tool call with the input joined. */
    private static List<Call> read(List<Event> events) {
        Map<Integer, String[]> blocks = new LinkedHashMap<>();
        for (Event e : events) {
            int index = e.data().path("contentBlockIndex").asInt();
            if (e.name().equals("contentBlockStart")) {
                JsonNode t = e.data().path("start").path("toolUse");
                blocks.put(index, new String[] {t.path("toolUseId").asText().substring(0, 8), t.path("name").asText(), ""});
            } else if (e.name().equals("contentBlockDelta")) {
                JsonNode d = e.data().path("delta");
                String[] b = blocks.computeIfAbsent(index, i -> new String[] {null, "text", ""});
                b[2] += d.has("toolUse") ? d.path("toolUse").path("input").asText() : d.path("text").asText();
            }
        }
        return blocks.values().stream().map(b -> new Call(b[0], b[1], b[0] == null
                ? Rendered.text(b[2])
                : Rendered.json(b[2]))).toList();
    }
}
