package dev.llmfault.server.internal.dialect;

import dev.llmfault.server.internal.catalogue.Rendering;

import java.util.List;

/**
 * Frames one streamed answer in a dialect's wire format: SSE events, NDJSON lines, binary event-stream
 * messages. Made per stream, so it may count (sequence numbers, byte offsets). The responder decides
 * what is written and when (delays, cuts); the framer only knows how it looks.
 *
 * <pre>{@code
 * StreamFramer f = dialect.streamFramer(call, reply, requestId);
 * out.write(f.opening()); for (Delta d : deltas) out.write(f.delta(d)); out.write(f.closing());
 * }</pre>
 */
public interface StreamFramer {

    /** The frames before any content (OpenAI's role delta, Anthropic's message_start ... ping); may be empty. */
    List<byte[]> opening();

    /**
     * One delta as its wire frames: usually one; none for a piece the provider does not send on its own (see
     * {@link WholeCalls}); two when a tool call's start also ends the block before it.
     */
    byte[] delta(Delta delta);

    /** The frames after the content, terminal event included ({@code [DONE]}, {@code message_stop}). */
    List<byte[]> closing();

    /** The provider's mid-stream error frame, rendered from the catalogue's STREAM_ERROR row. */
    byte[] error(Rendering rendering, String message);

    /** Frames written together, as one byte array. */
    static byte[] concat(byte[]... frames) {
        int size = 0;
        for (byte[] f : frames) {
            size += f.length;
        }
        byte[] all = new byte[size];
        int at = 0;
        for (byte[] f : frames) {
            System.arraycopy(f, 0, all, at, f.length);
            at += f.length;
        }
        return all;
    }
}
