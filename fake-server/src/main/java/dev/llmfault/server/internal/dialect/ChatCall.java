package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * A validated model call, read by its dialect from the request's own shape.
 *
 * @param body            the request body (null for a call without one)
 * @param route           the route and its path parameters
 * @param model           the model named by the body or the path
 * @param stream          whether the answer is streamed (from the body, the path or the query)
 * @param includeUsage    whether a stream ends with a usage frame (OpenAI's {@code stream_options.include_usage})
 * @param promptTokens    estimated from the text of the request (see {@link TokenCounter})
 * @param reservedTokens  the output tokens the request reserves ({@code max_tokens} or its equivalent), 0 if none
 */
public record ChatCall(JsonNode body, RouteMatch route, String model, boolean stream, boolean includeUsage,
                       int promptTokens, int reservedTokens) {
}
