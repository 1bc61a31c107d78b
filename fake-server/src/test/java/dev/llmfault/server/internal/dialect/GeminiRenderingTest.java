package dev.llmfault.server.internal.dialect;

import static dev.llmfault.server.internal.dialect.Rendered.TIME;
import static dev.llmfault.server.internal.dialect.Rendered.WEATHER;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.internal.dialect.Rendered.Event;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Gemini generateContent: functionCall parts, whole calls in a stream, finish reasons. */
class GeminiRenderingTest {
    private final Dialect dialect = new GeminiDialect();
    private final ChatCall plainCall = Rendered.call(dialect, "/v1beta/models/{model}:generateContent", false);
    private final ChatCall streamCall = Rendered.call(dialect, "/v1beta/models/{model}:streamGenerateContent", true);

    @Test
    void aPlainAnswerHoldsItsTextThenAFunctionCallPartPerCallAndStopsWithSTOP() {
        JsonNode candidate = Rendered.plain(dialect, plainCall, Rendered.twoCalls()).path("candidates").get(0);

        assertThat(candidate.path("finishReason").asText()).isEqualTo("STOP");
        JsonNode parts = candidate.path("content").path("parts");
        assertThat(parts).hasSize(3);
        assertThat(parts.get(0).path("text").asText()).isEqualTo("Let me check.");
        assertThat(parts.get(1).path("functionCall").path("name").asText()).isEqualTo("get_weather");
        assertThat(parts.get(1).path("functionCall").path("args")).isEqualTo(WEATHER);
        assertThat(parts.get(1).path("functionCall").has("id")).as("the Developer API sends no call id").isFalse();
        assertThat(parts.get(2).path("functionCall").path("args")).isEqualTo(TIME);
    }

    @Test
    void anAnswerThatOnlyCallsAToolHasNoTextPartAndSendsTheIdTheReplyGave() {
        JsonNode parts = Rendered.plain(dialect, plainCall, Rendered.oneCall("fc-1"))
                .path("candidates").get(0).path("content").path("parts");

        assertThat(parts).hasSize(1);
        assertThat(parts.get(0).path("functionCall").path("id").asText()).isEqualTo("fc-1");
    }

    @Test
    void aStreamSendsEachCallWholeInOneChunkAfterTheText() {
        List<Event> chunks = Rendered.sse(Rendered.stream(dialect, streamCall, Rendered.twoCalls()));

        List<JsonNode> calls = new ArrayList<>();
        StringBuilder text = new StringBuilder();
        for (Event chunk : chunks.subList(0, chunks.size() - 1)) {
            JsonNode parts = chunk.data().path("candidates").get(0).path("content").path("parts");
            assertThat(parts).as("one part per chunk").hasSize(1);
            if (parts.get(0).has("functionCall")) {
                calls.add(parts.get(0).path("functionCall"));
            } else {
                assertThat(calls).as("text comes before the calls").isEmpty();
                text.append(parts.get(0).path("text").asText());
            }
        }
        assertThat(text).hasToString("Let me check.");
        assertThat(calls).extracting(c -> c.path("name").asText()).containsExactly("get_weather", "get_time");
        assertThat(calls).extracting(c -> c.path("args")).containsExactly(WEATHER, TIME);
        JsonNode last = chunks.get(chunks.size() - 1).data().path("candidates").get(0);
        assertThat(last.path("finishReason").asText()).isEqualTo("STOP");
        assertThat(chunks.subList(0, chunks.size() - 1))
                .noneMatch(c -> c.data().path("candidates").get(0).has("finishReason"));
    }

    @Test
    void aCallCutInsideItsArgumentsNeverArrives() {
        Answer whole = Rendered.oneCall(null);
        List<Delta> cut = new ArrayList<>(whole.deltas());
        cut.set(cut.size() - 1, new Delta.ToolArguments(0, "\"Par"));   // an answer cut inside the call
        Answer truncated = new Answer("", whole.toolCalls(), Finish.LENGTH, cut, 5);

        List<Event> chunks = Rendered.sse(Rendered.stream(dialect, streamCall, truncated));

        assertThat(chunks).singleElement().satisfies(last -> {
            JsonNode candidate = last.data().path("candidates").get(0);
            assertThat(candidate.path("finishReason").asText()).isEqualTo("MAX_TOKENS");
            assertThat(candidate.path("content").path("parts")).noneMatch(p -> p.has("functionCall"));
        });
    }

    @ParameterizedTest
    @CsvSource({"STOP, STOP", "LENGTH, MAX_TOKENS", "TOOL_CALLS, STOP", "CONTENT_FILTER, SAFETY"})
    void eachFinishHasItsFinishReasonPlainAndStreamed(Finish finish, String reason) {
        Answer answer = Answer.of("Cut here").withFinish(finish);

        JsonNode plain = Rendered.plain(dialect, plainCall, answer).path("candidates").get(0);
        assertThat(plain.path("finishReason").asText()).isEqualTo(reason);
        List<Event> chunks = Rendered.sse(Rendered.stream(dialect, streamCall, answer));
        JsonNode last = chunks.get(chunks.size() - 1).data().path("candidates").get(0);
        assertThat(last.path("finishReason").asText()).isEqualTo(reason);
        assertThat(last.has("safetyRatings")).isEqualTo(finish == Finish.CONTENT_FILTER);
    }

    @Test
    void aChunkWithAFunctionCallIsContentForAfterChunksInProxyMode() {
        List<Conversation.ToolCall> calls = List.of(new Conversation.ToolCall(null, "f", WEATHER));
        byte[] stream = Rendered.stream(dialect, streamCall, Answer.toolCalls("", calls));
        String first = new String(stream, java.nio.charset.StandardCharsets.UTF_8).split("\n\n")[0] + "\n\n";

        assertThat(dialect.isContentDelta(first.getBytes(java.nio.charset.StandardCharsets.UTF_8))).isTrue();
    }
}
