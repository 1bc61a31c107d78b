package dev.llmfault.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * Turns an error answer (or a transport failure) into a {@link Diagnosis}: which of the article's causes it
 * is and whether the same request may be retried. Reads the OpenAI error envelope
 * {@code {"error":{"message","type","code","param"}}} and tolerates the other common shapes (Anthropic's,
 * a bare {@code {"message":...}}, a gateway's numeric {@code code}, plain text).
 *
 * <p>The retry decision follows the fault catalogue: rate limits, overload, server errors, timeouts and
 * cut connections are transient; everything about the request or the credential is not, and neither is a
 * spent quota. An explicit {@code x-should-retry} header from the server wins.
 *
 * <pre>{@code
 * HttpResponse<String> r = http.send(request, BodyHandlers.ofString());
 * if (r.statusCode() >= 400) {
 *     Diagnosis d = ErrorClassifier.diagnose(r.statusCode(), name -> r.headers().firstValue(name).orElse(null), r.body());
 * }
 * }</pre>
 */
public final class ErrorClassifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> HINT_HEADERS = List.of("retry-after", "retry-after-ms", "x-should-retry");
    private static final List<String> RATE_LIMIT_PREFIXES = List.of("x-ratelimit-", "anthropic-ratelimit-", "ratelimit-");
    private static final int MAX_MESSAGE = 500;

    private ErrorClassifier() {
    }

    /**
     * Diagnoses an HTTP error answer.
     *
     * @param header looks a response header up by lower-case name (null when absent)
     * @param names  every response header name, to collect the rate-limit headers
     */
    public static Diagnosis diagnose(int status, Function<String, String> header, Iterable<String> names, String body) {
        ErrorBody error = ErrorBody.parse(body);
        String requestId = first(header.apply("x-request-id"), header.apply("request-id"), error.requestId);
        Map<String, String> limits = new HashMap<>();
        for (String name : names) {
            String lower = name.toLowerCase(Locale.ROOT);
            if (HINT_HEADERS.contains(lower) || RATE_LIMIT_PREFIXES.stream().anyMatch(lower::startsWith)) {
                String value = header.apply(lower);
                if (value != null) {
                    limits.put(lower, value);
                }
            }
        }
        Duration retryAfter = RetryHints.read(header).orElse(null);
        String wwwAuthenticate = lower(header.apply("www-authenticate"));
        String text = lower(error.message);
        LlmCallException.Cause cause;
        boolean retryable;
        boolean expired = false;
        switch (status) {
            case 400, 405, 413, 415, 422 -> {
                cause = mentionsModel(error) ? LlmCallException.Cause.WRONG_API_VERSION : LlmCallException.Cause.MALFORMED_REQUEST;
                retryable = false;
            }
            case 401 -> {
                cause = LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN;
                retryable = false;
                expired = text.contains("expired") || wwwAuthenticate.contains("expired");
            }
            case 402 -> {
                cause = LlmCallException.Cause.RATE_LIMIT_OR_QUOTA;
                retryable = false;
            }
            case 403 -> {
                boolean scope = wwwAuthenticate.contains("insufficient_scope") || text.contains("scope");
                cause = scope ? LlmCallException.Cause.INVALID_OR_EXPIRED_TOKEN : LlmCallException.Cause.IP_OR_REGION_RESTRICTION;
                retryable = false;
            }
            case 404 -> {
                cause = LlmCallException.Cause.WRONG_API_VERSION;
                retryable = false;
            }
            case 408, 409 -> {
                cause = LlmCallException.Cause.TRANSIENT;
                retryable = true;
            }
            case 429 -> {
                cause = LlmCallException.Cause.RATE_LIMIT_OR_QUOTA;
                // A spent quota does not come back in seconds: hammering it only burns attempts.
                retryable = !isQuota(error, text);
            }
            default -> {
                if (status >= 500) {
                    cause = LlmCallException.Cause.TRANSIENT;
                    retryable = true;
                } else {
                    cause = LlmCallException.Cause.MALFORMED_REQUEST;
                    retryable = false;
                }
            }
        }
        String shouldRetry = header.apply("x-should-retry");
        if ("true".equalsIgnoreCase(shouldRetry)) {
            retryable = true;
        } else if ("false".equalsIgnoreCase(shouldRetry)) {
            retryable = false;
        }
        return new Diagnosis(cause, retryable, expired, status, error.type, error.code, error.message, requestId,
                limits, retryAfter);
    }

    /** Diagnoses a failure without an HTTP answer: a reset, a refused connection, a timeout. Always transient. */
    public static Diagnosis transport(IOException failure) {
        String what = failure instanceof HttpTimeoutException ? "timed out waiting for the answer"
                : "connection failed";
        String detail = failure.getMessage() == null ? failure.getClass().getSimpleName()
                : failure.getClass().getSimpleName() + ": " + failure.getMessage();
        return new Diagnosis(LlmCallException.Cause.TRANSIENT, true, false, 0, null, null, what + " (" + detail + ")",
                null, Map.of(), null);
    }

    /** Diagnoses an error frame inside a 200 stream ({@code data: {"error":{...}}}). */
    static Diagnosis streamError(JsonNode errorFrame, String requestId) {
        ErrorBody error = ErrorBody.of(errorFrame);
        return new Diagnosis(LlmCallException.Cause.TRANSIENT, true, false, 200, error.type, error.code,
                "error event inside the stream: " + error.message, requestId, Map.of(), null);
    }

    /** Diagnoses a stream that stopped before its terminal event. */
    static Diagnosis brokenStream(String what, String requestId) {
        return new Diagnosis(LlmCallException.Cause.TRANSIENT, true, false, 200, null, null, what, requestId, Map.of(), null);
    }

    /** Diagnoses a 200 whose body is not the expected JSON. */
    static Diagnosis unreadable(String what, String requestId) {
        return new Diagnosis(LlmCallException.Cause.TRANSIENT, true, false, 200, null, null, what, requestId, Map.of(), null);
    }

    /**
     * Diagnoses a 200 whose content is unusable: cut at the token limit, filtered, or JSON that does not parse
     * into what was asked. {@code reask}: whether asking again may help (an invalid JSON answer may come out right
     * the next time; an answer cut at the same token limit will be cut again).
     */
    static Diagnosis modelOutput(String what, boolean reask, String requestId) {
        return new Diagnosis(LlmCallException.Cause.MODEL_OUTPUT, reask, false, 200, null, null, what, requestId,
                Map.of(), null);
    }

    private static boolean mentionsModel(ErrorBody error) {
        return error.code != null && (error.code.contains("model") || error.code.equals("1211"));
    }

    private static boolean isQuota(ErrorBody error, String text) {
        return "insufficient_quota".equals(error.code) || "insufficient_quota".equals(error.type)
                || text.contains("quota") || text.contains("billing") || "1113".equals(error.code)
                || "1304".equals(error.code);
    }

    private static String lower(String s) {
        return s == null ? "" : s.toLowerCase(Locale.ROOT);
    }

    @SafeVarargs
    private static <T> T first(T... values) {
        for (T v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }

    /** The fields of an error body, whatever its shape. */
    private record ErrorBody(String message, String type, String code, String requestId) {
        static ErrorBody parse(String body) {
            if (body == null || body.isBlank()) {
                return new ErrorBody("(empty body)", null, null, null);
            }
            JsonNode root;
            try {
                root = JSON.readTree(body);
            } catch (IOException notJson) {
                return new ErrorBody(cut(body.strip()), null, null, null);
            }
            if (root == null || !root.isObject()) {
                return new ErrorBody(cut(body.strip()), null, null, null);
            }
            JsonNode error = root.get("error");
            String requestId = text(root.get("request_id"));
            if (error != null && error.isObject()) {
                ErrorBody e = of(error);
                return new ErrorBody(e.message, e.type, e.code, requestId);
            }
            if (error != null && error.isTextual()) {
                return new ErrorBody(cut(error.asText()), null, text(root.get("code")), requestId);
            }
            String message = text(root.get("message"));
            return new ErrorBody(message == null ? cut(body.strip()) : cut(message), text(root.get("type")),
                    text(root.get("code")), requestId);
        }

        static ErrorBody of(JsonNode error) {
            String message = text(error.get("message"));
            return new ErrorBody(message == null ? cut(error.toString()) : cut(message), text(error.get("type")),
                    text(error.get("code")), null);
        }

        private static String text(JsonNode node) {
            return node == null || node.isNull() ? null : node.isValueNode() ? node.asText() : node.toString();
        }

        private static String cut(String s) {
            return s.length() <= MAX_MESSAGE ? s : s.substring(0, MAX_MESSAGE) + "...";
        }
    }
}
