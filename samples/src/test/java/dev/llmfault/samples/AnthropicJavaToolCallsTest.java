package dev.llmfault.samples;

import com.anthropic.client.AnthropicClient;
import com.anthropic.client.okhttp.AnthropicOkHttpClient;
import com.anthropic.core.JsonValue;
import com.anthropic.core.http.StreamResponse;
import com.anthropic.helpers.MessageAccumulator;
import com.anthropic.models.messages.ContentBlock;
import com.anthropic.models.messages.ContentBlockParam;
import com.anthropic.models.messages.Message;
import com.anthropic.models.messages.MessageCreateParams;
import com.anthropic.models.messages.RawMessageStreamEvent;
import com.anthropic.models.messages.StopReason;
import com.anthropic.models.messages.Tool;
import com.anthropic.models.messages.ToolResultBlockParam;
import com.anthropic.models.messages.ToolUseBlock;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.junit.LlmReply;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * anthropic-java 3.14 reads the fake model's tool calls, plain and streamed (its {@code MessageAccumulator}
 * joins the {@code input_json_delta} pieces), and runs a two-turn tool loop: the call, then the answer to the
 * {@code tool_result} it sent back.
 */
@LlmFaultTest(provider = Provider.ANTHROPIC)
@LlmReply(sequence = {
        @LlmReply.Turn(text = "Let me check.",
                toolCalls = @LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Paris\",\"unit\":\"celsius\"}")),
        @LlmReply.Turn(text = "It is 18°C in Paris.")})
class AnthropicJavaToolCallsTest {
    private AnthropicClient client;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        client = AnthropicOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey("sk-ant-test-0123456789abcdef")
                .maxRetries(0).timeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    @Test
    void aPlainToolLoopOfTwoTurns(RequestJournal journal) {
        toolLoop(params -> client.messages().create(params), journal);
    }

    @Test
    void aStreamedToolLoopOfTwoTurns(RequestJournal journal) {
        toolLoop(params -> {
            MessageAccumulator accumulator = MessageAccumulator.create();
            try (StreamResponse<RawMessageStreamEvent> s = client.messages().createStreaming(params)) {
                s.stream().peek(RawMessageStreamEvent::validate).forEach(accumulator::accumulate);
            }
            return accumulator.message();
        }, journal);
    }

    private static void toolLoop(Function<MessageCreateParams, Message> send, RequestJournal journal) {
        MessageCreateParams.Builder params = MessageCreateParams.builder().model("claude-sonnet-4-5").maxTokens(256)
                .addTool(weatherTool()).addUserMessage("What is the weather in Paris?");

        Message first = send.apply(params.build());

        assertThat(first.stopReason()).contains(StopReason.TOOL_USE);
        List<ContentBlock> content = first.content();
        assertThat(content).hasSize(2);
        assertThat(content.get(0).asText().text()).isEqualTo("Let me check.");
        ToolUseBlock call = content.get(1).asToolUse();
        assertThat(call.id()).matches("toolu_01[0-9A-Za-z]{22}");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call._input().convert(Map.class)).isEqualTo(Map.of("city", "Paris", "unit", "celsius"));

        Message second = send.apply(params.addMessage(first).addUserMessageOfContentBlockParams(List.of(
                ContentBlockParam.ofToolResult(ToolResultBlockParam.builder().toolUseId(call.id()).content("18°C").build())))
                .build());

        assertThat(second.stopReason()).contains(StopReason.END_TURN);
        assertThat(second.content()).singleElement().satisfies(b -> assertThat(b.asText().text()).isEqualTo("It is 18°C in Paris."));
        Conversation sent = journal.entries().get(1).conversation();
        assertThat(sent.turn()).isEqualTo(2);
        assertThat(sent.toolResult(call.id())).map(Conversation.Message::text).hasValue("18°C");
    }

    private static Tool weatherTool() {
        return Tool.builder().name("get_weather").description("The weather in a city")
                .inputSchema(Tool.InputSchema.builder().properties(Tool.InputSchema.Properties.builder()
                        .putAdditionalProperty("city", JsonValue.from(Map.of("type", "string")))
                        .putAdditionalProperty("unit", JsonValue.from(Map.of("type", "string"))).build())
                        .required(List.of("city")).build())
                .build();
    }
}
