package dev.llmfault.samples;

import java.time.Duration;
import java.util.Map;

/**
 * What one failed attempt says: the cause, whether the same request may be sent again, and the
 * diagnostics the provider gave. Built by {@link ErrorClassifier}.
 *
 * <pre>{@code
 * Diagnosis d = ErrorClassifier.diagnose(429, headers::get, body);
 * if (d.retryable()) sleep(backoff.delayBefore(retry, Optional.ofNullable(d.retryAfter())));
 * }</pre>
 *
 * @param cause            which of the article's causes
 * @param retryable        whether the same request may be sent again after a wait
 * @param tokenExpired     whether the credential expired (worth one refresh and replay)
 * @param status           the HTTP status, 0 without an answer
 * @param errorType        the provider's {@code error.type}, or null
 * @param errorCode        the provider's {@code error.code} as text, or null
 * @param message          the provider's message (or the transport failure), credentials not yet scrubbed
 * @param requestId        the provider's request id, or null
 * @param rateLimitHeaders rate-limit and retry headers, lower-case names
 * @param retryAfter       the retry hint, or null
 */
public record Diagnosis(LlmCallException.Cause cause, boolean retryable, boolean tokenExpired, int status,
                        String errorType, String errorCode, String message, String requestId,
                        Map<String, String> rateLimitHeaders, Duration retryAfter) {

    public Diagnosis {
        rateLimitHeaders = Map.copyOf(rateLimitHeaders);
    }

    /** The same diagnosis with its message passed through {@code scrub} (to mask credentials). */
    Diagnosis withMessage(String newMessage) {
        return new Diagnosis(cause, retryable, tokenExpired, status, errorType, errorCode, newMessage, requestId,
                rateLimitHeaders, retryAfter);
    }

    /** The same diagnosis, not to be retried (a broken stream after text reached the caller). */
    Diagnosis notRetryable() {
        return new Diagnosis(cause, false, tokenExpired, status, errorType, errorCode, message, requestId,
                rateLimitHeaders, retryAfter);
    }
}
