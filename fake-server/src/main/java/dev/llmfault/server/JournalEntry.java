package dev.llmfault.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.dialect.Dialects;
import dev.llmfault.server.internal.dialect.IncomingRequest;
import dev.llmfault.server.internal.dialect.Route;
import dev.llmfault.server.internal.json.Json;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apiguardian.api.API;

/**
 * One request the fake provider received, and what it answered. Immutable. Every credential in it is
 * already masked ({@code Bearer sk-ab***wxyz}); the API key is also kept as a SHA-256 fingerprint so
 * entries can be queried by key.
 *
 * <pre>{@code
 * JournalEntry last = server.journal().entries().get(0);
 * assertThat(last.status()).isEqualTo(429);
 * assertThat(last.fault()).isEqualTo(Fault.RATE_LIMITED);
 * assertThat(last.header("x-stainless-retry-count")).isEqualTo("0");
 * }</pre>
 *
 * @param sequence       arrival order, from 1, increasing for the life of the server (a reset does not restart it)
 * @param time           wall-clock arrival time (millisecond precision)
 * @param monotonicNanos {@link System#nanoTime()} at arrival, for precise gaps between requests
 * @param method         HTTP method
 * @param path           request path
 * @param query          query string with credentials masked, or null
 * @param headers        request headers, names in lower case, credentials masked
 * @param body           request body as text with credentials masked (cut at 64 KiB), or ""
 * @param clientAddress  the peer's IP address
 * @param provider       the provider whose API was called
 * @param model          the {@code model} of the request body, or null
 * @param stream         whether a stream was asked for
 * @param apiKeyMask     the masked credential, or null when none was sent
 * @param apiKeyFingerprint SHA-256 of the credential, or null
 * @param fault          the fault answered (injected, emulated or a real validation error), or null for a success
 * @param faultReason    why: {@code scenario s-1}, {@code validation: missing 'messages'}, {@code policy ...}; when the
 *                       client closed the connection during a delay, it ends with {@code client closed the connection
 *                       after N ms, before the answer ended} (then also on a success, whose fault stays null)
 * @param scenarioId     the id of the scenario that injected the fault, or null
 * @param status         the HTTP status answered, or 0 when the connection was reset with no answer (or the client
 *                       left before the headers went out)
 * @param responseHeaders the headers answered, names in lower case (retry hints, rate limits, request id)
 * @param duration       time from arrival to the end of the answer (for SLOW_RESPONSE, to the start of its delay,
 *                       so that a client that gave up still finds its request; for a forwarded or replayed
 *                       stream, to its headers)
 * @param origin         who wrote the answer: the fake server itself, the upstream in proxy mode, a recorded
 *                       fixture in replay mode, or nobody (an upstream failure, a request no fixture matched)
 * @param upstreamLatency time from forwarding to the upstream's headers (proxy mode), or null
 * @param askedWait      the wait the answer asked of the client in its body (Gemini's {@code google.rpc.RetryInfo}),
 *                       or null; a wait asked in headers is read from {@link #responseHeaders}: see {@link #retryAfter()}
 * @param replyId        the id of the reply rule ({@code r-1}) whose reply the model sent (also when a fault cut it
 *                       short), or null for the default reply
 * @param alias          the OpenAI-compatible vendor whose base path was called ({@code mistral} for
 *                       {@code --alias mistral=/mistral/v1}; its {@link #provider} is then OPENAI), or null
 * @param modelCall      the model call the server read from the request and what its model answered (token counts,
 *                       tool calls), or null when the request was no model call or was refused before it was read
 * @param tokenOwnerFingerprint for a request that carries a token of the server's {@code POST /oauth/token}, or
 *                       asks that endpoint for one, the SHA-256 fingerprint of the OAuth client secret the token was
 *                       issued to (for a refreshed token, the owner of the refresh token); else null. A test scoped
 *                       to its key sends that key as its client secret, and its token requests and the requests
 *                       bearing those tokens count for the key: see {@link #keyScope()}
 */
