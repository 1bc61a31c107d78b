package dev.llmfault.samples;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmfault.junit.LlmBaseUrl;
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
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.document.Document;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeAsyncClient;
import software.amazon.awssdk.services.bedrockruntime.BedrockRuntimeClient;
import software.amazon.awssdk.services.bedrockruntime.model.ContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ConversationRole;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseResponse;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamRequest;
import software.amazon.awssdk.services.bedrockruntime.model.ConverseStreamResponseHandler;
import software.amazon.awssdk.services.bedrockruntime.model.Message;
import software.amazon.awssdk.services.bedrockruntime.model.StopReason;
import software.amazon.awssdk.services.bedrockruntime.model.Tool;
import software.amazon.awssdk.services.bedrockruntime.model.ToolConfiguration;
import software.amazon.awssdk.services.bedrockruntime.model.ToolInputSchema;
import software.amazon.awssdk.services.bedrockruntime.model.ToolResultContentBlock;
import software.amazon.awssdk.services.bedrockruntime.model.ToolUseBlock;

import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The AWS SDK for Java v2 (bedrockruntime 2.59.1) reads the fake Bedrock's {@code toolUse} blocks from
 * {@code converse} and, through {@code converseStream}'s contentBlockStart / contentBlockDelta
 * ({@code delta.toolUse.input} pieces) / contentBlockStop events, and runs a two-turn tool loop.
 */
@LlmFaultTest(provider = Provider.BEDROCK)
@LlmReply(sequence = {
        @LlmReply.Turn(text = "Let me check.",
                toolCalls = @LlmReply.ToolCall(name = "get_weather", arguments = "{\"city\":\"Paris\",\"unit\":\"celsius\"}")),
        @LlmReply.Turn(text = "It is 18°C in Paris.")})
class BedrockRuntimeToolCallsTest {
    private static final String MODEL = "anthropic.claude-3-haiku-20240307-v1:0";
    private static final StaticCredentialsProvider CREDENTIALS = StaticCredentialsProvider.create(
            AwsBasicCredentials.create("AKIAIOSFODNN7EXAMPLE", "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"));
    private static final Document WEATHER = Document.mapBuilder().putString("city", "Paris").putString("unit", "celsius").build();

    private BedrockRuntimeClient client;
    private BedrockRuntimeAsyncClient asyncClient;

    /** What one model turn gave the caller: the assistant message to send back, and why it stopped. */
    record Turn(Message message, StopReason stop) {
    }

    @BeforeEach
    void start(@LlmBaseUrl URI endpoint) {
        client = BedrockRuntimeClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
        asyncClient = BedrockRuntimeAsyncClient.builder().endpointOverride(endpoint).region(Region.US_EAST_1)
                .credentialsProvider(CREDENTIALS).build();
    }

    @AfterEach
    void stop() {
        client.close();
        asyncClient.close();
    }

    @Test
    void aPlainToolLoopOfTwoTurns(RequestJournal journal) {
        toolLoop(messages -> {
            ConverseResponse r = client.converse(c -> c.modelId(MODEL).messages(messages).toolConfig(tools()));
            return new Turn(r.output().message(), r.stopReason());
        }, journal);
    }

