package dev.llmfault.server.internal.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.internal.dialect.Answer;
import dev.llmfault.server.internal.dialect.Delta;
import dev.llmfault.server.internal.dialect.StreamFramer;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What a stream writes, step by step, with a framer that writes each delta as one readable line. */
class StreamScriptTest {

    private static final StreamFramer LINES = new StreamFramer() {
        @Override
        public List<byte[]> opening() {
            return List.of(bytes("open\n"));
        }

        @Override
        public byte[] delta(Delta d) {
            if (d instanceof Delta.Text t) {
                return bytes("text " + t.text() + "\n");
            }
            if (d instanceof Delta.ToolCallStart s) {
                return bytes("call " + s.index() + " " + s.name() + "\n");
            }
            return bytes("args " + ((Delta.ToolArguments) d).fragment() + "\n");
        }

        @Override
        public List<byte[]> closing() {
            return List.of(bytes("close\n"));
        }

        @Override
        public byte[] error(Rendering rendering, String message) {
            return bytes("error\n");
        }
    };

    @Test
    void aCutAfterTwoDeltasShowsTwoPiecesOfText() throws Exception {
        List<String> writes = writes(StreamScript.cut(LINES, Answer.of("one two three"), 2, 0, 0));
        assertThat(writes).containsExactly("open\ntext one \n", "text two \n");
    }

    @Test
    void aToolCallsStartTravelsWithItsFirstArgumentPieceAndIsNotCounted() throws Exception {
        var args = JsonNodeFactory.instance.objectNode().put("city", "Paris").put("unit", "c");
        Answer answer = Answer.toolCalls("", List.of(new Conversation.ToolCall("call_1", "get_weather", args)));
        List<String> writes = writes(StreamScript.cut(LINES, answer, 2, 0, 0));
        assertThat(writes).containsExactly("open\ncall 0 get_weather\nargs {\"city\":\n", "args \"Paris\",\n");
    }

    @Test
    void noDeltaAtAllStillWritesTheOpening() throws Exception {
        assertThat(writes(StreamScript.cut(LINES, Answer.of("one two"), 0, 0, 0))).containsExactly("open\n");
    }

    @Test
    void aWholeStreamEndsWithTheClosingFrames() throws Exception {
        List<String> writes = writes(StreamScript.whole(LINES, Answer.of("one two"), 0, 0));
        assertThat(writes).containsExactly("open\ntext one \n", "text two\n", "close\n");
    }

    private static List<String> writes(StreamScript script) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        List<String> writes = new java.util.ArrayList<>();
        for (PacedAnswer.Step step : script.steps(out, () -> { })) {
            out.reset();
            step.write().run();
            writes.add(out.toString(StandardCharsets.UTF_8));
        }
        return writes;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
