package dev.llmfault.server.internal.dialect;

/**
 * One piece of a streamed answer's content, before any framing. A stream is opening frames, content deltas,
 * closing frames; stream faults count deltas ({@code afterChunks: 2} lets two pieces of text through on
 * every provider), whatever number of wire frames a dialect needs around them.
 *
 * <pre>{@code
 * framer.delta(new Delta.Text("Hello "))
 * }</pre>
 */
public sealed interface Delta {

    /**
     * The text of a text delta. Java 17 has no exhaustive switch over a sealed type: when a kind of delta is
     * added (tool-call arguments), this fails loudly in every dialect that has not learnt it yet.
     */
    static String text(Delta d) {
        if (d instanceof Text t) {
            return t.text();
        }
        throw new IllegalArgumentException("this dialect cannot frame a " + d.getClass().getSimpleName());
    }

    /** A piece of the answer's text. */
    record Text(String text) implements Delta {
    }

    /**
     * The start of a tool call: its position among the answer's calls, its id and the tool's name. Its
     * arguments follow as {@link ToolArguments} pieces. Not content on its own: {@code afterChunks} counts the
     * argument pieces, which reach the caller.
     */
    record ToolCallStart(int index, String id, String name) implements Delta {
    }

    /** A piece of a tool call's argument JSON (not valid JSON on its own: a client joins the pieces). */
    record ToolArguments(int index, String fragment) implements Delta {
    }

    /** Whether a stream fault counts this delta: text and argument pieces reach the caller, a call's start does not. */
    static boolean isContent(Delta d) {
        return !(d instanceof ToolCallStart);
    }
}