    @Test
    void aStreamedToolLoopOfTwoTurns(RequestJournal journal) {
        toolLoop(messages -> {
            StreamedMessage m = new StreamedMessage();
            ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                    .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                            .onContentBlockStart(e -> m.start(e.contentBlockIndex(), e.start().toolUse().toolUseId(),
                                    e.start().toolUse().name()))
                            .onContentBlockDelta(e -> m.delta(e.contentBlockIndex(),
                                    e.delta().toolUse() != null ? e.delta().toolUse().input() : e.delta().text()))
                            .onMessageStop(e -> m.stop(e.stopReason()))
                            .build())
                    .build();
            asyncClient.converseStream(ConverseStreamRequest.builder().modelId(MODEL).messages(messages)
                    .toolConfig(tools()).build(), handler).join();
            return m.turn();
        }, journal);
    }

    /**
     * A stream cut inside the call's arguments (after the 3 text pieces and 2 of the 4 argument pieces): the SDK
     * retries the whole call and feeds the new stream to the same handler, so the handler sees the text twice and
     * the tool block started twice. A client that does not start a block afresh on contentBlockStart joins
     * {@code {"city":"Paris",} and the whole input again: arguments that do not parse.
     */
    @Test
    @LlmFaultScenario(fault = Fault.STREAM_INTERRUPTED, times = 1, afterChunks = 5)
    void aStreamCutInsideTheToolCallIsReplayedIntoTheSameHandler(RequestJournal journal) {
        List<String> seen = java.util.Collections.synchronizedList(new ArrayList<>());
        ConverseStreamResponseHandler handler = ConverseStreamResponseHandler.builder()
                .subscriber(ConverseStreamResponseHandler.Visitor.builder()
                        .onContentBlockStart(e -> seen.add("start " + e.start().toolUse().name()))
                        .onContentBlockDelta(e -> seen.add(e.delta().toolUse() != null ? "input " + e.delta().toolUse().input()
                                : "text " + e.delta().text()))
                        .onMessageStop(e -> seen.add("stop " + e.stopReasonAsString()))
                        .build())
                .build();
        List<Message> messages = List.of(Message.builder().role(ConversationRole.USER)
                .content(ContentBlock.fromText("What is the weather in Paris?")).build());

        asyncClient.converseStream(ConverseStreamRequest.builder().modelId(MODEL).messages(messages).toolConfig(tools())
                .build(), handler).join();

        assertThat(journal.entries()).hasSize(2);
        List<String> once = List.of("text Let ", "text me ", "text check.", "start get_weather",
                "input {\"city\":", "input \"Paris\",");
        List<String> whole = new ArrayList<>(once);
        whole.addAll(List.of("input \"unit\":", "input \"celsius\"}", "stop tool_use"));
        List<String> expected = new ArrayList<>(once);
        expected.addAll(whole);
        assertThat(seen).containsExactlyElementsOf(expected);
        String naive = seen.stream().filter(s -> s.startsWith("input ")).map(s -> s.substring(6))
                .reduce("", String::concat);
        assertThat(naive).isEqualTo("{\"city\":\"Paris\",{\"city\":\"Paris\",\"unit\":\"celsius\"}");
    }

    private static void toolLoop(Function<List<Message>, Turn> send, RequestJournal journal) {
        List<Message> messages = new ArrayList<>(List.of(Message.builder().role(ConversationRole.USER)
                .content(ContentBlock.fromText("What is the weather in Paris?")).build()));

        Turn first = send.apply(messages);

        assertThat(first.stop()).isEqualTo(StopReason.TOOL_USE);
        List<ContentBlock> content = first.message().content();
        assertThat(content).hasSize(2);
        assertThat(content.get(0).text()).isEqualTo("Let me check.");
        ToolUseBlock call = content.get(1).toolUse();
        assertThat(call.toolUseId()).matches("tooluse_[0-9A-Za-z]{22}");
        assertThat(call.name()).isEqualTo("get_weather");
        assertThat(call.input()).isEqualTo(WEATHER);

        messages.add(first.message());
        messages.add(Message.builder().role(ConversationRole.USER).content(ContentBlock.fromToolResult(r -> r
                .toolUseId(call.toolUseId()).content(ToolResultContentBlock.fromText("18°C")))).build());
        Turn second = send.apply(messages);

        assertThat(second.stop()).isEqualTo(StopReason.END_TURN);
        assertThat(second.message().content()).singleElement()
                .satisfies(b -> assertThat(b.text()).isEqualTo("It is 18°C in Paris."));
        Conversation sent = journal.entries().get(1).conversation();
        assertThat(sent.turn()).isEqualTo(2);
        assertThat(sent.toolResult(call.toolUseId())).map(Conversation.Message::text).hasValue("18°C");
    }

    private static ToolConfiguration tools() {
        Document string = Document.mapBuilder().putString("type", "string").build();
        Document schema = Document.mapBuilder().putString("type", "object")
                .putDocument("properties", Document.mapBuilder().putDocument("city", string).putDocument("unit", string).build())
                .build();
        return ToolConfiguration.builder().tools(Tool.fromToolSpec(s -> s.name("get_weather")
                .description("The weather in a city").inputSchema(ToolInputSchema.fromJson(schema)))).build();
    }

    /** A streamed assistant message put together as a client does: blocks by index, tool input pieces joined. */
    private static final class StreamedMessage {
        private final Map<Integer, String[]> blocks = new LinkedHashMap<>();
        private StopReason stop;

        synchronized void start(int index, String toolUseId, String name) {
            blocks.put(index, new String[] {toolUseId, name, ""});
        }

        synchronized void delta(int index, String piece) {
            blocks.computeIfAbsent(index, i -> new String[] {null, null, ""})[2] += piece;
        }

        synchronized void stop(StopReason reason) {
            stop = reason;
        }

        synchronized Turn turn() {
            List<ContentBlock> content = new ArrayList<>();
            for (String[] b : blocks.values()) {
                content.add(b[0] == null ? ContentBlock.fromText(b[2])
                        : ContentBlock.fromToolUse(t -> t.toolUseId(b[0]).name(b[1]).input(document(b[2]))));
            }
            return new Turn(Message.builder().role(ConversationRole.ASSISTANT).content(content).build(), stop);
        }

        /** The joined input pieces (flat string values here) as the Document the SDK wants back. */
        private static Document document(String json) {
            try {
                Map<String, String> values = new ObjectMapper().readValue(json, new TypeReference<Map<String, String>>() { });
                Document.MapBuilder map = Document.mapBuilder();
                values.forEach(map::putString);
                return map.build();
            } catch (java.io.IOException e) {
                throw new AssertionError("the streamed tool input is not JSON: " + json, e);
            }
        }
    }
}
