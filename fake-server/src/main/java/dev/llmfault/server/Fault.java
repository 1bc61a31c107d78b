package dev.llmfault.server;

import java.util.Arrays;
import org.apiguardian.api.API;

/**
 * Every fault of the catalogue: the "error 1200" family (problems with the request or its credentials)
 * plus the transient and transport faults a resilient client must also survive.
 *
 * <p>Each fault knows which of the article's five causes it belongs to and whether a correct client may
 * retry it. How each provider renders it (status, body, headers) is data in the fault catalogue.
 *
 * <pre>{@code
 * Scenario s = Scenario.builder(Fault.RATE_LIMITED).times(2).retryAfterMs(200).build();
 * if (!Fault.INVALID_TOKEN.isRetryable()) { ... a correct client fails fast ... }
 * }</pre>
 */
@API(status = API.Status.STABLE, since = "0.1")
public enum Fault {
    MISSING_TOKEN(Cause.INVALID_OR_EXPIRED_TOKEN, Retry.NEVER, Kind.HTTP_ERROR),
    INVALID_TOKEN(Cause.INVALID_OR_EXPIRED_TOKEN, Retry.NEVER, Kind.HTTP_ERROR),
    EXPIRED_TOKEN(Cause.INVALID_OR_EXPIRED_TOKEN, Retry.AFTER_REFRESH, Kind.HTTP_ERROR),
    INSUFFICIENT_SCOPE(Cause.INVALID_OR_EXPIRED_TOKEN, Retry.NEVER, Kind.HTTP_ERROR),
    MALFORMED_BODY(Cause.MALFORMED_REQUEST, Retry.NEVER, Kind.HTTP_ERROR),
    MISSING_FIELD(Cause.MALFORMED_REQUEST, Retry.NEVER, Kind.HTTP_ERROR),
    WRONG_METHOD(Cause.MALFORMED_REQUEST, Retry.NEVER, Kind.HTTP_ERROR),
    RATE_LIMITED(Cause.RATE_LIMIT_OR_QUOTA, Retry.ALWAYS, Kind.HTTP_ERROR),
    QUOTA_EXCEEDED(Cause.RATE_LIMIT_OR_QUOTA, Retry.NEVER, Kind.HTTP_ERROR),
    IP_BLOCKED(Cause.IP_OR_REGION_RESTRICTION, Retry.NEVER, Kind.HTTP_ERROR),
    REGION_BLOCKED(Cause.IP_OR_REGION_RESTRICTION, Retry.NEVER, Kind.HTTP_ERROR),
    OLD_API_VERSION(Cause.WRONG_API_VERSION, Retry.NEVER, Kind.HTTP_ERROR),
    MODEL_NOT_FOUND(Cause.WRONG_API_VERSION, Retry.NEVER, Kind.HTTP_ERROR),
    OVERLOADED(Cause.TRANSIENT, Retry.ALWAYS, Kind.HTTP_ERROR),
    SERVER_ERROR(Cause.TRANSIENT, Retry.ALWAYS, Kind.HTTP_ERROR),
    /** A delay ({@code delayMs}) before the headers, or before the first chunk of a stream. */
    SLOW_RESPONSE(Cause.TRANSIENT, Retry.DEPENDS, Kind.TRANSPORT),
    /** A TCP reset before any response. */
    CONNECTION_RESET(Cause.TRANSIENT, Retry.ALWAYS, Kind.TRANSPORT),
    /** A 200 whose body is cut after {@code afterChunks} chunks: no terminal event, the connection aborted. */
    STREAM_INTERRUPTED(Cause.TRANSIENT, Retry.CALLER_DECIDES, Kind.TRANSPORT),
    /** A 200 stream that carries the provider's own error frame after {@code afterChunks} chunks. */
    STREAM_ERROR(Cause.TRANSIENT, Retry.CALLER_DECIDES, Kind.TRANSPORT),
    /**
     * A 200 stream that sends {@code afterChunks} content deltas and then nothing, its connection held open,
     * until the client gives up or {@code delayMs} (if set) has passed, when the connection is cut. On a plain
     * call the headers are sent and the body never comes. Only a read timeout catches it.
     */
    STREAM_STALLED(Cause.TRANSIENT, Retry.CALLER_DECIDES, Kind.TRANSPORT),
    /**
     * The prompt (plus the output tokens the request reserves) does not fit the model's context window: a
     * 400 with the provider's own text. Also computed for real from each request against the model list.
     */
    CONTEXT_LENGTH_EXCEEDED(Cause.MALFORMED_REQUEST, Retry.NEVER, Kind.HTTP_ERROR),
    /**
     * A 200 whose answer stops at the token limit (OpenAI {@code finish_reason: length}, Anthropic
     * {@code stop_reason: max_tokens}, Gemini {@code MAX_TOKENS} ...): the text cut mid-word after
     * {@code afterChunks} pieces, mid-JSON when structured output was asked for.
     */
    LENGTH_TRUNCATED(Cause.MODEL_OUTPUT, Retry.NEVER, Kind.MODEL_OUTPUT),
    /**
     * The provider's content filter withholds the answer: a 200 with the provider's filter finish reason
     * (after {@code afterChunks} pieces), or its error where the provider refuses the request instead.
     */
    CONTENT_FILTERED(Cause.MODEL_OUTPUT, Retry.NEVER, Kind.MODEL_OUTPUT),
    /** A 200 whose structured output is JSON that does not parse (a document cut short). */
    INVALID_JSON_OUTPUT(Cause.MODEL_OUTPUT, Retry.REASK, Kind.MODEL_OUTPUT),
    /** A 200 in which the model calls a tool the request never offered. */
    UNKNOWN_TOOL_CALL(Cause.MODEL_OUTPUT, Retry.REASK, Kind.MODEL_OUTPUT),
    /** A 200 in which the model calls an offered tool with arguments that break its schema. */
    INVALID_TOOL_ARGUMENTS(Cause.MODEL_OUTPUT, Retry.REASK, Kind.MODEL_OUTPUT);

