package dev.llmfault.server.internal.policy;

import dev.llmfault.server.internal.engine.RequestFacts;
import dev.llmfault.server.Fault;
import dev.llmfault.server.RateLimitPolicy;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Vars;
import dev.llmfault.server.internal.dialect.Rejection;
import dev.llmfault.server.internal.dialect.Throttle;

import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;

/**
 * Applies a {@link RateLimitPolicy} with one bucket per API key (the tokens of one OAuth client secret share
 * its bucket: see {@link RequestFacts#keyScope()}). Each bucket decides under its own lock,
 * so a window of 5 admits exactly 5 requests however many clients race for it.
 */
final class RateLimiter {
    private static final String ANONYMOUS = "anonymous";

    private final RateLimitPolicy policy;
    private final LongSupplier clock;
    private final ConcurrentHashMap<String, Bucket> buckets = new ConcurrentHashMap<>();

    RateLimiter(RateLimitPolicy policy, LongSupplier nanoClock) {
        this.policy = policy;
        this.clock = nanoClock;
    }

    RateLimitPolicy policy() {
        return policy;
    }

    Verdict admit(RequestFacts r) {
        // a refreshed token shares its owner's bucket: the provider limits the account, not each token it issued
        String key = r.keyScope() == null ? ANONYMOUS : r.keyScope();
        return buckets.computeIfAbsent(key, k -> new Bucket()).admit(clock.getAsLong(), r.requestTokens(), r.model());
    }

    private final class Bucket {
        private long windowStart = Long.MIN_VALUE;
        private long quotaStart = Long.MIN_VALUE;
        private long requests;
        private long tokens;
        private long quotaUsed;

        synchronized Verdict admit(long now, int requestTokens, String model) {
            long window = policy.window().toNanos();
            if (windowStart == Long.MIN_VALUE || now - windowStart >= window) {
                windowStart = now;
                requests = 0;
                tokens = 0;
            }
            long period = policy.quotaPeriod().toNanos();
            if (quotaStart == Long.MIN_VALUE || now - quotaStart >= period) {
                quotaStart = now;
                quotaUsed = 0;
            }
            long resetMs = ceilMillis(windowStart + window - now);
            Integer quota = policy.quotaRequests();
            if (quota != null && quotaUsed >= quota) {
                return new Verdict(Rejection.of(Fault.QUOTA_EXCEEDED, "", Vars.of(Placeholder.LIMIT, quota.toString()),
                        "policy rateLimits: quota " + quotaUsed + "/" + quota + " used, renews in "
                                + ceilMillis(quotaStart + period - now) + " ms"), throttle(resetMs, -1));
            }
            Integer rpw = policy.requestsPerWindow();
            if (rpw != null && requests + 1 > rpw) {
                return new Verdict(Rejection.of(Fault.RATE_LIMITED, "",
                        new Vars().put(Placeholder.LIMIT, rpw).put(Placeholder.USED, requests).put(Placeholder.REQUESTED, 1),
                        "policy rateLimits: window " + requests + "/" + rpw + " requests used, resets in " + resetMs + " ms"),
                        throttle(resetMs, resetMs));
            }
            Integer tpw = policy.tokensPerWindow();
            if (tpw != null && tokens + requestTokens > tpw) {
                return new Verdict(Rejection.of(Fault.RATE_LIMITED, "tokens",
                        new Vars().put(Placeholder.LIMIT, tpw).put(Placeholder.USED, tokens)
                                .put(Placeholder.REQUESTED, requestTokens),
                        "policy rateLimits: window " + tokens + "/" + tpw + " tokens used, " + requestTokens
                                + " requested, resets in " + resetMs + " ms"), throttle(resetMs, resetMs));
            }
            requests++;
            tokens += requestTokens;
            quotaUsed++;
            return new Verdict(null, throttle(resetMs, -1));
        }

        private Throttle throttle(long resetMs, long retryAfterMs) {
            Integer rpw = policy.requestsPerWindow();
            Integer tpw = policy.tokensPerWindow();
            long requestLimit = rpw != null ? rpw : Throttle.DEFAULT_REQUEST_LIMIT;
            long tokenLimit = tpw != null ? tpw : Throttle.DEFAULT_TOKEN_LIMIT;
            return new Throttle(requestLimit, Math.max(0, requestLimit - requests), rpw != null ? resetMs : 0,
                    tokenLimit, Math.max(0, tokenLimit - tokens), tpw != null ? resetMs : 0, retryAfterMs);
        }
    }

    private static long ceilMillis(long nanos) {
        return Math.max(0, (nanos + 999_999) / 1_000_000);
    }
}
