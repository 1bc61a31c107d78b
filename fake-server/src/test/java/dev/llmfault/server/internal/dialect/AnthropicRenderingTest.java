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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

/** Anthropic Messages: tool_use blocks plain, content blocks with input_json_delta streamed, stop reasons. */
class AnthropicRenderingTest {
    private final Dialect dialect = new AnthropicDialect();
    private final ChatCall plainCall = Rendered.call(dialect, "/v1/messages", false);
    private final ChatCall streamCall = Rendered.call(dialect, "/v1/messages", true);

    @Test
    void aPlainAnswerHoldsItsTextThenATool_useBlockPerCall() {
        JsonNode body = Rendered.plain(dialect, plainCall, Rendered.twoCalls());

        assertThat(body.path("stop_reason").asText()).isEqualTo("tool_use");
        JsonNode content = body.path("content");
        assertThat(content).hasSize(3);
        assertThat(content.get(0).path("type").asText()).isEqualTo("text");
        assertThat(content.get(0).path("text").asText()).isEqualTo("Let me check.");
        for (int i = 1; i <= 2; i++) {
            assertThat(content.get(i).path("type").asText()).isEqualTo("tool_use");
            assertThat(content.get(i).path("id").asText()).matches("toolu_01[0-9A-Za-z]{22}");
            assertThat(content.get(i).path("caller").path("type").asText()).isEqualTo("direct");
        }
        assertThat(content.get(1).path("name").asText()).isEqualTo("get_weather");
        assertThat(content.get(1).path("input")).isEqualTo(WEATHER);
        assertThat(content.get(2).path("input")).isEqualTo(TIME);
        assertThat(content.get(1).path("id")).isNotEqualTo(content.get(2).path("id"));
    }

    @Test
    void anAnswerThatOnlyCallsAToolHasNoTextBlockAndKeepsTheIdTheReplyGave() {
        JsonNode content = Rendered.plain(dialect, plainCall, Rendered.oneCall("toolu_mine")).path("content");

        assertThat(content).hasSize(1);
        assertThat(content.get(0).path("id").asText()).isEqualTo("toolu_mine");
    }

    @Test
    void aStreamOpensABlockPerCallAndItsArgumentsJoinBackToTheInput() {
        List<Event> events = Rendered.sse(Rendered.stream(dialect, streamCall, Rendered.twoCalls()));

        assertThat(events).allMatch(e -> e.name().equals(e.data().path("type").asText()), "event name = data type");
        assertThat(Rendered.names(events)).startsWith("message_start", "content_block_start", "ping", "content_block_delta")
                .endsWith("content_block_stop", "message_delta", "message_stop");
        // each block starts, gets deltas and stops before the next one starts, indexes 0 (text), 1, 2
        List<String> lifecycle = new ArrayList<>();
        for (Event e : events) {
            if (e.name().startsWith("content_block_") && !e.name().equals("content_block_delta")) {
                lifecycle.add(e.name().substring("content_block_".length()) + " " + e.data().path("index").asInt());
            }
        }
        assertThat(lifecycle).containsExactly("start 0", "stop 0", "start 1", "stop 1", "start 2", "stop 2");
        assertThat(read(events)).containsExactly(new Call(null, "text", Rendered.text("Let me check.")),
                new Call("toolu", "get_weather", WEATHER), new Call("toolu", "get_time", TIME));
        assertThat(events.get(events.size() - 2).data().path("delta").path("stop_reason").asText()).isEqualTo("tool_use");
    }

    @Test
    void aStreamThatOnlyCallsAToolStartsWithTheTool_useBlockAtIndexZero() {
        List<Event> events = Rendered.sse(Rendered.stream(dialect, streamCall, Rendered.oneCall(null)));

        Event start = events.stream().filter(e -> e.name().equals("content_block_start")).findFirst().orElseThrow();
        assertThat(start.data().path("index").asInt()).isZero();
        assertThat(start.data().path("content_block").path("type").asText()).isEqualTo("tool_use");
        assertThat(start.data().path("content_block").path("input")).isEqualTo(Rendered.json("{}"));
        assertThat(events.stream().filter(e -> e.name().equals("content_block_start"))).hasSize(1);
        assertThat(read(events)).containsExactly(new Call("toolu", "get_weather", WEATHER));
    }

    @ParameterizedTest
    @CsvSource({"STOP, end_turn", "LENGTH, max_tokens", "TOOL_CALLS, tool_use", "CONTENT_FILTER, refusal"})
    void eachFinishHasItsStopReasonPlainAndStreamed(Finish finish, String stopReason) {
        Answer answer = Answer.of("Cut here").withFinish(finish);

        assertThat(Rendered.plain(dialect, plainCall, answer).path("stop_reason").asText()).isEqualTo(stopReason);
        List<Event> events = Rendered.sse(Rendered.stream(dialect, streamCall, answer));
        assertThat(events.get(events.size() - 2).data().path("delta").path("stop_reason").asText()).isEqualTo(stopReason);
    }

    /**
     * What anthropic-java's accumulator makes of a stream: per block index, a text (as a JSON string, named
     * "text") or a tool call (id prefix, name, its partial_json pieces joined and parsed).
     */
    private static List<Call> read(List<Event> events) {
        Map<Integer, String[]> blocks = new LinkedHashMap<>();
        for (Event e : events) {
            int index = e.data().path("index").asInt();
            if (e.name().equals("content_block_start")) {
                JsonNode b = e.data().path("content_block");
                blocks.put(index, b.path("type").asText().equals("tool_use")
                        ? new String[] {b.path("id").asText().substring(0, 5), b.path("name").asText(), ""}
                        : new String[] {null, "text", ""});
            } else if (e.name().equals("content_block_delta")) {
                JsonNode d = e.data().path("delta");
                String[] b = blocks.get(index);
                b[2] += d.path("type").asText().equals("input_json_delta") ? d.path("partial_json").asText() : d.path("text").asText();
            }
        }
        return blocks.values().stream().map(b -> new Call(b[0], b[1],
                b[0] == null ? Rendered.text(b[2])
                        : Rendered.json(b[2]))).toList();
    }
}
