package dev.llmfault.junit.internal;

import dev.llmfault.server.Fault;

import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The words that name each of the article's causes in an exception's type or message. Text is compared in lower
 * case with {@code _} and {@code -} read as spaces and camel case split ({@code RateLimitException} reads
 * {@code rate limit exception}), so an enum constant, a class name and a sentence all count.
 */
public final class CauseWords {
    private static final Map<Fault.Cause, List<String>> WORDS = Map.of(
            Fault.Cause.MALFORMED_REQUEST, List.of("malformed", "bad request", "invalid request", "invalid json",
                    "missing field", "missing required", "validation", "unprocessable", "method not allowed",
                    "context length", "context window", "context limit", "too long", "too many tokens"),
            Fault.Cause.INVALID_OR_EXPIRED_TOKEN, List.of("invalid token", "expired token", "token expired",
                    "token has expired", "api key", "apikey", "authentication", "unauthorized", "unauthenticated",
                    "credential", "permission denied", "insufficient scope", "access token"),
            Fault.Cause.RATE_LIMIT_OR_QUOTA, List.of("rate limit", "ratelimit", "too many requests", "quota",
                    "throttl", "billing"),
            Fault.Cause.IP_OR_REGION_RESTRICTION, List.of("ip address", "ip not allowed", "ip blocked", "blocked ip",
                    "region", "country", "territory", "geo", "not available in your location"),
            Fault.Cause.WRONG_API_VERSION, List.of("api version", "version", "deprecated", "retired", "model not found",
                    "unknown model", "no such model", "does not exist", "not found"),
            Fault.Cause.TRANSIENT, List.of("overloaded", "server error", "internal error", "unavailable", "timeout",
                    "timed out", "connection reset", "transient", "bad gateway", "stream"),
            Fault.Cause.MODEL_OUTPUT, List.of("finish reason", "max tokens", "truncated", "incomplete", "content filter",
                    "refusal", "refused", "safety", "blocked", "unknown tool", "tool arguments", "schema", "parse"));

    private CauseWords() {
    }

    /** The text as compared: lower case, camel case split, {@code _ - .} as spaces. */
    public static String normalize(String text) {
        return text.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT).replaceAll("[_\\-.$]+", " ");
    }

    /** True when the normalized text names the cause, by one of its words or its own name. */
    public static boolean names(String normalized, Fault.Cause cause) {
        if (normalized.contains(normalize(cause.name()))) {
            return true;
        }
        return WORDS.get(cause).stream().anyMatch(normalized::contains);
    }

    public static List<String> words(Fault.Cause cause) {
        return WORDS.get(cause);
    }
}
