package dev.llmfault.server;

import java.time.Duration;
import java.util.Objects;
import org.apiguardian.api.API;

/**
 * Emulated rate limits and quota, counted per API key: requests and tokens per window, and a total
 * number of requests per quota period. Every answer then carries the provider's rate-limit headers with
 * the true limit, remaining and reset; an exhausted window answers RATE_LIMITED with a Retry-After equal
 * to the real time until capacity returns; an exhausted quota answers QUOTA_EXCEEDED. Exact under
 * concurrency: never more admitted than the limit in a window.
 *
 * <pre>{@code
 * server.policies().rateLimits(RateLimitPolicy.builder()
 *         .requestsPerWindow(5)
 *         .window(Duration.ofSeconds(1))
 *         .build());
 * }</pre>
 *
 * <p>Windows are fixed: a key's window opens with its first request and the next one opens at the first
 * request after it ends. Tokens of a request are its prompt tokens plus its {@code max_tokens}.
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public final class RateLimitPolicy {
    private final Integer requestsPerWindow;
    private final Integer tokensPerWindow;
    private final Duration window;
    private final Integer quotaRequests;
    private final Duration quotaPeriod;

    private RateLimitPolicy(Builder b) {
        this.requestsPerWindow = b.requestsPerWindow;
        this.tokensPerWindow = b.tokensPerWindow;
        this.window = b.window;
        this.quotaRequests = b.quotaRequests;
        this.quotaPeriod = b.quotaPeriod;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Requests admitted per key and window, or null for no limit. */
    public Integer requestsPerWindow() { return requestsPerWindow; }
    /** Tokens admitted per key and window, or null for no limit. */
    public Integer tokensPerWindow() { return tokensPerWindow; }
    public Duration window() { return window; }
    /** Requests admitted per key and quota period, or null for no quota. */
    public Integer quotaRequests() { return quotaRequests; }
    public Duration quotaPeriod() { return quotaPeriod; }

    /** Builds a {@link RateLimitPolicy}; {@link #build()} names the first invalid value. */
    public static final class Builder {
        private Integer requestsPerWindow;
        private Integer tokensPerWindow;
        private Duration window = Duration.ofMinutes(1);
        private Integer quotaRequests;
        private Duration quotaPeriod = Duration.ofDays(1);

        private Builder() {
        }

        public Builder requestsPerWindow(int requests) { this.requestsPerWindow = requests; return this; }
        public Builder tokensPerWindow(int tokens) { this.tokensPerWindow = tokens; return this; }
        public Builder window(Duration window) { this.window = Objects.requireNonNull(window, "window"); return this; }
        /** A total of {@code requests} per key in each {@code period}; beyond it, QUOTA_EXCEEDED. */
        public Builder quota(int requests, Duration period) {
            this.quotaRequests = requests;
            this.quotaPeriod = Objects.requireNonNull(period, "period");
            return this;
        }

        public RateLimitPolicy build() {
            if (requestsPerWindow != null && requestsPerWindow < 1) throw invalid("requestsPerWindow", requestsPerWindow);
            if (tokensPerWindow != null && tokensPerWindow < 1) throw invalid("tokensPerWindow", tokensPerWindow);
            if (quotaRequests != null && quotaRequests < 1) throw invalid("quotaRequests", quotaRequests);
            if (window.toMillis() < 1) throw invalid("windowMs", window.toMillis());
            if (quotaPeriod.toMillis() < 1) throw invalid("quotaPeriodMs", quotaPeriod.toMillis());
            if (requestsPerWindow == null && tokensPerWindow == null && quotaRequests == null) {
                throw new IllegalArgumentException("requestsPerWindow: missing, expected at least one of "
                        + "requestsPerWindow, tokensPerWindow, quotaRequests");
            }
            return new RateLimitPolicy(this);
        }

        private static IllegalArgumentException invalid(String field, long value) {
            return new IllegalArgumentException(field + ": invalid value " + value + ", expected an integer >= 1");
        }
    }
}
