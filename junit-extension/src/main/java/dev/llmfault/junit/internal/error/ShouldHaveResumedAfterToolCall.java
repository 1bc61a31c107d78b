package dev.llmfault.junit.internal.error;

import dev.llmfault.junit.internal.Timeline;
import org.assertj.core.error.ErrorMessageFactory;

import java.util.List;

/** The client did not send back the result of a tool call the model made. */
public final class ShouldHaveResumedAfterToolCall extends JournalMessage {
    private ShouldHaveResumedAfterToolCall(String format, Object... arguments) {
        super(format, arguments);
    }

    public static ErrorMessageFactory shouldHaveResumedAfterToolCall(List<String> violations, Timeline timeline) {
        return new ShouldHaveResumedAfterToolCall("%nExpecting the client to go on after each answer with tool calls:"
                + " the next model call carries a result for every call, but:%n%s" + TIMELINE,
                lines(violations), timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveMetToolCall(Timeline timeline) {
        return new ShouldHaveResumedAfterToolCall("%nExpecting at least one answer with tool calls, but the model"
                + " called no tool: nothing to check. Does a reply rule answer with a tool call (@LlmReply(toolCalls ="
                + " ...)), and did its answer get through?" + TIMELINE, timeline(timeline));
    }

    public static ErrorMessageFactory shouldHaveSentToolResultFor(String callId, String asked, List<String> sent,
                                                                  Timeline timeline) {
        return new ShouldHaveResumedAfterToolCall("%nExpecting a model call to carry the result of the tool call:%n"
                + "  %s%s%nbut none did; the tool results each model call carried:%n%s" + TIMELINE,
                text(callId), text(asked), lines(sent), timeline(timeline));
    }
}
