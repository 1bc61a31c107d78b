package dev.llmfault.server.internal.dialect;

/**
 * The rate-limit state an answer reports in the provider's headers. Values are coherent: an injected
 * RATE_LIMITED reports 0 remaining and a reset equal to the retry hint; an emulated policy reports its
 * real counters.
 *
 * @param retryAfterMs the retry hint, or -1 for none
 */
public record Throttle(long requestLimit, long requestsRemaining, long requestsResetMs,
                       long tokenLimit, long tokensRemaining, long tokensResetMs, long retryAfterMs) {

    /** Defaults of a generous account with nothing used. */
    public static final long DEFAULT_REQUEST_LIMIT = 10_000;
    public static final long DEFAULT_TOKEN_LIMIT = 2_000_000;

    /** What a lenient server reports: the default limits with nothing used. */
    public static Throttle unlimited() {
        return new Throttle(DEFAULT_REQUEST_LIMIT, DEFAULT_REQUEST_LIMIT, 0,
                DEFAULT_TOKEN_LIMIT, DEFAULT_TOKEN_LIMIT, 0, -1);
    }

    /** What an injected RATE_LIMITED reports: requests used up until the retry hint. */
    public static Throttle exhausted(long retryAfterMs) {
        return new Throttle(DEFAULT_REQUEST_LIMIT, 0, retryAfterMs, DEFAULT_TOKEN_LIMIT, DEFAULT_TOKEN_LIMIT, 0,
                retryAfterMs);
    }

    /** The same state with another retry hint (-1 for none). */
    public Throttle withRetryAfter(long ms) {
        return new Throttle(requestLimit, requestsRemaining, requestsResetMs, tokenLimit, tokensRemaining, tokensResetMs, ms);
    }

    /** Retry-After in whole seconds, rounded up (the header's unit). */
    public long retryAfterSeconds() {
        return (retryAfterMs + 999) / 1000;
    }
}
