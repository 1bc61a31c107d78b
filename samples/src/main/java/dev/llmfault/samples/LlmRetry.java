package dev.llmfault.samples;

import io.github.resilience4j.core.IntervalBiFunction;
import io.github.resilience4j.core.functions.Either;
import io.github.resilience4j.retry.Retry;
import io.github.resilience4j.retry.RetryConfig;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Optional;

/**
 * A Resilience4j {@link Retry} for raw {@code java.net.http} calls to an LLM API: it retries exactly what
 * the fault catalogue calls retryable (rate limits but not spent quotas, overload, server errors, timeouts,
 * cut connections), and waits with exponential backoff and jitter, never less than the answer's
 * {@code retry-after-ms} / {@code Retry-After}.
 *
 * <pre>{@code
 * Retry retry = LlmRetry.of("openai", 4, new Backoff(Duration.ofMillis(500), Duration.ofSeconds(8)));
 * HttpResponse<String> r = Retry.decorateCheckedSupplier(retry,
 *         () -> http.send(request, HttpResponse.BodyHandlers.ofString())).get();
 * }</pre>
 */
public final class LlmRetry {
    private LlmRetry() {
    }

    /**
     * A retry of at most {@code maxAttempts} calls. When they are spent on retryable answers the last answer
     * is returned as it is (read its status); a non-retryable answer is returned at once.
     */
    public static Retry of(String name, int maxAttempts, Backoff backoff) {
        RetryConfig config = RetryConfig.<HttpResponse<String>>custom()
                .maxAttempts(maxAttempts)
                .retryOnResult(LlmRetry::isRetryable)
                .retryExceptions(IOException.class)
                .intervalBiFunction(retryAfterAware(backoff))
                .build();
        return Retry.of(name, config);
    }

    /** Whether an answer is worth sending the same request again, per {@link ErrorClassifier}. */
    public static boolean isRetryable(HttpResponse<String> response) {
        return response.statusCode() >= 400 && diagnose(response).retryable();
    }

    /** Backoff with jitter, floored by the retry hint of the answer when there is one. */
    public static IntervalBiFunction<HttpResponse<String>> retryAfterAware(Backoff backoff) {
        return (Integer attempt, Either<Throwable, HttpResponse<String>> outcome) -> {
            Optional<Duration> hint = outcome.isRight()
                    ? RetryHints.read(name -> outcome.get().headers().firstValue(name).orElse(null))
                    : Optional.empty();
            return backoff.delayBefore(attempt, hint).toMillis();
        };
    }

    private static Diagnosis diagnose(HttpResponse<String> r) {
        return ErrorClassifier.diagnose(r.statusCode(), name -> r.headers().firstValue(name).orElse(null),
                r.headers().map().keySet(), r.body());
    }
}
