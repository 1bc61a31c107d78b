package dev.llmfault.samples;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Objects;
import java.util.function.DoubleConsumer;

/**
 * An alert rule kept next to the client: the share of "error 1200" answers (a refused credential,
 * {@link LlmCallException.Cause#INVALID_OR_EXPIRED_TOKEN}) among the last {@code window} answers, published as the
 * gauge {@code llm.client.error1200.rate}, and a callback that fires once when the share reaches the threshold. It
 * fires again only after the share fell below half the threshold: one page per incident, not one per error.
 *
 * <pre>{@code
 * ErrorRateAlarm alarm = new ErrorRateAlarm(meters, "openai", 50, 0.10, rate -> pager.page("401 rate " + rate));
 * ResilientChatClient client = ResilientChatClient.builder(url).apiKey(key).meterRegistry(meters).alarm(alarm).build();
 * }</pre>
 *
 * <p>Thread-safe.
 */
public final class ErrorRateAlarm {
    /** The gauge's name. */
    public static final String GAUGE = "llm.client.error1200.rate";

    private final int window;
    private final double threshold;
    private final DoubleConsumer onAlarm;
    private final Deque<Boolean> last = new ArrayDeque<>();
    private int errors;
    private boolean firing;
    private int fired;

    /**
     * @param window    how many of the latest answers the rate is taken over (at least 1)
     * @param threshold the share, from 0 (exclusive) to 1, at which the alarm fires
     * @param onAlarm   called with the rate when the alarm fires
     */
    public ErrorRateAlarm(MeterRegistry meters, String provider, int window, double threshold, DoubleConsumer onAlarm) {
        if (window < 1) {
            throw new IllegalArgumentException("window: invalid value " + window + ", expected an integer >= 1");
        }
        if (!(threshold > 0 && threshold <= 1)) {
            throw new IllegalArgumentException("threshold: invalid value " + threshold + ", expected a share above 0, at most 1");
        }
        this.window = window;
        this.threshold = threshold;
        this.onAlarm = Objects.requireNonNull(onAlarm, "onAlarm");
        Gauge.builder(GAUGE, this, ErrorRateAlarm::rate).tag("provider", provider)
                .description("share of refused credentials among the latest answers").register(meters);
    }

    /** One answer: its cause, or null for a success. */
    public void record(LlmCallException.Cause cause) {
        boolean error = cause == LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN;
        double rate;
        boolean fire = false;
        synchronized (this) {
            last.addLast(error);
            errors += error ? 1 : 0;
            if (last.size() > window) {
                errors -= last.removeFirst() ? 1 : 0;
            }
            rate = rateNow();
            if (!firing && last.size() == window && rate >= threshold) {
                firing = true;
                fired++;
                fire = true;
            } else if (firing && rate < threshold / 2) {
                firing = false; // the incident is over: the next one pages again
            }
        }
        if (fire) {
            onAlarm.accept(rate); // outside the lock: a slow pager must not stall the client
        }
    }

    /** The share of refused credentials among the latest answers (0 before any). */
    public synchronized double rate() {
        return rateNow();
    }

    /** How many times the alarm fired. */
    public synchronized int fired() {
        return fired;
    }

    private double rateNow() {
        return last.isEmpty() ? 0 : (double) errors / last.size();
    }
}
