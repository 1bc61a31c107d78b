package dev.llmfault.samples;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.core.http.StreamResponse;
import com.openai.helpers.ChatCompletionAccumulator;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionChunk;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.chat.completions.ChatCompletionMessage;
import com.openai.models.chat.completions.ChatCompletionMessageFunctionToolCall;
import com.openai.models.chat.completions.ChatCompletionMessageToolCall;
import com.openai.models.chat.completions.ChatCompletionToolMessageParam;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import com.openai.models.responses.ResponseFunctionToolCall;
import com.openai.models.responses.ResponseOutputItem;
import com.openai.models.responses.ResponseStreamEvent;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.junit.LlmReply;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The official OpenAI Java SDK (com.openai:openai-java 4.101.0) reading the fake model's scripted tool calls: plain
 * ({@code message.toolCalls()}), streamed through its own {@code ChatCompletionAccumulator}, parsed into a record
 * by {@code function().arguments(Class)}, on the Responses API as {@code function_call} items, and a whole tool
 * loop: turn 1 calls the tool, turn 2 (with the tool's result) answers.
 */
@LlmFaultTest(provider = Provider.OPENAI)
class OpenAiJavaToolCallsTest {
    private static final String KEY = "sk-test-openai-java-0123456789abcdef";

    /** The tool as openai-java derives it from a class: its name is the class's simple name. */
    public record GetWeather(String city) {
    }

    private OpenAIClient client;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        client = OpenAIOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey(KEY).maxRetries(0)
                .timeout(Duration.ofSeconds(10)).build();
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private static ChatCompletionCreateParams.Builder weatherQuestion() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("What's the weather in Paris?")
                .addTool(GetWeather.class);
    }

    private static List<ChatCompletionMessageFunctionToolCall> calls(ChatCompletionMessage message) {
        return message.toolCalls().orElseThrow().stream().map(ChatCompletionMessageToolCall::asFunction).toList();
    }

    @Test
    @LlmReply(toolCalls = {@LlmReply.ToolCall(name = "GetWeather", arguments = "{\"city\":\"Paris\"}"),
            @LlmReply.ToolCall(name = "GetWeather", arguments = "{\"city\":\"Lyon\"}")})
    void readsParallelToolCalls() {
        ChatCompletion completion = client.chat().completions().create(weatherQuestion().build());

        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).isEmpty();
        List<ChatCompletionMessageFunctionToolCall> calls = calls(choice.message());
        assertThat(calls).extracting(c -> c.function().arguments(GetWeather.class))
                .containsExactly(new GetWeather("Paris"), new GetWeather("Lyon"));
        assertThat(calls).extracting(ChatCompletionMessageFunctionToolCall::id)
                .allMatch(id -> id.matches("call_[A-Za-z0-9]{24}")).doesNotHaveDuplicates();
    }

    @Test
    @LlmReply(text = "Let me check.", toolCalls = {@LlmReply.ToolCall(name = "GetWeather", arguments = "{\"city\":\"Paris\"}"),
            @LlmReply.ToolCall(name = "GetWeather", arguments = "{\"city\":\"Lyon\"}")})
    void accumulatesStreamedToolCalls() {
        ChatCompletionAccumulator accumulator = ChatCompletionAccumulator.create();
        int chunks = 0;
        try (StreamResponse<ChatCompletionChunk> stream = client.chat().completions().createStreaming(weatherQuestion().build())) {
            for (ChatCompletionChunk chunk : (Iterable<ChatCompletionChunk>) stream.stream()::iterator) {
                accumulator.accumulate(chunk);
                chunks++;
            }
        }

        ChatCompletion completion = accumulator.chatCompletion();
        ChatCompletion.Choice choice = completion.choices().get(0);
        assertThat(choice.finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.TOOL_CALLS);
        assertThat(choice.message().content()).hasValue("Let me check.");
        assertThat(calls(choice.message())).extracting(c -> c.function().arguments(GetWeather.class))
                .containsExactly(new GetWeather("Paris"), new GetWeather("Lyon"));
        assertThat(chunks).as("arguments arrive in pieces").isGreaterThan(6);
    }

    // tag::openai-tool-loop[]
    @Test
    @LlmReply(match = @LlmReply.Match(lastUserMessage = "weather"), sequence = {
            @LlmReply.Turn(toolCalls = @LlmReply.ToolCall(name = "GetWeather", arguments = "{\"city\":\"Paris\"}")),
            @LlmReply.Turn(text = "It is 18°C in Paris.")})
    void runsAToolLoop(FakeLlmServer server) {
        ChatCompletionCreateParams.Builder params = weatherQuestion();
        ChatCompletionMessage first = client.chat().completions().create(params.build()).choices().get(0).message();
        ChatCompletionMessageFunctionToolCall call = calls(first).get(0);
        GetWeather asked = call.function().arguments(GetWeather.class);
        params.addMessage(first).addMessage(ChatCompletionToolMessageParam.builder().toolCallId(call.id())
                .content("18°C in " + asked.city()).build());

        ChatCompletion second = client.chat().completions().create(params.build());

        assertThat(second.choices().get(0).message().content()).hasValue("It is 18°C in Paris.");
        assertThat(second.choices().get(0).finishReason()).isEqualTo(ChatCompletion.Choice.FinishReason.STOP);
        List<JournalEntry> entries = server.journal().entries();
        assertThat(entries).hasSize(2);
        Conversation sent = entries.get(1).conversation();
        assertThat(sent.turn()).isEqualTo(2);
        assertThat(sent.toolResult(call.id())).map(Conversation.Message::text).hasValue("18°C in Paris");
    }
    // end::openai-tool-loop[]

    @Test
    @LlmReply(text = "Checking.", toolCalls = @LlmReply.ToolCall(name = "GetWeather", arguments = "{\"city\":\"Paris\"}"))
    void readsAResponsesFunctionCallPlainAndStreamed() {
        ResponseCreateParams params = ResponseCreateParams.builder().model("gpt-4o-mini").input("Weather in Paris?")
                .addTool(GetWeather.class).build();

        Response response = client.responses().create(params);
        List<ResponseFunctionToolCall> plain = new ArrayList<>();
        response.output().forEach(item -> item.functionCall().ifPresent(plain::add));
        assertThat(plain).singleElement().satisfies(c -> {
            assertThat(c.name()).isEqualTo("GetWeather");
            assertThat(c.callId()).matches("call_[A-Za-z0-9]{24}");
            assertThat(c.arguments()).isEqualTo("{\"city\":\"Paris\"}");
        });

        StringBuilder arguments = new StringBuilder();
        List<ResponseOutputItem> done = new ArrayList<>();
        try (StreamResponse<ResponseStreamEvent> stream = client.responses().createStreaming(params)) {
            stream.stream().forEach(e -> {
                e.functionCallArgumentsDelta().ifPresent(d -> arguments.append(d.delta()));
                e.completed().ifPresent(c -> done.addAll(c.response().output()));
            });
        }
        assertThat(arguments.toString()).isEqualTo("{\"city\":\"Paris\"}");
        assertThat(done).hasSize(2);
        assertThat(done.get(1).functionCall()).hasValueSatisfying(c -> assertThat(c.name()).isEqualTo("GetWeather"));
    }
}
