package dev.llmfault.server.internal.dialect;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.llmfault.server.Conversation;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class AnswerTest {

    @Test
    void aTextAnswerStreamsAsPiecesThatJoinBackToItsText() {
        Answer a = Answer.of("Hello from  the fake model");
        assertThat(a.finish()).isEqualTo(Finish.STOP);
        assertThat(a.deltas()).allMatch(d -> d instanceof Delta.Text);
        assertThat(a.deltas().stream().map(Delta::text).collect(Collectors.joining())).isEqualTo(a.text());
        assertThat(a.deltas()).hasSize(5);
    }

    @Test
    void aToolCallAnswerStreamsEachCallsStartThenArgumentPiecesThatJoinBackToItsJson() {
        var args = JsonNodeFactory.instance.objectNode().put("city", "Paris").put("unit", "celsius");
        var other = JsonNodeFactory.instance.objectNode().put("q", "x");
        Answer a = Answer.toolCalls("", List.of(new Conversation.ToolCall("call_1", "get_weather", args),
                new Conversation.ToolCall("call_2", "search", other)));
        assertThat(a.finish()).isEqualTo(Finish.TOOL_CALLS);
        assertThat(a.deltas().get(0)).isEqualTo(new Delta.ToolCallStart(0, "call_1", "get_weather"));
        String first = a.deltas().stream()
                .filter(d -> d instanceof Delta.ToolArguments t && t.index() == 0)
                .map(d -> ((Delta.ToolArguments) d).fragment()).collect(Collectors.joining());
        assertThat(first).isEqualTo("{\"city\":\"Paris\",\"unit\":\"celsius\"}");
        assertThat(a.deltas().stream().filter(d -> d instanceof Delta.ToolArguments t && t.index() == 0)).hasSizeGreaterThan(1);
        assertThat(a.deltas()).contains(new Delta.ToolCallStart(1, "call_2", "search"));
        assertThat(a.completionTokens()).isPositive();
    }
}