@API(status = API.Status.STABLE, since = "0.1")
public record JournalEntry(
        long sequence,
        Instant time,
        long monotonicNanos,
        String method,
        String path,
        String query,
        Map<String, String> headers,
        String body,
        String clientAddress,
        Provider provider,
        String model,
        boolean stream,
        String apiKeyMask,
        String apiKeyFingerprint,
        Fault fault,
        String faultReason,
        String scenarioId,
        int status,
        Map<String, String> responseHeaders,
        Duration duration,
        Origin origin,
        Duration upstreamLatency,
        Duration askedWait,
        String replyId,
        String alias,
        ModelCall modelCall,
        String tokenOwnerFingerprint) {

    public JournalEntry {
        headers = Map.copyOf(headers);
        responseHeaders = Map.copyOf(responseHeaders);
        origin = origin == null ? Origin.LOCAL : origin;
    }

    /** An entry whose credential is no token of the server's OAuth endpoint (the form journals had before they knew). */
    public JournalEntry(long sequence, Instant time, long monotonicNanos, String method, String path, String query,
                        Map<String, String> headers, String body, String clientAddress, Provider provider, String model,
                        boolean stream, String apiKeyMask, String apiKeyFingerprint, Fault fault, String faultReason,
                        String scenarioId, int status, Map<String, String> responseHeaders, Duration duration,
                        Origin origin, Duration upstreamLatency, Duration askedWait, String replyId, String alias,
                        ModelCall modelCall) {
        this(sequence, time, monotonicNanos, method, path, query, headers, body, clientAddress, provider, model, stream,
                apiKeyMask, apiKeyFingerprint, fault, faultReason, scenarioId, status, responseHeaders, duration,
                origin, upstreamLatency, askedWait, replyId, alias, modelCall, null);
    }

    /** An entry without a model call read (the form journals had before they kept one). */
    public JournalEntry(long sequence, Instant time, long monotonicNanos, String method, String path, String query,
                        Map<String, String> headers, String body, String clientAddress, Provider provider, String model,
                        boolean stream, String apiKeyMask, String apiKeyFingerprint, Fault fault, String faultReason,
                        String scenarioId, int status, Map<String, String> responseHeaders, Duration duration,
                        Origin origin, Duration upstreamLatency, Duration askedWait, String replyId, String alias) {
        this(sequence, time, monotonicNanos, method, path, query, headers, body, clientAddress, provider, model, stream,
                apiKeyMask, apiKeyFingerprint, fault, faultReason, scenarioId, status, responseHeaders, duration,
                origin, upstreamLatency, askedWait, replyId, alias, null);
    }

    /** An entry that no reply rule answered. */
    public JournalEntry(long sequence, Instant time, long monotonicNanos, String method, String path, String query,
                        Map<String, String> headers, String body, String clientAddress, Provider provider, String model,
                        boolean stream, String apiKeyMask, String apiKeyFingerprint, Fault fault, String faultReason,
                        String scenarioId, int status, Map<String, String> responseHeaders, Duration duration,
                        Origin origin, Duration upstreamLatency, Duration askedWait) {
        this(sequence, time, monotonicNanos, method, path, query, headers, body, clientAddress, provider, model, stream,
                apiKeyMask, apiKeyFingerprint, fault, faultReason, scenarioId, status, responseHeaders, duration,
                origin, upstreamLatency, askedWait, null, null);
    }

    /** An entry answered by the fake server itself (no proxy, no replay). */
    public JournalEntry(long sequence, Instant time, long monotonicNanos, String method, String path, String query,
                        Map<String, String> headers, String body, String clientAddress, Provider provider, String model,
                        boolean stream, String apiKeyMask, String apiKeyFingerprint, Fault fault, String faultReason,
                        String scenarioId, int status, Map<String, String> responseHeaders, Duration duration) {
        this(sequence, time, monotonicNanos, method, path, query, headers, body, clientAddress, provider, model, stream,
                apiKeyMask, apiKeyFingerprint, fault, faultReason, scenarioId, status, responseHeaders, duration,
                Origin.LOCAL, null, null, null, null);
    }

    /** An entry whose answer asked no wait in its body. */
    public JournalEntry(long sequence, Instant time, long monotonicNanos, String method, String path, String query,
                        Map<String, String> headers, String body, String clientAddress, Provider provider, String model,
                        boolean stream, String apiKeyMask, String apiKeyFingerprint, Fault fault, String faultReason,
                        String scenarioId, int status, Map<String, String> responseHeaders, Duration duration,
                        Origin origin, Duration upstreamLatency) {
        this(sequence, time, monotonicNanos, method, path, query, headers, body, clientAddress, provider, model, stream,
                apiKeyMask, apiKeyFingerprint, fault, faultReason, scenarioId, status, responseHeaders, duration,
                origin, upstreamLatency, null, null, null);
    }

    /** An entry of a provider's own path (no alias). */
    public JournalEntry(long sequence, Instant time, long monotonicNanos, String method, String path, String query,
                        Map<String, String> headers, String body, String clientAddress, Provider provider, String model,
                        boolean stream, String apiKeyMask, String apiKeyFingerprint, Fault fault, String faultReason,
                        String scenarioId, int status, Map<String, String> responseHeaders, Duration duration,
                        Origin origin, Duration upstreamLatency, Duration askedWait, String replyId) {
        this(sequence, time, monotonicNanos, method, path, query, headers, body, clientAddress, provider, model, stream,
                apiKeyMask, apiKeyFingerprint, fault, faultReason, scenarioId, status, responseHeaders, duration,
                origin, upstreamLatency, askedWait, replyId, null);
    }

    /**
     * A model call as the fake server counted and answered it: what the agent assertions read, since the journal
     * keeps no answer body. The counts are the server's own estimates, the ones its answers report as usage.
     *
     * <pre>{@code
     * JournalEntry.ModelCall call = entry.modelCall();
     * assertThat(call.toolCalls()).extracting(Conversation.ToolCall::name).containsExactly("get_weather");
     * assertThat(call.promptTokens() + call.completionTokens()).isLessThan(1_000);
     * }</pre>
     *
     * @param promptTokens     the request's prompt tokens
     * @param reservedTokens   the output tokens the request reserved ({@code max_tokens} or its equivalent), 0 if none
     * @param completionTokens the tokens of the answer the model chose, 0 when no answer was chosen (an error answer);
     *                         a fault may have cut the answer short on the wire: see {@link #fault()}
     * @param toolCalls        the tool calls of that answer, in order (empty for a text answer or an error answer)
     */
    public record ModelCall(int promptTokens, int reservedTokens, int completionTokens,
                            List<Conversation.ToolCall> toolCalls) {
        public ModelCall {
            toolCalls = List.copyOf(toolCalls);
        }
    }

    /**
     * Who wrote an answer.
     *
     * <pre>{@code
     * assertThat(journal.entries()).allMatch(e -> e.origin() == JournalEntry.Origin.UPSTREAM);
     * }</pre>
     */
    public enum Origin {
        /** The fake server rendered it (a success, an injected fault, a policy or validation refusal). */
        LOCAL,
        /** The upstream answered it and the proxy passed it on (with any fault applied on top). */
        UPSTREAM,
        /** The upstream could not be reached or gave no answer in time: the provider's 5xx shape, not an injected fault. */
        UPSTREAM_FAILED,
        /** A recorded fixture answered it. */
        REPLAY,
        /** Strict replay found no fixture for it: the provider's error shape names the closest one. */
        REPLAY_UNMATCHED
    }


    /**
     * The key this request counts for: the owner of the OAuth token it carries or asks for
     * ({@link #tokenOwnerFingerprint}), else its own credential's fingerprint, else null. A query by API key
     * ({@link JournalQuery#apiKey}) matches either, so a test scoped to its key also sees its token requests and
     * the requests sent with the tokens it obtained.
     * <pre>{@code
     * assertThat(journal.entries()).allMatch(e -> Credentials.fingerprint(apiKey).equals(e.keyScope()));
     * }</pre>
     */
    public String keyScope() {
        return tokenOwnerFingerprint != null ? tokenOwnerFingerprint : apiKeyFingerprint;
    }

    /** A response header by name (any case), or null. */
    public String responseHeader(String name) {
        return responseHeaders.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The wait the answer asked for, wherever the provider says it: in the body ({@link #askedWait}, Gemini's
     * {@code RetryInfo}), else {@code retry-after-ms}, else {@code retry-after} (seconds), the order in which the
     * official SDKs read them; empty when the answer asked none.
     */
    public Optional<Duration> retryAfter() {
        if (askedWait != null) {
            return Optional.of(askedWait);
        }
        String ms = responseHeader("retry-after-ms");
        try {
            if (ms != null) {
                return Optional.of(Duration.ofNanos((long) (Double.parseDouble(ms) * 1_000_000)));
            }
            String seconds = responseHeader("retry-after");
            if (seconds != null) {
                return Optional.of(Duration.ofNanos((long) (Double.parseDouble(seconds) * 1_000_000_000)));
            }
        } catch (NumberFormatException notANumber) {
            return Optional.empty(); // an HTTP date: never sent by this server
        }
        return Optional.empty();
    }

    /** A request header by name (any case), masked if it is a credential, or null. */
    public String header(String name) {
        return headers.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /** The body parsed as JSON, when it is JSON. */
    public Optional<JsonNode> json() {
        return Json.tryParse(body);
    }

    /**
     * This entry as one JSON object, the shape of the admin API's {@code GET /__admin/requests} items
     * (credentials masked, as everywhere in the journal).
     * <pre>{@code Files.writeString(dir.resolve("last.json"), server.journal().last().orElseThrow().toJson());}</pre>
     */
    public String toJson() {
        return dev.llmfault.server.internal.journal.JournalCodec.write(this).toString();
    }

    /**
     * The request's conversation in the provider-neutral shape (messages, tool calls and results, offered tools,
     * output schema), read from the journaled body by the provider's dialect: what the agent assertions compare.
     * {@link Conversation#EMPTY} when the request is no model call or its body was cut or is not JSON.
     *
     * <pre>{@code
     * assertThat(entry.conversation().toolResult("call_1")).isPresent();
     * }</pre>
     */
    public Conversation conversation() {
        if (provider == null) {
            return Conversation.EMPTY;
        }
        Optional<JsonNode> parsed = json();
        if (parsed.isEmpty() || !parsed.get().isObject()) {
            return Conversation.EMPTY;
        }
        IncomingRequest request = new IncomingRequest(method, path, query, headers, header("content-type"), clientAddress);
        Dialects.Resolution where = alias == null ? Dialects.get().resolve(request)
                : Dialects.resolveAlias(alias, request).orElse(null);
        if (where == null || where.unknownPath() || where.dialect().provider() != provider
                || where.route().route().kind() != Route.Kind.CHAT) {
            return Conversation.EMPTY;
        }
        return where.dialect().conversation(where.route(), parsed.get());
    }

    /** True when the answer was a fault of any kind. */
    public boolean isFault() {
        return fault != null || origin == Origin.REPLAY_UNMATCHED;
    }
}
