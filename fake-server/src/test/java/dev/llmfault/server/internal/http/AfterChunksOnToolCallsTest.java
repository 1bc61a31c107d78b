package dev.llmfault.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.dialect.Answer;
import dev.llmfault.server.internal.dialect.ChatCall;
import dev.llmfault.server.internal.dialect.Delta;
import dev.llmfault.server.internal.dialect.Dialect;
import dev.llmfault.server.internal.dialect.Dialects;
import dev.llmfault.server.internal.dialect.Rendered;
import dev.llmfault.server.internal.dialect.Rendered.Event;
import dev.llmfault.server.internal.json.Json;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * {@code afterChunks: N} cuts a tool-calling answer after the same N content deltas (text and argument pieces)
 * on every provider, and the caller sees the same prefix: the text pieces and argument fragments as far as the
 * provider sends fragments (OpenAI chat and Responses, Azure, Zhipu, Anthropic, Bedrock, Cohere), the calls whose
 * arguments were complete within N where a provider sends a call only whole (Gemini, Ollama). Each provider's stream is read back as its client reads it.
 */
class AfterChunksOnToolCallsTest {

    /** How a provider's stream shows its content: the text pieces and argument pieces (or whole arguments) in order. */
    record Reader(Provider provider, String chatPattern, boolean wholeCalls, Function<byte[], List<String>> visible) {
        @Override
        public String toString() {
            return provider.name() + " " + chatPattern;
        }
    }

    static Stream<Arguments> readers() {
        return Stream.of(
                chatCompletions(Provider.OPENAI, "/v1/chat/completions"),
                chatCompletions(Provider.AZURE_OPENAI, "/openai/deployments/{deployment}/chat/completions"),
                chatCompletions(Provider.ZHIPU, "/api/paas/v4/chat/completions"),
                new Reader(Provider.OPENAI, "/v1/responses", false, bytes -> {
                    List<String> out = new ArrayList<>();
                    for (Event e : Rendered.sse(bytes)) {
                        if (e.name().equals("response.output_text.delta") || e.name().equals("response.function_call_arguments.delta")) {
                            out.add(e.data().path("delta").asText());
                        }
                    }
                    return out;
                }),
                new Reader(Provider.ANTHROPIC, "/v1/messages", false, bytes -> pieces(Rendered.sse(bytes), "content_block_delta",
                        e -> e.path("delta").path(e.path("delta").has("text") ? "text" : "partial_json").asText())),
                new Reader(Provider.BEDROCK, "/model/{modelId}/converse-stream", false, bytes -> pieces(Rendered.eventStream(bytes),
                        "contentBlockDelta", e -> e.path("delta").has("toolUse") ? e.path("delta").path("toolUse").path("input").asText()
                                : e.path("delta").path("text").asText())),
                new Reader(Provider.COHERE, "/v2/chat", false, bytes -> {
                    List<String> out = new ArrayList<>();
                    for (Event e : Rendered.sse(bytes)) {
                        JsonNode m = e.data().path("delta").path("message");
                        switch (e.name()) {
                            case "content-delta" -> out.add(m.path("content").path("text").asText());
                            case "tool-plan-delta" -> out.add(m.path("tool_plan").asText());
                            case "tool-call-delta" -> out.add(m.path("tool_calls").path("function").path("arguments").asText());
                            default -> { }
                        }
                    }
                    return out;
                }),
                new Reader(Provider.GEMINI, "/v1beta/models/{model}:streamGenerateContent", true, bytes -> {
                    List<String> out = new ArrayList<>();
                    for (Event e : Rendered.sse(bytes)) {
                        JsonNode part = e.data().path("candidates").get(0).path("content").path("parts").get(0);
                        out.add(part.has("functionCall") ? Json.text(part.path("functionCall").path("args")) : part.path("text").asText());
                    }
                    return out;
                }),
                new Reader(Provider.OLLAMA, "/api/chat", true, bytes -> {
                    List<String> out = new ArrayList<>();
                    for (JsonNode line : Rendered.ndjson(bytes)) {
                        JsonNode m = line.path("message");
                        out.add(m.has("tool_calls") ? Json.text(m.path("tool_calls").get(0).path("function").path("arguments"))
                                : m.path("content").asText());
                    }
                    return out;
                })).map(Arguments::of);
    }

