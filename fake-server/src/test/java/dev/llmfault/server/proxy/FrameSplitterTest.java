package dev.llmfault.server.proxy;

import dev.llmfault.server.internal.proxy.FrameSplitter;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Frames are found whatever pieces the bytes arrive in. */
class FrameSplitterTest {

    private static List<String> feedInPiecesOf(FrameSplitter split, String text, int piece) {
        byte[] all = text.getBytes(StandardCharsets.UTF_8);
        List<String> frames = new ArrayList<>();
        for (int i = 0; i < all.length; i += piece) {
            byte[] part = new byte[Math.min(piece, all.length - i)];
            System.arraycopy(all, i, part, 0, part.length);
            split.feed(part, part.length).forEach(f -> frames.add(new String(f, StandardCharsets.UTF_8)));
        }
        return frames;
    }

    @Test
    void sseEventsEndAtABlankLineInAnyPieces() {
        String stream = "event: a\ndata: {\"x\":1}\n\ndata: two\r\n\r\ndata: [DONE]\n\n";
        for (int piece : new int[] {1, 3, 7, 1000}) {
            FrameSplitter split = FrameSplitter.forContentType("text/event-stream; charset=utf-8");
            assertThat(feedInPiecesOf(split, stream, piece))
                    .containsExactly("event: a\ndata: {\"x\":1}\n\n", "data: two\r\n\r\n", "data: [DONE]\n\n");
            assertThat(split.rest()).isEmpty();
        }
    }

    @Test
    void ndjsonLinesAndAnUnfinishedRest() {
        FrameSplitter split = FrameSplitter.forContentType("application/x-ndjson");
        assertThat(feedInPiecesOf(split, "{\"a\":1}\n{\"b\":2}\n{\"c\"", 4)).containsExactly("{\"a\":1}\n", "{\"b\":2}\n");
        assertThat(new String(split.rest(), StandardCharsets.UTF_8)).isEqualTo("{\"c\"");
    }

    @Test
    void awsEventStreamMessagesByTheirLengthPrelude() {
        byte[] one = message(20);
        byte[] two = message(33);
        byte[] both = new byte[one.length + two.length];
        System.arraycopy(one, 0, both, 0, one.length);
        System.arraycopy(two, 0, both, one.length, two.length);
        FrameSplitter split = FrameSplitter.forContentType("application/vnd.amazon.eventstream");
        List<byte[]> frames = new ArrayList<>(split.feed(both, 25));
        byte[] tail = new byte[both.length - 25];
        System.arraycopy(both, 25, tail, 0, tail.length);
        frames.addAll(split.feed(tail, tail.length));
        assertThat(frames).hasSize(2);
        assertThat(frames.get(0)).isEqualTo(one);
        assertThat(frames.get(1)).isEqualTo(two);
    }

    private static byte[] message(int total) {
        byte[] m = new byte[total];
        m[3] = (byte) total;
        for (int i = 4; i < total; i++) m[i] = (byte) i;
        return m;
    }

    @Test
    void aPlainBodyPassesInTheBytesItCameIn() {
        FrameSplitter split = FrameSplitter.forContentType("application/json");
        assertThat(split.framing()).isEqualTo(FrameSplitter.Framing.NONE);
        assertThat(feedInPiecesOf(split, "{\"id\":1}", 3)).containsExactly("{\"i", "d\":", "1}");
    }
}
