package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** After a fault the client dropped or re-ran a tool call whose result it already had. */
public final class ShouldNotHaveRepeatedCompletedToolCalls extends JournalMessage {
    private ShouldNotHaveRepeatedCompletedToolCalls(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldNotHaveRepeatedCompletedToolCalls(List<String> violations,
                                                                             Timeline timeline) {
        return new ShouldNotHaveRepeatedCompletedToolCalls("%nExpecting the client to keep the result of every tool"
                + " call it completed before a fault (every later model call carries it once, so the model is not"
                + " asked for the tool again and the tool does not run twice), but:%n%s" + TIMELINE,
                lines(violations), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveMetFaultAfterToolResult(Timeline timeline) {
        return new ShouldNotHaveRepeatedCompletedToolCalls("%nExpecting a fault after a model call that carried a"
                + " tool result, and a model call after that fault, but there was none: nothing to check. Did the"
                + " scenario fire after the tool result was sent (@LlmFaultScenario(match = ..., afterRequests = ...))?"
                + TIMELINE, timeline(timeline));
    }
}
