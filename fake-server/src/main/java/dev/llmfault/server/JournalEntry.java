package dev.llmfault.server;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.internal.json.Json;

import java.time.Duration;
import java.time.Instant;
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
 * @param faultReason    why: {@code scenario s-1}, {@code validation: missing 'messages'}, {@code policy ...}
 * @param scenarioId     the id of the scenario that injected the fault, or null
 * @param status         the HTTP status answered, or 0 when the connection was reset with no answer
 * @param responseHeaders the headers answered, names in lower case (retry hints, rate limits, request id)
 * @param duration       time from arrival to the end of the answer (for SLOW_RESPONSE, to the start of its delay,
 *                       so that a client that gave up still finds its request)
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
        Duration duration) {

    public JournalEntry {
        headers = Map.copyOf(headers);
        responseHeaders = Map.copyOf(responseHeaders);
    }

    /** A response header by name (any case), or null. */
    public String responseHeader(String name) {
        return responseHeaders.get(name.toLowerCase(java.util.Locale.ROOT));
    }

    /**
     * The retry hint the answer gave, from {@code retry-after-ms} or else {@code retry-after} (seconds), the
     * order in which the official SDKs read them; empty when the answer gave none.
     */
    public Optional<Duration> retryAfter() {
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

    /** True when the answer was a fault of any kind. */
    public boolean isFault() {
        return fault != null;
    }
}
