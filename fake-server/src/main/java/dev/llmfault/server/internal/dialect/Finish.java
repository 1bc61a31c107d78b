package dev.llmfault.server.internal.dialect;

/**
 * Why the fake model stopped, in no provider's words; each dialect names it its own way (OpenAI
 * {@code finish_reason: "length"}, Anthropic {@code stop_reason: "max_tokens"}, Gemini {@code MAX_TOKENS},
 * Bedrock {@code stopReason: "max_tokens"}, the Responses API {@code status: "incomplete"}).
 *
 * <pre>{@code
 * String reason = switch (answer.finish()) { case STOP -> "stop"; case LENGTH -> "length"; ... };
 * }</pre>
 */
public enum Finish {
    /** The answer is complete. */
    STOP,
    /** The answer stopped at the token limit, maybe mid-word or mid-JSON. */
    LENGTH,
    /** The model asks the caller to run tools and send their results. */
    TOOL_CALLS,
    /** The provider's content filter withheld or cut the answer. */
    CONTENT_FILTER
}
