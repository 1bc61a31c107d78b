package dev.llmfault.server.internal.proxy;

import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Cuts a streamed answer, as it arrives in arbitrary pieces, into the provider's frames: SSE events (up to a
 * blank line), NDJSON lines, or AWS event-stream messages (length-prefixed). Whole frames are what a cut, an
 * error frame or a delta count acts on, so a fault never splits a frame in two.
 *
 * <pre>{@code
 * FrameSplitter split = FrameSplitter.forContentType("text/event-stream");
 * for (byte[] frame : split.feed(bytes, n)) { ... }
 * byte[] rest = split.rest();   // an unfinished frame when the stream ends
 * }</pre>
 */
public final class FrameSplitter {
    /** How frames are delimited. */
    public enum Framing {
        SSE, NDJSON, AWS_EVENT_STREAM,
        /** Not a stream: the body goes through in whatever pieces it arrives. */
        NONE
    }

    private final Framing framing;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

    private FrameSplitter(Framing framing) {
        this.framing = framing;
    }

    public static FrameSplitter of(Framing framing) {
        return new FrameSplitter(framing);
    }

    /** The framing of an answer with this content type. */
    public static FrameSplitter forContentType(String contentType) {
        return of(framing(contentType));
    }

    public static Framing framing(String contentType) {
        String media = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        return switch (media) {
            case "text/event-stream" -> Framing.SSE;
            case "application/x-ndjson", "application/jsonl", "application/json-seq" -> Framing.NDJSON;
            case "application/vnd.amazon.eventstream" -> Framing.AWS_EVENT_STREAM;
            default -> Framing.NONE;
        };
    }

    public Framing framing() {
        return framing;
    }

    /** Adds {@code n} bytes and returns the frames they complete, in order. */
    public List<byte[]> feed(byte[] bytes, int n) {
        List<byte[]> frames = new ArrayList<>();
        if (framing == Framing.NONE) {
            if (n > 0) {
                byte[] copy = new byte[n];
                System.arraycopy(bytes, 0, copy, 0, n);
                frames.add(copy);
            }
            return frames;
        }
        pending.write(bytes, 0, n);
        byte[] buf = pending.toByteArray();
        int start = 0;
        while (true) {
            int end = frameEnd(buf, start);
            if (end < 0) {
                break;
            }
            byte[] frame = new byte[end - start];
            System.arraycopy(buf, start, frame, 0, frame.length);
            frames.add(frame);
            start = end;
        }
        pending.reset();
        pending.write(buf, start, buf.length - start);
        return frames;
    }

    /** What is left of an unfinished frame (empty when the stream ended on a frame boundary). */
    public byte[] rest() {
        return pending.toByteArray();
    }

    /** The end (exclusive) of the frame starting at {@code from}, or -1 when it is not complete yet. */
    private int frameEnd(byte[] b, int from) {
        switch (framing) {
            case SSE -> {
                // An event ends at a blank line: \n\n, \r\n\r\n (or \r\r).
                for (int i = from; i < b.length - 1; i++) {
                    if (b[i] == '\n' && b[i + 1] == '\n') return i + 2;
                    if (b[i] == '\r' && b[i + 1] == '\r') return i + 2;
                    if (i + 3 < b.length && b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i + 4;
                }
                return -1;
            }
            case NDJSON -> {
                for (int i = from; i < b.length; i++) {
                    if (b[i] == '\n') return i + 1;
                }
                return -1;
            }
            case AWS_EVENT_STREAM -> {
                if (b.length - from < 4) return -1;
                long total = ((b[from] & 0xffL) << 24) | ((b[from + 1] & 0xffL) << 16) | ((b[from + 2] & 0xffL) << 8) | (b[from + 3] & 0xffL);
                if (total < 16) return from + (int) Math.min(b.length - from, 4); // broken prelude: pass it on as is
                return b.length - from >= total ? from + (int) total : -1;
            }
            default -> {
                return -1;
            }
        }
    }
}
