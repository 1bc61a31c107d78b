package dev.llmfault.server.replies;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Reply;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Answer.SseFrame;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reply rules end to end: every provider answers a rule's text and JSON document in its own shape, plain and
 * streamed, and journals the rule; OpenAI chat (and Azure, Zhipu, which speak it) render tool calls as the
 * SDKs read them: {@code message.tool_calls} with {@code content: null} and {@code finish_reason: "tool_calls"},
 * streamed as indexed deltas whose argument pieces join back into the arguments.
 */
class ReplyRulesTest {
    static final String DEFAULT = "The default reply of this server.";

    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.replyText(DEFAULT).seed(7));

    private static FakeLlmServer s() {
        return server.get();
    }

    private static JournalEntry lastEntry() {
        List<JournalEntry> entries = s().journal().entries();
        return entries.get(entries.size() - 1);
    }

    // ---- every provider ----

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aTextRuleAnswersPlainAndStreamedOnEveryProvider(Provider p) {
        ProviderFixture f = ProviderFixture.of(p);
        ReplyRule rule = s().replies().add(ReplyRule.builder().provider(p).reply(Reply.text("Scripted answer, in pieces")).build());

        Answer plain = Calls.chat(s(), p, false);
        assertThat(plain.status()).isEqualTo(200);
        assertThat(plain.body()).contains("Scripted answer, in pieces").doesNotContain(DEFAULT);
        assertThat(lastEntry().replyId()).isEqualTo(rule.id());

        Answer streamed = Calls.chat(s(), p, true);
        assertThat(streamed.status()).isEqualTo(200);
        assertThat(String.join("", f.streamText(streamed.body()))).isEqualTo("Scripted answer, in pieces");
        assertThat(s().replies().answeredCount(rule.id())).isEqualTo(2);
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aJsonRuleAnswersTheDocumentAsTheTextOnEveryProvider(Provider p) {
        ProviderFixture f = ProviderFixture.of(p);
        s().replies().add(ReplyRule.of(Reply.json(Map.of("name", "Ada"))));

        Answer streamed = Calls.chat(s(), p, true);
        assertThat(String.join("", f.streamText(streamed.body()))).isEqualTo("{\"name\":\"Ada\"}");
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void aRuleOfAnotherProviderLeavesTheDefaultReply(Provider p) {
        Provider other = p == Provider.OPENAI ? Provider.ANTHROPIC : Provider.OPENAI;
        s().replies().add(ReplyRule.builder().provider(other).reply(Reply.text("not for you")).build());

        Answer plain = Calls.chat(s(), p, false);
        assertThat(plain.body()).contains(DEFAULT).doesNotContain("not for you");
        assertThat(lastEntry().replyId()).isNull();
    }

    @Test
    void aRuleMatchesOnModelKeyPathAndHeader() {
        String key = "sk-proj-replies-0123456789abcdef";
        s().replies().add(ReplyRule.builder().matchModel(Calls.model(Provider.OPENAI)).matchApiKey(key)
                .matchPath("/v1/chat/completions").matchHeader("X-Team", "blue").reply(Reply.text("matched")).build());

        assertThat(Calls.chat(s(), Provider.OPENAI, key, Map.of("X-Team", "blue")).body()).contains("matched");
        assertThat(Calls.chat(s(), Provider.OPENAI, key, Map.of("X-Team", "red")).body()).contains(DEFAULT);
        assertThat(Calls.chat(s(), Provider.OPENAI, "sk-proj-another-key-0123456789", Map.of("X-Team", "blue")).body())
                .contains(DEFAULT);
    }

    // ---- a tool loop by turn ----

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"OPENAI", "AZURE_OPENAI", "ZHIPU"})
    void aSequenceCallsTheToolThenAnswersWithItsResult(Provider p) {
        s().replies().add(ReplyRule.builder().matchLastUserMessage("weather")
                .sequence(Reply.toolCall("get_weather", Map.of("city", "Paris")), Reply.text("It is 18°C in Paris."))
                .build());
        ObjectNode body = Calls.body(p, false, "What's the weather in Paris?");

        JsonNode first = Calls.chat(s(), p, Calls.headers(p), body.toString()).json();
        JsonNode call = first.path("choices").path(0).path("message").path("tool_calls").path(0);
        assertThat(call.path("function").path("name").asText()).isEqualTo("get_weather");

        // turn 2: the assistant's call and the tool's result go back, as a client's tool loop sends them
        body.withArray("messages").add(first.path("choices").path(0).path("message").deepCopy());
        body.withArray("messages").addObject().put("role", "tool").put("tool_call_id", call.path("id").asText())
                .put("content", "{\"temperature\":18}");
        JsonNode second = Calls.chat(s(), p, Calls.headers(p), body.toString()).json();
        assertThat(second.path("choices").path(0).path("message").path("content").asText()).isEqualTo("It is 18°C in Paris.");
        assertThat(second.path("choices").path(0).path("finish_reason").asText()).isEqualTo("stop");

        // turn 3 is past the sequence: the default reply ends the loop
        body.withArray("messages").add(second.path("choices").path(0).path("message").deepCopy());
        body.withArray("messages").addObject().put("role", "user").put("content", "And the weather tomorrow?");
        assertThat(Calls.chat(s(), p, Calls.headers(p), body.toString()).body()).contains(DEFAULT);
    }

    // ---- OpenAI chat: tool calls ----

    @Test
    void openAiPlainToolCallsAsOpenAiJavaReadsThem() {
        s().replies().add(ReplyRule.of(Reply.toolCall("get_weather", Map.of("city", "Paris"))
                .andToolCall("get_time", Map.of("zone", "Europe/Paris"))));

        JsonNode r = Calls.chat(s(), Provider.OPENAI, false).json();
        JsonNode choice = r.path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        JsonNode message = choice.path("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.has("content")).isTrue();
        assertThat(message.path("content").isNull()).as("content of a tool-call-only answer").isTrue();
        JsonNode calls = message.path("tool_calls");
        assertThat(calls.size()).isEqualTo(2);
        assertThat(calls.path(0).path("id").asText()).matches("call_[A-Za-z0-9]{24}");
        assertThat(calls.path(0).path("type").asText()).isEqualTo("function");
        assertThat(calls.path(0).path("function").path("name").asText()).isEqualTo("get_weather");
        assertThat(calls.path(0).path("function").path("arguments").isTextual()).as("arguments are JSON text").isTrue();
        assertThat(calls.path(0).path("function").path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(calls.path(1).path("function").path("name").asText()).isEqualTo("get_time");
        assertThat(calls.path(1).path("id").asText()).isNotEqualTo(calls.path(0).path("id").asText());
        assertThat(r.path("usage").path("completion_tokens").asInt()).isPositive();
    }

    @Test
    void openAiStreamedToolCallsAreIndexedDeltasWhosePiecesJoinBack() {
        s().replies().add(ReplyRule.of(Reply.text("Let me check.")
                .andToolCall("get_weather", Map.of("city", "Paris", "unit", "celsius"))
                .andToolCall("get_time", Map.of("zone", "Europe/Paris"))));

        Answer a = Calls.chat(s(), Provider.OPENAI, true);
        List<JsonNode> chunks = new ArrayList<>();
        for (SseFrame f : a.frames()) {
            if (!"[DONE]".equals(f.data())) chunks.add(f.json());
        }
        StringBuilder text = new StringBuilder();
        Map<Integer, String> ids = new LinkedHashMap<>();
        Map<Integer, String> names = new LinkedHashMap<>();
        Map<Integer, StringBuilder> args = new LinkedHashMap<>();
        int argumentChunks = 0;
        for (JsonNode c : chunks) {
            JsonNode delta = c.path("choices").path(0).path("delta");
            text.append(delta.path("content").asText(""));
            for (JsonNode tc : delta.path("tool_calls")) {
                int index = tc.path("index").asInt(-1);
                assertThat(index).as("every tool call delta carries its index").isNotNegative();
                if (tc.has("id")) {
                    assertThat(ids).doesNotContainKey(index); // the id and name come once, in the call's first chunk
                    ids.put(index, tc.path("id").asText());
                    names.put(index, tc.path("function").path("name").asText());
                    assertThat(tc.path("type").asText()).isEqualTo("function");
                    assertThat(tc.path("function").path("arguments").asText()).isEmpty();
                    args.put(index, new StringBuilder());
                } else {
                    assertThat(args).as("arguments after the call's first chunk").containsKey(index);
                    args.get(index).append(tc.path("function").path("arguments").asText());
                    argumentChunks++;
                }
            }
        }
        assertThat(text.toString()).isEqualTo("Let me check.");
        assertThat(names).containsExactly(Map.entry(0, "get_weather"), Map.entry(1, "get_time"));
        assertThat(ids.values()).allMatch(id -> id.matches("call_[A-Za-z0-9]{24}"));
        assertThat(json(args.get(0).toString())).isEqualTo(Answer.JSON.valueToTree(Map.of("city", "Paris", "unit", "celsius")));
        assertThat(json(args.get(1).toString())).isEqualTo(Answer.JSON.valueToTree(Map.of("zone", "Europe/Paris")));
        assertThat(argumentChunks).as("the arguments come in several pieces, not JSON on their own").isGreaterThan(2);
        JsonNode finish = chunks.get(chunks.size() - 1).path("choices").path(0);
        assertThat(finish.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(a.body()).endsWith("data: [DONE]\n\n");
    }

    @Test
    void toolCallIdsAreTheSameForTheSameSeedAndRuleAndStayWhenGiven() {
        Reply reply = Reply.toolCall("get_weather", Map.of("city", "Paris"));
        String first;
        try (FakeLlmServer a = FakeLlmServer.builder().seed(99).reply(reply).start();
             FakeLlmServer b = FakeLlmServer.builder().seed(99).reply(reply).start();
             FakeLlmServer c = FakeLlmServer.builder().seed(100).reply(reply).start()) {
            first = callId(a);
            assertThat(callId(a)).as("a retried request gets the same id").isEqualTo(first);
            assertThat(callId(b)).isEqualTo(first);
            assertThat(callId(c)).isNotEqualTo(first);
        }
        s().replies().add(ReplyRule.of(Reply.toolCalls(List.of(new dev.llmfault.server.Conversation.ToolCall(
                "call_weather", "get_weather", null)))));
        assertThat(callId(s())).isEqualTo("call_weather");
    }

    private static String callId(FakeLlmServer server) {
        return Calls.chat(server, Provider.OPENAI, false).json().path("choices").path(0).path("message")
                .path("tool_calls").path(0).path("id").asText();
    }

    @ParameterizedTest
    @EnumSource(value = Provider.class, names = {"AZURE_OPENAI", "ZHIPU"})
    void azureAndZhipuSpeakOpenAisToolCalls(Provider p) {
        s().replies().add(ReplyRule.of(Reply.toolCall("get_weather", Map.of("city", "Paris"))));

        JsonNode choice = Calls.chat(s(), p, false).json().path("choices").path(0);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("tool_calls");
        assertThat(choice.path("message").path("tool_calls").path(0).path("function").path("name").asText())
                .isEqualTo("get_weather");
        Answer streamed = Calls.chat(s(), p, true);
        assertThat(streamed.body()).contains("\"tool_calls\"").contains("\"finish_reason\":\"tool_calls\"");
    }

    // ---- the Responses API ----

    @Test
    void responsesApiAnswersAFunctionCallItem() {
        s().replies().add(ReplyRule.of(Reply.toolCall("get_weather", Map.of("city", "Paris"))));

        JsonNode r = responses(false).json();
        assertThat(r.path("status").asText()).isEqualTo("completed");
        assertThat(r.path("output").size()).as("no message item when the model only calls a tool").isEqualTo(1);
        JsonNode item = r.path("output").path(0);
        assertThat(item.path("type").asText()).isEqualTo("function_call");
        assertThat(item.path("call_id").asText()).matches("call_[A-Za-z0-9]{24}");
        assertThat(item.path("id").asText()).startsWith("fc_");
        assertThat(item.path("name").asText()).isEqualTo("get_weather");
        assertThat(item.path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(item.path("status").asText()).isEqualTo("completed");
    }

    @Test
    void responsesApiStreamsAFunctionCallAfterTheText() {
        s().replies().add(ReplyRule.of(Reply.text("Checking.").andToolCall("get_weather", Map.of("city", "Paris"))));

        List<SseFrame> frames = responses(true).frames();
        List<String> types = frames.stream().map(SseFrame::event).toList();
        assertThat(types).containsSubsequence("response.created", "response.output_item.added",
                "response.output_text.delta", "response.output_text.done", "response.output_item.done",
                "response.output_item.added", "response.function_call_arguments.delta",
                "response.function_call_arguments.done", "response.output_item.done", "response.completed");
        StringBuilder args = new StringBuilder();
        for (SseFrame f : frames) {
            JsonNode e = f.json();
            if ("response.function_call_arguments.delta".equals(f.event())) {
                assertThat(e.path("output_index").asInt()).isEqualTo(1);
                args.append(e.path("delta").asText());
            }
        }
        assertThat(args.toString()).isEqualTo("{\"city\":\"Paris\"}");
        JsonNode completed = frames.get(frames.size() - 1).json().path("response");
        assertThat(completed.path("output").path(0).path("type").asText()).isEqualTo("message");
        assertThat(completed.path("output").path(1).path("type").asText()).isEqualTo("function_call");
        assertThat(completed.path("output").path(1).path("arguments").asText()).isEqualTo("{\"city\":\"Paris\"}");
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).json().path("sequence_number").asInt()).isEqualTo(i);
        }
    }

    @Test
    void aSequenceGoesOnThroughAChainOfStoredResponses() {
        ReplyRule loop = s().replies().add(ReplyRule.builder().matchLastUserMessage("Weather")
                .sequence(Reply.toolCall("get_weather", Map.of("city", "Paris")), Reply.text("18°C in Paris.")).build());

        JsonNode first = responses(false).json();
        JsonNode call = first.path("output").path(0);
        assertThat(call.path("type").asText()).isEqualTo("function_call");

        // turn 2 as openai-java chains it: only the tool's output, the rest is the stored response's
        ObjectNode body = Answer.JSON.createObjectNode().put("model", "gpt-4o-mini")
                .put("previous_response_id", first.path("id").asText());
        body.putArray("input").addObject().put("type", "function_call_output")
                .put("call_id", call.path("call_id").asText()).put("output", "18°C");
        JsonNode second = Http.send("POST", s().url().resolve("/v1/responses"), Calls.headers(Provider.OPENAI),
                body.toString()).json();
        assertThat(second.path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo("18°C in Paris.");
        assertThat(lastEntry().replyId()).isEqualTo(loop.id());
    }

    private static Answer responses(boolean stream) {
        ObjectNode body = Answer.JSON.createObjectNode().put("model", "gpt-4o-mini").put("input", "Weather in Paris?");
        if (stream) body.put("stream", true);
        return Http.send("POST", s().url().resolve("/v1/responses"), Calls.headers(Provider.OPENAI), body.toString());
    }

    private static JsonNode json(String text) {
        try {
            return Answer.JSON.readTree(text);
        } catch (Exception e) {
            throw new AssertionError("not JSON: " + text, e);
        }
    }

    @Test
    void theJournalNamesTheRuleAlsoInRemoteMode() {
        ReplyRule rule = s().replies().add(ReplyRule.builder().id("weather").reply(Reply.text("x")).build());
        Calls.chat(s(), Provider.OPENAI, false);
        s().journal().awaitRequests(1, Duration.ofSeconds(5));
        FakeLlmServer remote = FakeLlmServer.connect(s().url());
        assertThat(remote.journal().entries()).extracting(JournalEntry::replyId).containsExactly(rule.id());
        assertThat(remote.replies().list()).extracting(ReplyRule::id).containsExactly("weather");
        assertThat(remote.replies().answeredCount("weather")).isEqualTo(1);
    }

    @Test
    void theJournalIsQueriedByTheRuleThatAnswered() {
        ReplyRule weather = s().replies().add(ReplyRule.builder().matchModel("gpt-4.1").reply(Reply.text("w")).build());
        Calls.chat(s(), Provider.OPENAI, false);
        Calls.chat(s(), Provider.OPENAI, Calls.headers(Provider.OPENAI),
                Calls.body(Provider.OPENAI, false).put("model", "gpt-4.1").toString());
        s().journal().awaitRequests(2, Duration.ofSeconds(5));

        dev.llmfault.server.JournalQuery byRule = dev.llmfault.server.JournalQuery.all().replyId(weather.id());
        assertThat(s().journal().find(byRule)).singleElement().extracting(JournalEntry::model).isEqualTo("gpt-4.1");
        assertThat(FakeLlmServer.connect(s().url()).journal().find(byRule)).singleElement()
                .extracting(JournalEntry::replyId).isEqualTo(weather.id());
        assertThat(Http.get(s().url().resolve("/__admin/requests?replyId=" + weather.id())).json().path("requests").size())
                .isEqualTo(1);
    }
}
