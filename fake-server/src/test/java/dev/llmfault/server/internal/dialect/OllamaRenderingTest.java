package dev.llmfault.server.internal.dialect;

import static dev.llmfault.server.internal.dialect.Rendered.TIME;
import static dev.llmfault.server.internal.dialect.Rendered.WEATHER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Ollama /api/chat: message.tool_calls with object arguments, whole calls in one NDJSON line, done_reason. */
class OllamaRenderingTest {
    private final Dialect dialect = new OllamaDialect();
    private final ChatCall plainCall = Rendered.call(dialect, "/api/chat", false);
    private final ChatCall streamCall = Rendered.call(dialect, "/api/chat", true);

    @Test
    void aPlainAnswerCarriesItsToolCallsWithObjectArgumentsAndStopsWithStop() {
        JsonNode body = Rendered.plain(dialect, plainCall, Rendered.twoCalls());

        assertThat(body.path("done").asBoolean()).isTrue();
        assertThat(body.path("done_reason").asText()).isEqualTo("stop");
        JsonNode message = body.path("message");
        assertThat(message.path("content").asText()).isEqualTo("Let me check.");
        JsonNode calls = message.path("tool_calls");
        assertThat(calls).hasSize(2);
        assertThat(calls.get(0).path("id").asText()).matches("call_[a-z0-9]{8}");
        assertThat(calls.get(0).path("function").path("index").asInt()).isZero();
        assertThat(calls.get(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(calls.get(0).path("function").path("arguments")).isEqualTo(WEATHER);
        assertThat(calls.get(1).path("function").path("index").asInt()).isEqualTo(1);
        assertThat(calls.get(1).path("function").path("arguments")).isEqualTo(TIME);
    }

    @Test
    void theIdTheReplyGaveIsKept() {
        JsonNode calls = Rendered.plain(dialect, plainCall, Rendered.oneCall("call_mine")).path("message").path("tool_calls");

        assertThat(calls.get(0).path("id").asText()).isEqualTo("call_mine");
    }

    @Test
    void aStreamSendsEachCallWholeInOneLineAfterTheTextThenTheDoneLine() {
        List<JsonNode> lines = Rendered.ndjson(Rendered.stream(dialect, streamCall, Rendered.twoCalls()));

        StringBuilder text = new StringBuilder();
        List<JsonNode> calls = new java.util.ArrayList<>();
        for (JsonNode line : lines.subList(0, lines.size() - 1)) {
            assertThat(line.path("done").asBoolean()).isFalse();
            text.append(line.path("message").path("content").asText());
            line.path("message").path("tool_calls").forEach(calls::add);
        }
        assertThat(text).hasToString("Let me check.");
        assertThat(calls).extracting(c -> c.path("function").path("name").asText()).containsExactly("get_weather", "get_time");
        assertThat(calls).extracting(c -> c.path("function").path("arguments")).containsExactly(WEATHER, TIME);
        assertThat(lines.stream().filter(l -> l.path("message").has("tool_calls")))
                .allMatch(l -> l.path("message").path("tool_calls").size() == 1);
        JsonNode last = lines.get(lines.size() - 1);
        assertThat(last.path("done").asBoolean()).isTrue();
        assertThat(last.path("done_reason").asText()).isEqualTo("stop");
    }

    @Test
    void generateHasNoToolsSoItsStreamCarriesNone() {
        ChatCall generate = Rendered.call(dialect, "/api/generate", true);

        List<JsonNode> lines = Rendered.ndjson(Rendered.stream(dialect, generate, Rendered.twoCalls()));

        assertThat(lines).noneMatch(l -> l.has("message"));
        assertThat(lines.stream().map(l -> l.path("response").asText()).reduce("", String::concat)).isEqualTo("Let me check.");
    }

    @ParameterizedTest
    @CsvSource({"STOP, stop", "LENGTH, length", "TOOL_CALLS, stop", "CONTENT_FILTER, stop"})
    void eachFinishHasItsDoneReasonPlainAndStreamed(Finish finish, String reason) {
        Answer answer = Answer.of("Cut here").withFinish(finish);

        assertThat(Rendered.plain(dialect, plainCall, answer).path("done_reason").asText()).isEqualTo(reason);
        List<JsonNode> lines = Rendered.ndjson(Rendered.stream(dialect, streamCall, answer));
        assertThat(lines.get(lines.size() - 1).path("done_reason").asText()).isEqualTo(reason);
    }
}