    /**
     * OpenAI's chunks (Azure's and Zhipu's too): a text piece in {@code delta.content}, an argument piece in
     * {@code delta.tool_calls[0].function.arguments}; a call's first chunk (its name, arguments "") shows nothing.
     */
    private static Reader chatCompletions(Provider provider, String pattern) {
        return new Reader(provider, pattern, false, bytes -> {
            List<String> out = new ArrayList<>();
            for (Event e : Rendered.sse(bytes)) {
                JsonNode delta = e.data().path("choices").path(0).path("delta");
                String text = delta.path("content").asText("");
                String args = delta.path("tool_calls").path(0).path("function").path("arguments").asText("");
                if (!text.isEmpty() || !args.isEmpty()) {
                    out.add(text.isEmpty() ? args : text);
                }
            }
            return out;
        });
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readers")
    void everyCutShowsTheSamePrefixOfTextAndArguments(Reader reader) throws Exception {
        Dialect dialect = Dialects.get().dialect(reader.provider());
        ChatCall call = Rendered.call(dialect, reader.chatPattern(), true);
        Answer answer = Rendered.twoCalls();
        long content = answer.deltas().stream().filter(Delta::isContent).count();

        for (int n = 0; n <= content; n++) {
            StreamScript script = StreamScript.cut(dialect.streamFramer(call, answer, "req-1"), answer, n, 0, 0);
            assertThat(reader.visible().apply(written(script)))
                    .as("%s after %d content deltas", reader, n)
                    .isEqualTo(expected(answer, n, reader.wholeCalls()));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("readers")
    void twoChunksOfATextAnswerShowTwoPiecesOfText(Reader reader) throws Exception {
        Dialect dialect = Dialects.get().dialect(reader.provider());
        ChatCall call = Rendered.call(dialect, reader.chatPattern(), true);
        Answer answer = Answer.of("one two three");

        StreamScript script = StreamScript.cut(dialect.streamFramer(call, answer, "req-1"), answer, 2, 0, 0);

        assertThat(reader.visible().apply(written(script))).containsExactly("one ", "two ");
    }

    /**
     * The first n content deltas as the caller sees them: every text and argument piece; where calls come whole,
     * the text pieces and the arguments of each call whose last piece is among them.
     */
    private static List<String> expected(Answer answer, int n, boolean wholeCalls) {
        List<String> out = new ArrayList<>();
        StringBuilder args = new StringBuilder();
        int counted = 0;
        List<Delta> deltas = answer.deltas();
        for (int i = 0; i < deltas.size() && counted < n; i++) {
            Delta d = deltas.get(i);
            if (d instanceof Delta.Text t) {
                out.add(t.text());
            } else if (d instanceof Delta.ToolArguments a) {
                if (!wholeCalls) {
                    out.add(a.fragment());
                } else {
                    args.append(a.fragment());
                    boolean last = i + 1 == deltas.size() || !(deltas.get(i + 1) instanceof Delta.ToolArguments);
                    if (last) {
                        out.add(Json.text(Rendered.json(args.toString())));
                        args.setLength(0);
                    }
                }
            }
            if (Delta.isContent(d)) {
                counted++;
            }
        }
        return out;
    }

    /** The piece each event of that name carries, in order. */
    private static List<String> pieces(List<Event> events, String name, Function<JsonNode, String> piece) {
        return events.stream().filter(e -> e.name().equals(name)).map(e -> piece.apply(e.data())).toList();
    }

    private static byte[] written(StreamScript script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (PacedAnswer.Step step : script.steps(out, () -> { })) {
            step.write().run();
        }
        return out.toByteArray();
    }
}
