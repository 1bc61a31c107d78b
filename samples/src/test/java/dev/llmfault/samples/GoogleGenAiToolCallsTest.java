package dev.llmfault.samples;

import com.google.genai.Client;
import com.google.genai.ResponseStream;
import com.google.genai.types.Content;
import com.google.genai.types.FinishReason;
import com.google.genai.types.FunctionCall;
import com.google.genai.types.FunctionDeclaration;
import com.google.genai.types.GenerateContentConfig;
import com.google.genai.types.GenerateContentResponse;
import com.google.genai.types.Part;
import com.google.genai.types.Schema;
import com.google.genai.types.Tool;
import dev.llmfault.junit.LlmBaseUrl;
import com.google.genai.errors.GenAiIOException;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.junit.LlmReply;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * google-genai 2.3.0 reads the fake Gemini's {@code functionCall} parts, plain and streamed (a call arrives whole
 * in one chunk), and runs a two-turn tool loop: the call, then the answer to the {@code functionResponse} it sent.
 * The Gemini Developer API sends no call id, and neither does the fake.
 */
@LlmFaultTest(provider = Provider.GEMINI)
@LlmReply(sequence = {
        @LlmReply.Turn(text = "Let me check.",
                toolCalls = @LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Paris\",\"unit\":\"celsius\"}")),
        @LlmReply.Turn(text = "It is 18°C in Paris.")})
class GoogleGenAiToolCallsTest {
    private static final String MODEL = "gemini-2.5-flash";
    private Client client;

    /** What one model turn gave the caller: its text, its calls, why it stopped. */
    record Turn(String text, List<FunctionCall> calls, FinishReason finish) {
    }

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        client = GoogleGenAiUnderFaultsTest.client(baseUrl, null, 10_000);
    }

    @AfterEach
    void stop() {
        client.close();
    }

    @Test
    void aPlainToolLoopOfTwoTurns(RequestJournal journal) {
        toolLoop(contents -> {
            GenerateContentResponse r = client.models.generateContent(MODEL, contents, config());
            return new Turn(r.text(), r.functionCalls(), r.finishReason());
        }, journal);
    }

    @Test
    void aStreamedToolLoopOfTwoTurns(RequestJournal journal) {
        toolLoop(contents -> {
            StringBuilder text = new StringBuilder();
            List<FunctionCall> calls = new ArrayList<>();
            FinishReason finish = null;
            try (ResponseStream<GenerateContentResponse> s = client.models.generateContentStream(MODEL, contents, config())) {
                for (GenerateContentResponse chunk : s) {
                    if (chunk.text() != null) {
                        text.append(chunk.text());
                    }
                    if (chunk.functionCalls() != null) {
                        calls.addAll(chunk.functionCalls());
                    }
                    if (chunk.candidates().orElseThrow().get(0).finishReason().isPresent()) {
                        finish = chunk.finishReason();
                    }
                }
            }
            return new Turn(text.toString(), calls, finish);
        }, journal);
    }

    /**
     * A stream cut inside the call's arguments (after the 3 text pieces and 2 of the 4 argument pieces): Gemini
     * sends a call only whole, so the caller got the text and no call at all before the SDK's I/O error; it does
     * not retry a stream.
     */
    @Test
    @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, afterChunks = 5)
    void aStreamCutInsideTheCallDeliversTheTextButNoCall(RequestJournal journal) {
        List<GenerateContentResponse> chunks = new ArrayList<>();
        List<Content> contents = List.of(Content.builder().role("user").parts(Part.fromText("What is the weather?")).build());

        Throwable thrown = org.assertj.core.api.Assertions.catchThrowable(() -> {
            try (ResponseStream<GenerateContentResponse> s = client.models.generateContentStream(MODEL, contents, config())) {
                s.forEach(chunks::add);
            }
        });

        assertThat(thrown).isExactlyInstanceOf(GenAiIOException.class);
        assertThat(chunks).extracting(GenerateContentResponse::text).containsExactly("Let ", "me ", "check.");
        assertThat(chunks).allSatisfy(c -> assertThat(c.functionCalls()).isNullOrEmpty());
        assertThat(journal.entries()).hasSize(1);
    }

    private static void toolLoop(Function<List<Content>, Turn> send, RequestJournal journal) {
        List<Content> contents = new ArrayList<>(List.of(Content.builder().role("user")
                .parts(Part.fromText("What is the weather in Paris?")).build()));

        Turn first = send.apply(contents);

        assertThat(first.finish().knownEnum()).isEqualTo(FinishReason.Known.STOP);   // STOP also when it calls
        assertThat(first.text()).isEqualTo("Let me check.");
        assertThat(first.calls()).singleElement().satisfies(call -> {
            assertThat(call.name()).hasValue("get_weather");
            assertThat(call.args()).hasValue(Map.of("city", "Paris", "unit", "celsius"));
            assertThat(call.id()).isEmpty();
        });

        contents.add(Content.builder().role("model").parts(Part.fromText(first.text()),
                Part.builder().functionCall(first.calls().get(0)).build()).build());
        contents.add(Content.builder().role("user")
                .parts(Part.fromFunctionResponse("get_weather", Map.of("temperature", "18°C"))).build());
        Turn second = send.apply(contents);

        assertThat(second.finish().knownEnum()).isEqualTo(FinishReason.Known.STOP);
        assertThat(second.text()).isEqualTo("It is 18°C in Paris.");
        assertThat(second.calls()).isEmpty();
        Conversation sent = journal.entries().get(1).conversation();
        assertThat(sent.turn()).isEqualTo(2);
        assertThat(sent.hasToolResult()).isTrue();
    }

    private static GenerateContentConfig config() {
        Schema city = Schema.builder().type("STRING").build();
        return GenerateContentConfig.builder().tools(Tool.builder().functionDeclarations(FunctionDeclaration.builder()
                .name("get_weather").description("The weather in a city")
                .parameters(Schema.builder().type("OBJECT").properties(Map.of("city", city, "unit", city))
                        .required(List.of("city")).build())
                .build()).build()).build();
    }
}
