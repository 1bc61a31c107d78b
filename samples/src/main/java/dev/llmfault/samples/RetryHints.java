package dev.llmfault.samples;

import java.time.Clock;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reads a provider's retry hint the way the official SDKs do: {@code retry-after-ms} (milliseconds, may
 * be fractional) first, then {@code Retry-After} as seconds or as an HTTP date.
 *
 * <pre>{@code
 * Optional<Duration> wait = RetryHints.read(name -> response.headers().firstValue(name).orElse(null));
 * }</pre>
 */
public final class RetryHints {
    private RetryHints() {
    }

    /** The hint of an answer whose headers {@code header} looks up by lower-case name; empty when it gave none. */
    public static Optional<Duration> read(Function<String, String> header) {
        return read(header, Clock.systemUTC());
    }

    static Optional<Duration> read(Function<String, String> header, Clock clock) {
        Optional<Duration> ms = number(header.apply("retry-after-ms")).map(v -> Duration.ofNanos((long) (v * 1_000_000)));
        if (ms.isPresent()) {
            return ms;
        }
        String retryAfter = header.apply("retry-after");
        if (retryAfter == null) {
            return Optional.empty();
        }
        Optional<Double> seconds = number(retryAfter);
        if (seconds.isPresent()) {
            return Optional.of(Duration.ofNanos((long) (seconds.get() * 1_000_000_000)));
        }
        try {
            ZonedDateTime at = ZonedDateTime.parse(retryAfter.trim(), DateTimeFormatter.RFC_1123_DATE_TIME);
            Duration until = Duration.between(clock.instant(), at.toInstant());
            return Optional.of(until.isNegative() ? Duration.ZERO : until);
        } catch (DateTimeParseException notADate) {
            return Optional.empty();
        }
    }

    private static Optional<Double> number(String value) {
        if (value == null) {
            return Optional.empty();
        }
        try {
            double v = Double.parseDouble(value.trim());
            return v >= 0 && Double.isFinite(v) ? Optional.of(v) : Optional.empty();
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
    }
}
