package dev.llmfault.server.internal.aws;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

/**
 * Writes AWS event-stream messages ({@code application/vnd.amazon.eventstream}), the binary framing of
 * Bedrock's {@code converse-stream} and {@code invoke-with-response-stream}: a prelude (total length,
 * headers length, CRC32 of those 8 bytes), the headers, the payload, and a CRC32 of everything before it.
 * Only string headers (type 7) are written, the only kind Bedrock's events carry.
 *
 * <pre>{@code
 * byte[] frame = EventStreamEncoder.event("contentBlockDelta",
 *         "{\"contentBlockIndex\":0,\"delta\":{\"text\":\"Hi\"}}".getBytes(UTF_8));
 * }</pre>
 *
 * <p>Checked by decoding with the AWS SDK's own {@code software.amazon.awssdk.eventstream.MessageDecoder}.
 */
public final class EventStreamEncoder {
    /** The largest message the AWS decoders accept (16 MiB). */
    public static final int MAX_MESSAGE_BYTES = 16 * 1024 * 1024;
    /** The content type of a response made of event-stream messages. */
    public static final String CONTENT_TYPE = "application/vnd.amazon.eventstream";

    private static final int PRELUDE_BYTES = 12;
    private static final int CRC_BYTES = 4;
    private static final byte STRING_TYPE = 7;

    private EventStreamEncoder() {
    }

    /** A modelled event ({@code :message-type event}) with a JSON payload. */
    public static byte[] event(String eventType, byte[] json) {
        return typed(":event-type", eventType, "event", json);
    }

    /**
     * A modelled exception inside the stream ({@code :message-type exception}), such as
     * {@code modelStreamErrorException}: the SDK raises the exception the {@code :exception-type} names.
     */
    public static byte[] exception(String exceptionType, byte[] json) {
        return typed(":exception-type", exceptionType, "exception", json);
    }

    /** The three headers every Bedrock message carries, in the order Bedrock sends them. */
    private static byte[] typed(String typeHeader, String type, String messageType, byte[] json) {
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put(typeHeader, type);
        headers.put(":content-type", "application/json");
        headers.put(":message-type", messageType);
        return encode(headers, json);
    }

    /** One message with string headers, in the order given. */
    public static byte[] encode(Map<String, String> headers, byte[] payload) {
        byte[] encodedHeaders = headers(headers);
        long total = (long) PRELUDE_BYTES + encodedHeaders.length + payload.length + CRC_BYTES;
        if (total > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("event-stream message of " + total + " bytes exceeds the limit of "
                    + MAX_MESSAGE_BYTES + " bytes");
        }
        ByteBuffer out = ByteBuffer.allocate((int) total);
        out.putInt((int) total);
        out.putInt(encodedHeaders.length);
        out.putInt(crc(out.array(), 0, 8));
        out.put(encodedHeaders);
        out.put(payload);
        out.putInt(crc(out.array(), 0, out.position()));
        return out.array();
    }

    private static byte[] headers(Map<String, String> headers) {
        int size = 0;
        Map<byte[], byte[]> encoded = new LinkedHashMap<>();
        for (Map.Entry<String, String> h : headers.entrySet()) {
            byte[] name = h.getKey().getBytes(StandardCharsets.UTF_8);
            byte[] value = h.getValue().getBytes(StandardCharsets.UTF_8);
            if (name.length == 0 || name.length > 255) {
                throw new IllegalArgumentException("event-stream header name '" + h.getKey()
                        + "' must be 1 to 255 bytes long");
            }
            if (value.length > Short.MAX_VALUE) {
                throw new IllegalArgumentException("event-stream header '" + h.getKey() + "' has a value of "
                        + value.length + " bytes, more than " + Short.MAX_VALUE);
            }
            encoded.put(name, value);
            size += 1 + name.length + 1 + 2 + value.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        encoded.forEach((name, value) -> {
            out.put((byte) name.length);
            out.put(name);
            out.put(STRING_TYPE);
            out.putShort((short) value.length);
            out.put(value);
        });
        return out.array();
    }

    private static int crc(byte[] bytes, int from, int length) {
        CRC32 crc = new CRC32();
        crc.update(bytes, from, length);
        return (int) crc.getValue();
    }
}
