package dev.llmfault.samples;

import dev.langchain4j.agent.tool.ToolExecutionRequest;
import dev.langchain4j.agent.tool.ToolSpecification;
import dev.langchain4j.data.message.AiMessage;
import dev.langchain4j.data.message.ChatMessage;
import dev.langchain4j.data.message.ToolExecutionResultMessage;
import dev.langchain4j.data.message.UserMessage;
import dev.langchain4j.model.chat.ChatModel;
import dev.langchain4j.model.chat.StreamingChatModel;
import dev.langchain4j.model.chat.request.ChatRequest;
import dev.langchain4j.model.chat.request.json.JsonObjectSchema;
import dev.langchain4j.model.chat.response.ChatResponse;
import dev.langchain4j.model.chat.response.StreamingChatResponseHandler;
import dev.langchain4j.model.googleai.GoogleAiGeminiStreamingChatModel;
import dev.langchain4j.model.ollama.OllamaStreamingChatModel;
import dev.langchain4j.model.output.FinishReason;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.junit.LlmReply;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * LangChain4j's Gemini (1.19) and Ollama (1.18.1) models read the fake model's tool calls as
 * {@code ToolExecutionRequest}s, plain and streamed (both providers send a call whole in one chunk or line), and
 * run a two-turn tool loop: the call, then the answer to the {@code ToolExecutionResultMessage} sent back.
 */
@LlmFaultTest
@LlmReply(sequence = {
        @LlmReply.Turn(text = "Let me check.",
                toolCalls = @LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Paris\",\"unit\":\"celsius\"}")),
        @LlmReply.Turn(text = "It is 18°C in Paris.")})
class LangChain4jToolCallsTest {
    private static final String ARGUMENTS = "{\"city\":\"Paris\",\"unit\":\"celsius\"}";

    @Test
    void geminiPlain(@LlmBaseUrl(Provider.GEMINI) URI baseUrl, RequestJournal journal) {
        ChatModel model = LangChain4jGeminiUnderFaultsTest.model(baseUrl, 0, Duration.ofSeconds(10));
        toolLoop(model::chat, journal);
    }

    @Test
    void geminiStreamed(@LlmBaseUrl(Provider.GEMINI) URI baseUrl, RequestJournal journal) {
        StreamingChatModel model = GoogleAiGeminiStreamingChatModel.builder()
                .baseUrl(LangChain4jGeminiUnderFaultsTest.geminiBaseUrl(baseUrl)).apiKey(LangChain4jGeminiUnderFaultsTest.KEY)
                .modelName("gemini-2.5-flash").timeout(Duration.ofSeconds(10)).build();
        toolLoop(request -> streamed(model, request), journal);
    }

    @Test
    void ollamaPlain(@LlmBaseUrl(Provider.OLLAMA) URI baseUrl, RequestJournal journal) {
        ChatModel model = LangChain4jOllamaUnderFaultsTest.model(baseUrl, 0, Duration.ofSeconds(10));
        toolLoop(model::chat, journal);
    }

    @Test
    void ollamaStreamed(@LlmBaseUrl(Provider.OLLAMA) URI baseUrl, RequestJournal journal) {
        StreamingChatModel model = OllamaStreamingChatModel.builder().baseUrl(baseUrl.toString()).modelName("llama3.2")
                .timeout(Duration.ofSeconds(10)).build();
        toolLoop(request -> streamed(model, request), journal);
    }

    /**
     * A stream cut inside the call's arguments (after the 3 text pieces and 2 of the 4 argument pieces): the call
     * never arrived (Ollama sends it whole in one line), LangChain4j reports the cut through onError (a
     * LangChain4jException "closed") and does not retry.
     */
    @Test
    @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, afterChunks = 5)
    void ollamaStreamCutInsideTheCall(@LlmBaseUrl(Provider.OLLAMA) URI baseUrl, RequestJournal journal) {
        StreamingChatModel model = OllamaStreamingChatModel.builder().baseUrl(baseUrl.toString()).modelName("llama3.2")
                .timeout(Duration.ofSeconds(10)).build();

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> streamed(model,
                request(List.of(UserMessage.from("What is the weather in Paris?")))));

        assertThat(thrown).isInstanceOf(java.util.concurrent.CompletionException.class).cause()
                .isExactlyInstanceOf(dev.langchain4j.exception.LangChain4jException.class).hasMessage("closed");
        assertThat(journal.entries()).hasSize(1);
    }

    private static void toolLoop(Function<ChatRequest, ChatResponse> send, RequestJournal journal) {
        List<ChatMessage> messages = new ArrayList<>(List.of(UserMessage.from("What is the weather in Paris?")));

        ChatResponse first = send.apply(request(messages));

        AiMessage call = first.aiMessage();
        assertThat(first.finishReason()).isEqualTo(FinishReason.TOOL_EXECUTION);
        assertThat(call.text()).isEqualTo("Let me check.");
        assertThat(call.toolExecutionRequests()).singleElement().satisfies(r -> {
            assertThat(r.name()).isEqualTo("get_weather");
            assertThat(r.arguments()).isEqualToIgnoringWhitespace(ARGUMENTS);
        });

        ToolExecutionRequest request = call.toolExecutionRequests().get(0);
        messages.add(call);
        messages.add(ToolExecutionResultMessage.from(request, "18°C"));
        ChatResponse second = send.apply(request(messages));

        assertThat(second.finishReason()).isEqualTo(FinishReason.STOP);
        assertThat(second.aiMessage().text()).isEqualTo("It is 18°C in Paris.");
        assertThat(second.aiMessage().hasToolExecutionRequests()).isFalse();
        Conversation sent = journal.entries().get(1).conversation();
        assertThat(sent.turn()).isEqualTo(2);
        assertThat(sent.hasToolResult()).isTrue();
        assertThat(sent.messages().get(sent.messages().size() - 1).text()).contains("18°C");   // Gemini: {"response":"18°C"}
    }

    private static ChatRequest request(List<ChatMessage> messages) {
        return ChatRequest.builder().messages(messages).toolSpecifications(ToolSpecification.builder()
                .name("get_weather").description("The weather in a city")
                .parameters(JsonObjectSchema.builder().addStringProperty("city").addStringProperty("unit")
                        .required(List.of("city")).build())
                .build()).build();
    }

    private static ChatResponse streamed(StreamingChatModel model, ChatRequest request) {
        CompletableFuture<ChatResponse> done = new CompletableFuture<>();
        model.chat(request, new StreamingChatResponseHandler() {
            @Override
            public void onPartialResponse(String partial) {
            }

            @Override
            public void onCompleteResponse(ChatResponse response) {
                done.complete(response);
            }

            @Override
            public void onError(Throwable error) {
                done.completeExceptionally(error);
            }
        });
        return done.orTimeout(10, TimeUnit.SECONDS).join();
    }
}
