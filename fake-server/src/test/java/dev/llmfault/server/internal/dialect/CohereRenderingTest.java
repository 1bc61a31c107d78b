package dev.llmfault.server.internal.dialect;

import static dev.llmfault.server.internal.dialect.Rendered.TIME;
import static dev.llmfault.server.internal.dialect.Rendered.WEATHER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.dialect.Rendered.Event;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Cohere v2 chat: tool_plan and tool_calls, tool-plan/tool-call stream events, finish reasons. */
class CohereRenderingTest {
    private final Dialect dialect = new CohereDialect();
    private final ChatCall plainCall = Rendered.call(dialect, "/v2/chat", false);
    private final ChatCall streamCall = Rendered.call(dialect, "/v2/chat", true);

    @Test
    void aPlainAnswerPutsItsTextInTheToolPlanAndItsCallsWithJsonTextArguments() {
        JsonNode body = Rendered.plain(dialect, plainCall, Rendered.twoCalls());

        assertThat(body.path("finish_reason").asText()).isEqualTo("TOOL_CALL");
        JsonNode message = body.path("message");
        assertThat(message.has("content")).isFalse();
        assertThat(message.path("tool_plan").asText()).isEqualTo("Let me check.");
        JsonNode calls = message.path("tool_calls");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("id").asText()).matches("get_weather_[a-z0-9]{12}");
        assertThat(calls.get(0).path("type").asText()).isEqualTo("function");
        assertThat(calls.get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(Rendered.json(calls.get(0).path("function").path("arguments").asText())).isEqualTo(WEATHER);
        assertThat(Rendered.json(calls.get(1).path("function").path("arguments").asText())).isEqualTo(TIME);
    }

    @Test
    void theIdTheReplyGaveIsKept() {
        JsonNode calls = Rendered.plain(dialect, plainCall, Rendered.oneCall("mine")).path("message").path("tool_calls");

        assertThat(calls.get(0).path("id").asText()).isEqualTo("mine");
    }

    @Test
    void aStreamSendsThePlanThenStartDeltasAndEndPerCall() {
        List<Event> events = Rendered.sse(Rendered.stream(dialect, streamCall, Rendered.twoCalls()));

        assertThat(events).allMatch(e -> e.name().equals(e.data().path("type").asText()), "event name = data type");
        assertThat(Rendered.names(events)).doesNotContain("content-start", "content-delta", "content-end")
                .startsWith("message-start", "tool-plan-delta").endsWith("tool-call-end", "message-end");
        StringBuilder plan = new StringBuilder();
        Map<Integer, String[]> calls = new LinkedHashMap<>();
        List<String> lifecycle = new ArrayList<>();
        for (Event e : events) {
            JsonNode message = e.data().path("delta").path("message");
            int index = e.data().path("index").asInt();
            switch (e.name()) {
                case "tool-plan-delta" -> plan.append(message.path("tool_plan").asText());
                case "tool-call-start" -> {
                    lifecycle.add("start " + index);
                    JsonNode tc = message.path("tool_calls");
                    assertThat(tc.path("type").asText()).isEqualTo("function");
                    assertThat(tc.path("function").path("arguments").asText()).isEmpty();
                    calls.put(index, new String[] {tc.path("id").asText(), tc.path("function").path("name").asText(), ""});
                }
                case "tool-call-delta" -> calls.get(index)[2] += message.path("tool_calls").path("function").path("arguments").asText();
                case "tool-call-end" -> lifecycle.add("end " + index);
                default -> { }
            }
        }
        assertThat(plan).hasToString("Let me check.");
        assertThat(lifecycle).containsExactly("start 0", "end 0", "start 1", "end 1");
        assertThat(calls.values()).extracting(c -> c[1]).containsExactly("get_weather", "get_time");
        assertThat(calls.values()).extracting(c -> Rendered.json(c[2])).containsExactly(WEATHER, TIME);
        assertThat(events.get(events.size() - 1).data().path("delta").path("finish_reason").asText()).isEqualTo("TOOL_CALL");
    }

    @Test
    void aTextStreamKeepsItsContentEvents() {
        List<Event> events = Rendered.sse(Rendered.stream(dialect, streamCall, Answer.of("Hello there")));

        assertThat(Rendered.names(events)).containsExactly("message-start", "content-start", "content-delta",
                "content-delta", "content-end", "message-end");
    }

    @ParameterizedTest
    @CsvSource({"STOP, COMPLETE", "LENGTH, MAX_TOKENS", "TOOL_CALLS, TOOL_CALL", "CONTENT_FILTER, ERROR"})
    void eachFinishHasItsFinishReasonPlainAndStreamed(Finish finish, String reason) {
        Answer answer = Answer.of("Cut here").withFinish(finish);

        assertThat(Rendered.plain(dialect, plainCall, answer).path("finish_reason").asText()).isEqualTo(reason);
        List<Event> events = Rendered.sse(Rendered.stream(dialect, streamCall, answer));
        assertThat(events.get(events.size() - 1).data().path("delta").path("finish_reason").asText()).isEqualTo(reason);
    }
}