    /**
     * The five causes of the article, plus transient trouble that is nobody's mistake, plus the model's own
     * output that a client cannot use as it is.
     */
    public enum Cause {
        MALFORMED_REQUEST(1), INVALID_OR_EXPIRED_TOKEN(2), RATE_LIMIT_OR_QUOTA(3),
        IP_OR_REGION_RESTRICTION(4), WRONG_API_VERSION(5), TRANSIENT(0), MODEL_OUTPUT(0);

        private final int articleNumber;

        Cause(int articleNumber) {
            this.articleNumber = articleNumber;
        }

        /** The number of the cause in the error-1200 article, 0 for transient faults. */
        public int articleNumber() {
            return articleNumber;
        }
    }

    /** What a correct client does about the fault. */
    public enum Retry {
        /** Never retry the same request: fail fast with a clear message. */
        NEVER,
        /** Retry with backoff, honouring the retry hints. */
        ALWAYS,
        /** Retry once, after refreshing the credential. */
        AFTER_REFRESH,
        /** Depends on the client's timeout (a slow answer). */
        DEPENDS,
        /** The caller decides (a broken stream). */
        CALLER_DECIDES,
        /**
         * Ask again at once, a bounded number of times, or feed the error back to the model (as a tool result):
         * its next answer may well be right. Never pass the bad output on.
         */
        REASK
    }

    /**
     * An HTTP error answer rendered from the catalogue, a transport behaviour, or the model's own output that
     * is the failure (a 200 the dialect renders with the fault's finish reason and content).
     */
    public enum Kind { HTTP_ERROR, TRANSPORT, MODEL_OUTPUT }

    private final Cause cause;
    private final Retry retry;
    private final Kind kind;

    Fault(Cause cause, Retry retry, Kind kind) {
        this.cause = cause;
        this.retry = retry;
        this.kind = kind;
    }

    public Cause cause() {
        return cause;
    }

    public Retry retry() {
        return retry;
    }

    public Kind kind() {
        return kind;
    }

    /**
     * True when a correct client may retry the same request unchanged: with backoff ({@link Retry#ALWAYS}), or
     * at once to ask the model again ({@link Retry#REASK}).
     */
    public boolean isRetryable() {
        return retry == Retry.ALWAYS || retry == Retry.REASK;
    }

    /** Reads a fault name case-insensitively, naming the allowed values when it is unknown. */
    public static Fault parse(String name) {
        for (Fault f : values()) {
            if (f.name().equalsIgnoreCase(name.trim())) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown fault '" + name + "', allowed: " + Arrays.toString(values()));
    }
}
