package dev.llmfault.server.internal.http;

import dev.llmfault.server.internal.dialect.Delta;
import dev.llmfault.server.internal.dialect.Answer;
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
    static StreamScript whole(StreamFramer framer, Answer reply, long firstDelayMs, long chunkDelayMs) {
        List<Step> steps = content(framer, reply, Integer.MAX_VALUE, firstDelayMs, chunkDelayMs);
        steps.add(new Step(0, concat(framer.closing())));
        return new StreamScript(steps, true, PacedAnswer.Ending.COMPLETE);
    }

    /** Opening frames and the first {@code deltas} content deltas, no closing: the caller then cuts the connection. */
    static StreamScript cut(StreamFramer framer, Answer reply, int deltas, long firstDelayMs, long chunkDelayMs) {
        return new StreamScript(content(framer, reply, deltas, firstDelayMs, chunkDelayMs), false, PacedAnswer.Ending.CUT);
    }

    /**
     * Opening frames and the first {@code deltas} content deltas, then nothing for {@code holdMs}
     * ({@link PacedAnswer#HOLD}: ever): the stream stalls with its connection open until the client gives up
     * (journaled then), the hold is over (the connection is cut) or the server stops.
     */
    static StreamScript stalled(StreamFramer framer, Answer reply, int deltas, long firstDelayMs, long chunkDelayMs,
                                long holdMs) {
        List<Step> steps = content(framer, reply, deltas, firstDelayMs, chunkDelayMs);
        steps.add(new Step(holdMs, new byte[0]));
        return new StreamScript(steps, false, PacedAnswer.Ending.CUT);
    }

    /**
     * Opening frames, the first {@code deltas} content deltas, then the provider's error frame, framed after the
     * content (a framer may number its frames).
     */
    static StreamScript failed(StreamFramer framer, Answer reply, int deltas, Supplier<byte[]> error, long firstDelayMs,
                               long chunkDelayMs) {
        List<Step> steps = content(framer, reply, deltas, firstDelayMs, chunkDelayMs);
        steps.add(new Step(chunkDelayMs, error.get()));
        return new StreamScript(steps, true, PacedAnswer.Ending.COMPLETE);
    }

    /**
     * The opening frames with the first delta after {@code firstDelayMs}, then each further delta after
     * {@code chunkDelayMs}, up to {@code maxDeltas} content deltas: a tool call's start travels with the
     * argument piece after it, so a cut never leaves a call with a name and no arguments counted.
     */
    private static List<Step> content(StreamFramer framer, Answer answer, int maxDeltas, long firstDelayMs,
                                      long chunkDelayMs) {
        List<Delta> deltas = answer.deltas();
        List<Step> steps = new ArrayList<>(Math.min(deltas.size(), Math.max(maxDeltas, 0)) + 3);
        List<byte[]> pending = new ArrayList<>(framer.opening());
        int counted = 0;
        for (Delta d : deltas) {
            if (Delta.isContent(d) && counted >= maxDeltas) {
                break;
            }
            pending.add(framer.delta(d));
            if (Delta.isContent(d)) {
                counted++;
                steps.add(new Step(steps.isEmpty() ? firstDelayMs : chunkDelayMs, concat(pending)));
                pending = new ArrayList<>(2);
            }
        }
        if (steps.isEmpty()) {
            steps.add(new Step(firstDelayMs, concat(pending)));
        } else if (!pending.isEmpty()) {
            steps.add(new Step(chunkDelayMs, concat(pending)));
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
        if (frames.isEmpty()) {
            return new byte[0];
        }
        return frames.size() == 1 ? frames.get(0) : StreamFramer.concat(frames.toArray(new byte[0][]));
    }
}
