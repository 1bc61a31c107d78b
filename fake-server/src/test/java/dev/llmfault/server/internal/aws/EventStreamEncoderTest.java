package dev.llmfault.server.internal.aws;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Our event-stream frames, read back by the AWS SDK's own decoder, which checks both CRCs. */
class EventStreamEncoderTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static List<Message> decode(byte[]... frames) {
        MessageDecoder decoder = new MessageDecoder();
        for (byte[] frame : frames) {
            decoder.feed(frame);
        }
        return decoder.getDecodedMessages();
    }

    private static Map<String, String> headers(Message m) {
        Map<String, String> out = new LinkedHashMap<>();
        m.getHeaders().forEach((name, value) -> out.put(name, value.getString()));
        return out;
    }

    @Test
    void anEventDecodesWithItsHeadersAndPayload() {
        byte[] payload = utf8("{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi ✓\"}}");

        Message m = decode(EventStreamEncoder.event("contentBlockDelta", payload)).get(0);

        assertThat(headers(m)).containsExactly(
                Map.entry(":event-type", "contentBlockDelta"),
                Map.entry(":content-type", "application/json"),
                Map.entry(":message-type", "event"));
        assertThat(m.getPayload()).isEqualTo(payload);
    }

    @Test
    void anExceptionNamesItsTypeInTheExceptionTypeHeader() {
        Message m = decode(EventStreamEncoder.exception("modelStreamErrorException", utf8("{\"message\":\"x\"}"))).get(0);

        assertThat(headers(m)).containsEntry(":exception-type", "modelStreamErrorException")
                .containsEntry(":message-type", "exception");
    }

    @Test
    void framesMatchTheSdkEncoderByteForByte() throws Exception {
        Map<String, software.amazon.awssdk.eventstream.HeaderValue> sdkHeaders = new LinkedHashMap<>();
        sdkHeaders.put(":event-type", software.amazon.awssdk.eventstream.HeaderValue.fromString("messageStop"));
        sdkHeaders.put(":content-type", software.amazon.awssdk.eventstream.HeaderValue.fromString("application/json"));
        sdkHeaders.put(":message-type", software.amazon.awssdk.eventstream.HeaderValue.fromString("event"));
        byte[] payload = utf8("{\"stopReason\":\"end_turn\"}");
        ByteArrayOutputStream sdk = new ByteArrayOutputStream();
        new Message(sdkHeaders, payload).encode(sdk);

        assertThat(EventStreamEncoder.event("messageStop", payload)).isEqualTo(sdk.toByteArray());
    }

    @Test
    void framesSplitAnywhereReassemble() {
        byte[] a = EventStreamEncoder.event("messageStart", utf8("{\"role\":\"assistant\"}"));
        byte[] b = EventStreamEncoder.event("messageStop", new byte[0]);
        byte[] both = ByteBuffer.allocate(a.length + b.length).put(a).put(b).array();
        for (int split = 1; split < both.length; split++) {
            MessageDecoder decoder = new MessageDecoder();
            decoder.feed(both, 0, split);
            decoder.feed(both, split, both.length - split);

            assertThat(decoder.getDecodedMessages()).as("split at %d", split).hasSize(2);
        }
    }

    @Test
    void aCorruptedByteFailsTheSdkCrcCheck() {
        byte[] frame = EventStreamEncoder.event("messageStop", utf8("{\"stopReason\":\"end_turn\"}"));
        frame[frame.length - 6] ^= 1; // in the payload: only the message CRC can tell

        assertThatThrownBy(() -> decode(frame)).hasMessageContaining("Message checksum failure");
    }

    @Test
    void refusesHeadersTheFormatCannotCarry() {
        assertThatThrownBy(() -> EventStreamEncoder.encode(Map.of("x".repeat(256), "v"), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 to 255 bytes");
        assertThatThrownBy(() -> EventStreamEncoder.encode(Map.of("h", "v".repeat(40_000)), new byte[0]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("40000 bytes");
        assertThatThrownBy(() -> EventStreamEncoder.encode(Map.of(), new byte[EventStreamEncoder.MAX_MESSAGE_BYTES]))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("exceeds the limit");
    }
}
