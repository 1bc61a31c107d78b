package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.dialect.Rendered.Event;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The OpenAI family's finish reasons and tool call ids, plain and streamed: chat completions (OpenAI, Azure) name
 * every {@link Finish} as openai-java's {@code FinishReason} does, Zhipu calls a filtered answer {@code sensitive},
 * and the Responses API ends an answer cut at the token limit or by the filter as {@code status: "incomplete"} with
 * openai-java's {@code IncompleteDetails.Reason} and a {@code response.incomplete} event.
 */
class OpenAiRenderingTest {
    private final OpenAiDialect openAi = new OpenAiDialect();

    private static Answer finishing(Finish finish) {
        return Answer.of("Half an ans").withFinish(finish);
    }

    @ParameterizedTest
    @CsvSource({"STOP, stop", "LENGTH, length", "TOOL_CALLS, tool_calls", "CONTENT_FILTER, content_filter"})
    void chatNamesEveryFinishPlainAndStreamed(Finish finish, String name) {
        Answer answer = finishing(finish);
        JsonNode plain = Rendered.plain(openAi, Rendered.call(openAi, "/v1/chat/completions", false), answer);
        assertThat(plain.path("choices").path(0).path("finish_reason").asText()).isEqualTo(name);

        StreamFramer framer = openAi.streamFramer(Rendered.call(openAi, "/v1/chat/completions", true), answer, "req-1");
        List<byte[]> closing = framer.closing();
        JsonNode finishChunk = Rendered.sse(closing.get(0)).get(0).data(); // then [DONE]
        assertThat(finishChunk.path("choices").path(0).path("finish_reason").asText()).isEqualTo(name);
        assertThat(new String(closing.get(closing.size() - 1), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo("data: [DONE]\n\n");
    }

    @Test
    void azureStreamsTheFiltersVerdictOnTheFinishChunk() {
        AzureOpenAiDialect azure = new AzureOpenAiDialect();
        StreamFramer framer = azure.streamFramer(Rendered.call(azure, "/openai/v1/chat/completions", true),
                finishing(Finish.CONTENT_FILTER), "req-1");
        JsonNode choice = Rendered.sse(framer.closing().get(0)).get(0).data().path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("content_filter");
        assertThat(choice.path("content_filter_results").path("violence").path("filtered").asBoolean()).isTrue();
        assertThat(choice.path("content_filter_results").path("hate").path("severity").asText()).isEqualTo("safe");

        StreamFramer plain = azure.streamFramer(Rendered.call(azure, "/openai/v1/chat/completions", true),
                finishing(Finish.STOP), "req-1");
        assertThat(Rendered.sse(plain.closing().get(0)).get(0).data().path("choices").path(0).has("content_filter_results"))
                .isFalse();
    }

    @ParameterizedTest
    @CsvSource({"STOP, stop", "LENGTH, length", "TOOL_CALLS, tool_calls", "CONTENT_FILTER, sensitive"})
    void zhipuCallsAFilteredAnswerSensitive(Finish finish, String name) {
        ZhipuDialect zhipu = new ZhipuDialect();
        JsonNode plain = Rendered.plain(zhipu, Rendered.call(zhipu, "/api/paas/v4/chat/completions", false), finishing(finish));
        assertThat(plain.path("choices").path(0).path("finish_reason").asText()).isEqualTo(name);
    }

    @ParameterizedTest
    @CsvSource({"LENGTH, max_output_tokens", "CONTENT_FILTER, content_filter"})
    void theResponsesApiEndsACutAnswerIncomplete(Finish finish, String reason) {
        Answer answer = finishing(finish);
        JsonNode plain = Rendered.plain(openAi, Rendered.call(openAi, "/v1/responses", false), answer);
        assertThat(plain.path("status").asText()).isEqualTo("incomplete");
        assertThat(plain.path("incomplete_details").path("reason").asText()).isEqualTo(reason);
        assertThat(plain.path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo("Half an ans");

        List<Event> events = Rendered.sse(Rendered.stream(openAi, Rendered.call(openAi, "/v1/responses", true), answer));
        Event last = events.get(events.size() - 1);
        assertThat(last.name()).isEqualTo("response.incomplete");
        assertThat(last.data().path("response").path("incomplete_details").path("reason").asText()).isEqualTo(reason);
    }

    @Test
    void theResponsesApiCompletesAToolCallAnswer() {
        JsonNode plain = Rendered.plain(openAi, Rendered.call(openAi, "/v1/responses", false), Rendered.oneCall(null));
        assertThat(plain.path("status").asText()).isEqualTo("completed");
        assertThat(plain.path("incomplete_details").isNull()).isTrue();
    }

    @Test
    void aCallWithoutAnIdGetsOneInOpenAisFormatTheSameInEveryFrame() {
        JsonNode plain = Rendered.plain(openAi, Rendered.call(openAi, "/v1/chat/completions", false), Rendered.twoCalls());
        JsonNode calls = plain.path("choices").path(0).path("message").path("tool_calls");
        assertThat(calls.path(0).path("id").asText()).matches("call_[0-9A-Za-z]{24}");
        assertThat(calls.path(1).path("id").asText()).matches("call_[0-9A-Za-z]{24}").isNotEqualTo(calls.path(0).path("id").asText());

        List<Event> events = Rendered.sse(Rendered.stream(openAi, Rendered.call(openAi, "/v1/responses", true), Rendered.twoCalls()));
        List<String> added = events.stream().filter(e -> "response.output_item.added".equals(e.name()))
                .map(e -> e.data().path("item")).filter(i -> i.path("type").asText().equals("function_call"))
                .map(i -> i.path("call_id").asText()).toList();
        JsonNode done = events.get(events.size() - 1).data().path("response").path("output");
        assertThat(added).hasSize(2).allMatch(id -> id.matches("call_[0-9A-Za-z]{24}"));
        assertThat(List.of(done.path(1).path("call_id").asText(), done.path(2).path("call_id").asText())).isEqualTo(added);
    }
}
