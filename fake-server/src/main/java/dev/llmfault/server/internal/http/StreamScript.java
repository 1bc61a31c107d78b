package dev.llmfault.server.internal.http;

import dev.llmfault.server.internal.dialect.Delta;
import dev.llmfault.server.internal.dialect.Reply;
import dev.llmfault.server.internal.dialect.StreamFramer;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a stream writes and when: steps of (delay, bytes), built from a dialect's framer and the reply's
 * content deltas. Stream faults count content deltas, never wire frames, so {@code afterChunks: 2} shows
 * the same two pieces of text on every provider. {@link #play} is the one place that waits.
 *
 * <pre>{@code
 * StreamScript.cut(framer, reply, 2, firstDelayMs, chunkDelayMs).play(out, journal);
 * // opening frames + "Hello " + "from " ... then the caller cuts the connection
 * }</pre>
 */
final class StreamScript {

    /** Bytes to write after a delay. */
    record Step(long delayMs, byte[] bytes) {
    }

    private final List<Step> steps;
    /** Whether the last step ends the answer (the journal is written just before it). */
    private final boolean ends;

    private StreamScript(List<Step> steps, boolean ends) {
        this.steps = steps;
        this.ends = ends;
    }

    /** The whole stream: opening frames with the first delta, each further delta after its delay, then closing. */
    static StreamScript whole(StreamFramer framer, Reply reply, long firstDelayMs, long chunkDelayMs) {
        List<Step> steps = content(framer, reply, Integer.MAX_VALUE, firstDelayMs, chunkDelayMs);
        steps.add(new Step(0, concat(framer.closing())));
        return new StreamScript(steps, true);
    }

    /** Opening frames and the first {@code deltas} content deltas, no closing: the caller then cuts the connection. */
    static StreamScript cut(StreamFramer framer, Reply reply, int deltas, long firstDelayMs, long chunkDelayMs) {
        return new StreamScript(content(framer, reply, deltas, firstDelayMs, chunkDelayMs), false);
    }

    /**
     * Opening frames, the first {@code deltas} content deltas, then the provider's error frame, framed after the
     * content (a framer may number its frames).
     */
    static StreamScript failed(StreamFramer framer, Reply reply, int deltas, Supplier<byte[]> error, long firstDelayMs,
                               long chunkDelayMs) {
        List<Step> steps = content(framer, reply, deltas, firstDelayMs, chunkDelayMs);
        steps.add(new Step(chunkDelayMs, error.get()));
        return new StreamScript(steps, true);
    }

    private static List<Step> content(StreamFramer framer, Reply reply, int maxDeltas, long firstDelayMs,
                                      long chunkDelayMs) {
        List<String> pieces = reply.chunks();
        int n = Math.max(0, Math.min(maxDeltas, pieces.size()));
        List<Step> steps = new ArrayList<>(n + 3);
        List<byte[]> first = new ArrayList<>(framer.opening());
        if (n > 0) {
            first.add(framer.delta(new Delta.Text(pieces.get(0))));
        }
        steps.add(new Step(firstDelayMs, concat(first)));
        for (int i = 1; i < n; i++) {
            steps.add(new Step(chunkDelayMs, framer.delta(new Delta.Text(pieces.get(i)))));
        }
        return steps;
    }

    /**
     * Writes each step after its delay, flushing each. {@code beforeLast} runs just before the last write of
     * a stream that ends, and not at all for one that will be cut (the cutter journals it).
     */
    void play(OutputStream out, Runnable beforeLast) throws IOException {
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            pause(step.delayMs());
            if (ends && i == steps.size() - 1) {
                beforeLast.run();
            }
            if (step.bytes().length > 0) {
                out.write(step.bytes());
            }
            out.flush();
        }
    }

    private static byte[] concat(List<byte[]> frames) {
        if (frames.size() == 1) {
            return frames.get(0);
        }
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

    /** Waits; an interrupt (the server is stopping) ends the wait at once. */
    static void pause(long ms) {
        if (ms <= 0) {
            return;
        }
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
