package dev.llmfault.samples;

import java.time.Duration;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Exponential backoff with jitter that treats a provider's retry hint as a floor: the wait before retry
 * {@code n} is {@code min(max, base * 2^(n-1))} minus a random share of up to {@value #JITTER_PERCENT} %
 * (so that many clients throttled at once do not come back at once; the official OpenAI and Anthropic SDKs
 * take off up to 25 %), and never less than the hint the answer gave. Consecutive waits therefore grow by a
 * factor between 1.6 and 2.5, inside the kit's {@code backedOffExponentially()} (2 with 25 % jitter).
 *
 * <pre>{@code
 * Backoff backoff = new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8));
 * Duration wait = backoff.delayBefore(2, Optional.of(Duration.ofMillis(1200))); // >= 1200 ms
 * }</pre>
 *
 * @param base the first wait (before jitter)
 * @param max  the largest computed wait; a retry hint may ask for more, which the client decides about
 */
public record Backoff(Duration base, Duration max) {
    /** The largest share of a wait that jitter takes off, in percent. */
    public static final int JITTER_PERCENT = 20;

    public Backoff {
        Objects.requireNonNull(base, "base");
        Objects.requireNonNull(max, "max");
        if (base.isNegative() || max.compareTo(base) < 0) {
            throw new IllegalArgumentException("backoff: base must be >= 0 and max >= base, got base " + base + ", max " + max);
        }
    }

    /** The exponential part before retry {@code retry} (1 for the first retry), before jitter. */
    public Duration exponential(int retry) {
        long baseNanos = base.toNanos();
        long factor = 1L << Math.min(Math.max(retry - 1, 0), 30);
        long nanos = baseNanos > max.toNanos() / factor ? max.toNanos() : baseNanos * factor;
        return Duration.ofNanos(nanos);
    }

    /** The wait before retry {@code retry}: the exponential minus up to {@value #JITTER_PERCENT} %, at least the hint. */
    public Duration delayBefore(int retry, Optional<Duration> hint) {
        long exp = exponential(retry).toNanos();
        long spread = exp / 100 * JITTER_PERCENT;
        long jittered = exp - (spread == 0 ? 0 : ThreadLocalRandom.current().nextLong(spread + 1));
        Duration computed = Duration.ofNanos(jittered);
        return hint.filter(h -> h.compareTo(computed) > 0).orElse(computed);
    }
}
