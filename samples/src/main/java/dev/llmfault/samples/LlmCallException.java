package dev.llmfault.samples;

import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * A failed LLM call, with what the error-1200 article says to log: which of its five causes it is, the
 * HTTP status, the provider's error type, code and message, the request id, the rate-limit headers, and
 * the credential, masked. The message reads as one line a person can act on.
 *
 * <pre>{@code
 * try {
 *     client.ask("hello");
 * } catch (LlmCallException e) {
 *     if (e.errorCause() == LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN) alertOnCall(e.getMessage());
 *     log.warn("LLM call failed: {} (request {})", e.getMessage(), e.requestId());
 * }
 * }</pre>
 */
public final class LlmCallException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** The five causes of the error-1200 article, plus transient trouble that is nobody's mistake. */
    public enum Cause {
        /** 1: invalid JSON, a missing field or header, the wrong HTTP method. */
        MALFORMED_REQUEST(1),
        /** 2: a missing, invalid, expired or under-scoped credential. */
        INVALID_OR_EXPIRED_TOKEN(2),
        /** 3: a rate limit (retry later) or a quota (stop until it resets). */
        RATE_LIMIT_OR_QUOTA(3),
        /** 4: the caller's IP address or region is not allowed. */
        IP_OR_REGION_RESTRICTION(4),
        /** 5: a retired endpoint, an unknown API version or model. */
        WRONG_API_VERSION(5),
        /** Overload, server errors, timeouts, cut connections and broken streams. */
        TRANSIENT(0),
        /** A 200 whose content is unusable: cut at the token limit, filtered, or not the JSON that was asked for. */
        MODEL_OUTPUT(0);

        private final int articleNumber;

        Cause(int articleNumber) {
            this.articleNumber = articleNumber;
        }

        /** The number of the cause in the article, 0 for transient trouble. */
        public int articleNumber() {
            return articleNumber;
        }
    }

    private final Cause errorCause;
    private final int status;
    private final String errorType;
    private final String errorCode;
    private final String providerMessage;
    private final String requestId;
    private final Map<String, String> rateLimitHeaders;
    private final String keyMask;
    private final int attempts;
    private final Duration retryAfter;

    LlmCallException(Diagnosis diagnosis, int attempts, String keyMask, Throwable transportFailure) {
        super(describe(diagnosis, attempts, keyMask), transportFailure);
        this.errorCause = diagnosis.cause();
        this.status = diagnosis.status();
        this.errorType = diagnosis.errorType();
        this.errorCode = diagnosis.errorCode();
        this.providerMessage = diagnosis.message();
        this.requestId = diagnosis.requestId();
        this.rateLimitHeaders = Map.copyOf(diagnosis.rateLimitHeaders());
        this.keyMask = keyMask;
        this.attempts = attempts;
        this.retryAfter = diagnosis.retryAfter();
    }

    private static String describe(Diagnosis d, int attempts, String keyMask) {
        StringBuilder sb = new StringBuilder();
        sb.append("[cause ").append(d.cause().articleNumber()).append(' ').append(d.cause()).append("] ");
        sb.append(d.status() == 0 ? "no HTTP answer" : "HTTP " + d.status());
        if (d.errorType() != null || d.errorCode() != null) {
            sb.append(' ').append(d.errorType() == null ? "-" : d.errorType());
            sb.append('/').append(d.errorCode() == null ? "-" : d.errorCode());
        }
        sb.append(": ").append(d.message());
        sb.append(" (");
        if (d.requestId() != null) {
            sb.append("request ").append(d.requestId()).append(", ");
        }
        if (d.retryAfter() != null) {
            sb.append("retry after ").append(d.retryAfter().toMillis()).append(" ms, ");
        }
        String remaining = d.rateLimitHeaders().get("x-ratelimit-remaining-requests");
        if (remaining != null) {
            sb.append("remaining requests ").append(remaining).append(", ");
        }
        sb.append("key ").append(keyMask == null ? "none" : keyMask);
        sb.append(", ").append(attempts).append(attempts == 1 ? " attempt)" : " attempts)");
        return sb.toString();
    }

    /** Which of the article's causes this is. */
    public Cause errorCause() {
        return errorCause;
    }

    /** The HTTP status, 0 when no answer came (connection reset, timeout) or a stream broke after a 200. */
    public int status() {
        return status;
    }

    /** The provider's {@code error.type}, or null. */
    public String errorType() {
        return errorType;
    }

    /** The provider's {@code error.code} as text (numeric gateway codes such as 1200 too), or null. */
    public String errorCode() {
        return errorCode;
    }

    /** The provider's message with any credential masked. */
    public String providerMessage() {
        return providerMessage;
    }

    /** The provider's request id ({@code x-request-id}), for a support ticket. */
    public Optional<String> requestId() {
        return Optional.ofNullable(requestId);
    }

    /** The rate-limit and retry headers of the last answer, names in lower case. */
    public Map<String, String> rateLimitHeaders() {
        return new TreeMap<>(rateLimitHeaders);
    }

    /** The credential used, masked ({@code sk-te***abcd}), or null. */
    public String keyMask() {
        return keyMask;
    }

    /** How many HTTP requests the call made before giving up. */
    public int attempts() {
        return attempts;
    }

    /** The retry hint of the last answer, if it gave one. */
    public Optional<Duration> retryAfter() {
        return Optional.ofNullable(retryAfter);
    }
}
