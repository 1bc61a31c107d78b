package dev.llmfault.server.internal.http;

import dev.llmfault.server.internal.dialect.Delta;
import dev.llmfault.server.internal.dialect.Reply;
import dev.llmfault.server.internal.dialect.StreamFramer;

import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * What a stream writes and when: steps of (delay, bytes), built from a dialect's framer and the reply's
 * content deltas, and how it ends (completes, or is cut). Stream faults count content deltas, never wire
 * frames, so {@code afterChunks: 2} shows the same two pieces of text on every provider. Nothing here
 * waits: {@link #steps} hands the steps to a {@link PacedAnswer}, which schedules the delays on the server's
 * timer. A stall is a step that never comes ({@link PacedAnswer#HOLD}): see {@link #stalled}.
 *
 * <pre>{@code
 * StreamScript script = StreamScript.cut(framer, reply, 2, firstDelayMs, chunkDelayMs);
 * PacedAnswer.play(ctx, pacer, exchange, script.steps(out, journal), script.ending());
 * // opening frames + "Hello " + "from " ... then the connection is cut
 * }</pre>
 */
final class StreamScript {

    /** Bytes to write after a delay. */
    record Step(long delayMs, byte[] bytes) {
    }

    private final List<Step> steps;
    /** Whether the last step ends the answer (the journal is written just before it). */
    private final boolean ends;
    private final PacedAnswer.Ending ending;

    private StreamScript(List<Step> steps, boolean ends, PacedAnswer.Ending ending) {
        this.steps = steps;
        this.ends = ends;
        this.ending = ending;
    }

    /** The whole stream: opening frames with the first delta, each further delta after its delay, then closing. */
    static StreamScript whole(StreamFramer framer, Reply reply, long firstDelayMs, long chunkDelayMs) {
        List<Step> steps = content(framer, reply, Integer.MAX_VALUE, firstDelayMs, chunkDelayMs);
        steps.add(new Step(0, concat(framer.closing())));
        return new StreamScript(steps, true, PacedAnswer.Ending.COMPLETE);
    }

    /** Opening frames and the first {@code deltas} content deltas, no closing: the caller then cuts the connection. */
    static StreamScript cut(StreamFramer framer, Reply reply, int deltas, long firstDelayMs, long chunkDelayMs) {
        return new StreamScript(content(framer, reply, deltas, firstDelayMs, chunkDelayMs), false, PacedAnswer.Ending.CUT);
    }

    /**
     * Opening frames and the first {@code deltas} content deltas, then nothing, ever: the stream stalls with
     * its connection open until the client gives up (journaled then) or the server stops.
     */
    static StreamScript stalled(StreamFramer framer, Reply reply, int deltas, long firstDelayMs, long chunkDelayMs) {
        List<Step> steps = content(framer, reply, deltas, firstDelayMs, chunkDelayMs);
        steps.add(new Step(PacedAnswer.HOLD, new byte[0]));
        return new StreamScript(steps, false, PacedAnswer.Ending.CUT);
    }

    /**
     * Opening frames, the first {@code deltas} content deltas, then the provider's error frame, framed after the
     * content (a framer may number its frames).
     */
    static StreamScript failed(StreamFramer framer, Reply reply, int deltas, Supplier<byte[]> error, long firstDelayMs,
                               long chunkDelayMs) {
        List<Step> steps = content(framer, reply, deltas, firstDelayMs, chunkDelayMs);
        steps.add(new Step(chunkDelayMs, error.get()));
        return new StreamScript(steps, true, PacedAnswer.Ending.COMPLETE);
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
     * The steps as writes on {@code out}, each flushed. {@code beforeLast} runs just before the last write of
     * a stream that ends, and not at all for one that will be cut (the cut journals it).
     */
    List<PacedAnswer.Step> steps(OutputStream out, Runnable beforeLast) {
        List<PacedAnswer.Step> writes = new ArrayList<>(steps.size());
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            boolean last = ends && i == steps.size() - 1;
            writes.add(new PacedAnswer.Step(step.delayMs(), () -> {
                if (last) {
                    beforeLast.run();
                }
                if (step.bytes().length > 0) {
                    out.write(step.bytes());
                }
                out.flush();
            }));
        }
        return writes;
    }

    /** How the stream ends once its steps ran. */
    PacedAnswer.Ending ending() {
        return ending;
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
}
