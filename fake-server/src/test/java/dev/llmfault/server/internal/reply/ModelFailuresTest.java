package dev.llmfault.server.internal.reply;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.dialect.Answer;
import dev.llmfault.server.internal.dialect.Delta;
import dev.llmfault.server.internal.dialect.Finish;
import dev.llmfault.server.internal.json.Json;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What the fake model says under each of its own failures, in no provider's shape. */
class ModelFailuresTest {
    private static final Answer NORMAL = Answer.of("one two three four five");
    private static final JsonNode WEATHER_SCHEMA = Json.tryParse("{\"type\":\"object\",\"properties\":{\"city\":"
            + "{\"type\":\"string\"},\"days\":{\"type\":\"integer\"},\"metric\":{\"type\":\"boolean\"}},\"required\":[\"city\"]}").orElseThrow();
    private static final Conversation ASKS_WEATHER = new Conversation(List.of(Conversation.Message.user("Weather in Paris?")),
            List.of(new Conversation.Tool("get_weather", WEATHER_SCHEMA)), null);

    private static Answer of(Fault f, Answer normal, Conversation c, Integer afterChunks, int reserved) {
        return ModelFailures.answer(f, normal, c, afterChunks, reserved, name -> "call_" + name);
    }

    @Test
    void aTruncatedAnswerKeepsItsFirstPiecesAndStopsMidWord() {
        Answer a = of(Fault.LENGTH_TRUNCATED, NORMAL, Conversation.EMPTY, null, 0);

        assertThat(a.text()).isEqualTo("one two thr");
        assertThat(a.finish()).isEqualTo(Finish.LENGTH);
        assertThat(a.deltas()).extracting(Delta::text).containsExactly("one ", "two ", "thr");
        assertThat(of(Fault.LENGTH_TRUNCATED, NORMAL, Conversation.EMPTY, 4, 0).text()).isEqualTo("one two three four fi");
    }

    @Test
    void aTruncatedAnswerCountsTheRequestsMaxTokensAsItsCompletionTokens() {
        assertThat(of(Fault.LENGTH_TRUNCATED, NORMAL, Conversation.EMPTY, null, 16).completionTokens()).isEqualTo(16);
    }

    @Test
    void aTruncatedJsonDocumentIsCutMidDocument() {
        Answer json = Answer.of("{\"city\":\"Paris\",\"days\":3}");

        Answer a = of(Fault.LENGTH_TRUNCATED, json, Conversation.EMPTY, null, 0);

        assertThat(a.text()).isEqualTo("{\"city\":\"Paris\",\"days\":3");
        assertThat(parses(a.text())).isFalse();
    }

    @Test
    void aFilteredAnswerKeepsOnlyWhatAfterChunksLetsThrough() {
        assertThat(of(Fault.CONTENT_FILTERED, NORMAL, Conversation.EMPTY, null, 0))
                .satisfies(a -> assertThat(a.text()).isEmpty())
                .satisfies(a -> assertThat(a.finish()).isEqualTo(Finish.CONTENT_FILTER));
        assertThat(of(Fault.CONTENT_FILTERED, NORMAL, Conversation.EMPTY, 2, 0).text()).isEqualTo("one two ");
    }

    @Test
    void invalidJsonOutputNeverParsesAndClaimsToBeComplete() {
        Answer fromText = of(Fault.INVALID_JSON_OUTPUT, NORMAL, Conversation.EMPTY, null, 0);
        Answer fromJson = of(Fault.INVALID_JSON_OUTPUT, Answer.of("{\"city\":\"Paris\",\"days\":3}"), Conversation.EMPTY, null, 0);

        assertThat(fromText.text()).isEqualTo("{\"answer\":\"one two");
        assertThat(parses(fromText.text())).isFalse();
        assertThat(fromJson.text()).isEqualTo("{\"city\":\"Par");
        assertThat(parses(fromJson.text())).isFalse();
        assertThat(fromJson.finish()).isEqualTo(Finish.STOP);
    }

    @Test
    void anUnknownToolCallNamesAToolTheRequestNeverOffered() {
        Answer a = of(Fault.UNKNOWN_TOOL_CALL, NORMAL, ASKS_WEATHER, null, 0);

        assertThat(a.finish()).isEqualTo(Finish.TOOL_CALLS);
        assertThat(a.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo(ModelFailures.UNKNOWN_TOOL);
            assertThat(c.arguments().path("query").asText()).isEqualTo("Weather in Paris?");
        });
        Conversation offersIt = new Conversation(List.of(), List.of(new Conversation.Tool(ModelFailures.UNKNOWN_TOOL, null)), null);
        assertThat(of(Fault.UNKNOWN_TOOL_CALL, NORMAL, offersIt, null, 0).toolCalls().get(0).name())
                .isEqualTo(ModelFailures.UNKNOWN_TOOL + "2");
    }

    @Test
    void invalidToolArgumentsLeaveOutTheRequiredPropertyAndMistypeTheOthers() {
        Answer a = of(Fault.INVALID_TOOL_ARGUMENTS, NORMAL, ASKS_WEATHER, null, 0);

        assertThat(a.toolCalls()).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("get_weather");
            assertThat(c.arguments().has("city")).as("the required property is missing").isFalse();
            assertThat(c.arguments().path("days").isTextual()).as("an integer sent as text").isTrue();
            assertThat(c.arguments().path("metric").isTextual()).as("a boolean sent as text").isTrue();
        });
        assertThat(of(Fault.INVALID_TOOL_ARGUMENTS, NORMAL, Conversation.EMPTY, null, 0).toolCalls().get(0).name())
                .as("no tool offered: an unknown one").isEqualTo(ModelFailures.UNKNOWN_TOOL);
    }

    @Test
    void otherFaultsAreNotTheModels() {
        assertThatThrownBy(() -> of(Fault.RATE_LIMITED, NORMAL, Conversation.EMPTY, null, 0))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("RATE_LIMITED");
    }

    private static boolean parses(String text) {
        return Json.tryParse(text).isPresent();
    }
}
