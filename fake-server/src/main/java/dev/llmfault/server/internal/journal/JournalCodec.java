package dev.llmfault.server.internal.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.json.Json;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * The JSON shape of a journal entry in admin answers, and its reading back by a client of a remote server.
 * Entries are already masked.
 */
public final class JournalCodec {
    private JournalCodec() {
    }

    public static ObjectNode write(JournalEntry e) {
        ObjectNode n = Json.object();
        n.put("sequence", e.sequence());
        n.put("time", e.time().toString());
        n.put("monotonicNanos", e.monotonicNanos());
        n.put("method", e.method());
        n.put("path", e.path());
        if (e.query() != null) n.put("query", e.query());
        ObjectNode headers = n.putObject("headers");
        e.headers().forEach(headers::put);
        e.json().ifPresentOrElse(json -> n.set("body", json), () -> n.put("body", e.body()));
        n.put("clientAddress", e.clientAddress());
        n.put("provider", e.provider() == null ? null : e.provider().name());
        if (e.model() != null) n.put("model", e.model());
        n.put("stream", e.stream());
        if (e.apiKeyMask() != null) {
            n.put("apiKeyMask", e.apiKeyMask());
            n.put("apiKeyFingerprint", e.apiKeyFingerprint());
        }
        if (e.fault() != null) {
            n.put("fault", e.fault().name());
            n.put("faultReason", e.faultReason());
        }
        if (e.scenarioId() != null) n.put("scenarioId", e.scenarioId());
        n.put("status", e.status());
        ObjectNode responseHeaders = n.putObject("responseHeaders");
        e.responseHeaders().forEach(responseHeaders::put);
        n.put("durationMs", e.duration().toNanos() / 1_000_000.0);
        if (e.origin() != JournalEntry.Origin.LOCAL) {
            n.put("origin", e.origin().name());
        }
        if (e.upstreamLatency() != null) {
            n.put("upstreamLatencyMs", e.upstreamLatency().toNanos() / 1_000_000.0);
        }
        return n;
    }

    /**
     * Reads an entry written by {@link #write(JournalEntry)}. A JSON body comes back re-serialized (compact),
     * so it may differ in white space from what the client sent.
     *
     * @throws IllegalArgumentException naming the field when the node is not a journal entry
     */
    public static JournalEntry read(JsonNode n) {
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException("a journal entry must be a JSON object, got " + n);
        }
        JsonNode body = n.path("body");
        try {
            return new JournalEntry(
                    required(n, "sequence").asLong(),
                    Instant.parse(required(n, "time").asText()),
                    required(n, "monotonicNanos").asLong(),
                    required(n, "method").asText(),
                    required(n, "path").asText(),
                    text(n, "query"),
                    map(n.path("headers")),
                    body.isMissingNode() || body.isNull() ? "" : body.isTextual() ? body.asText() : body.toString(),
                    text(n, "clientAddress"),
                    n.hasNonNull("provider") ? Provider.parse(n.get("provider").asText()) : null,
                    text(n, "model"),
                    n.path("stream").asBoolean(false),
                    text(n, "apiKeyMask"),
                    text(n, "apiKeyFingerprint"),
                    n.hasNonNull("fault") ? Fault.parse(n.get("fault").asText()) : null,
                    text(n, "faultReason"),
                    text(n, "scenarioId"),
                    required(n, "status").asInt(),
                    map(n.path("responseHeaders")),
                    Duration.ofNanos(Math.round(n.path("durationMs").asDouble(0) * 1_000_000)),
                    origin(n),
                    n.hasNonNull("upstreamLatencyMs")
                            ? Duration.ofNanos(Math.round(n.get("upstreamLatencyMs").asDouble() * 1_000_000)) : null);
        } catch (java.time.format.DateTimeParseException e) {
            throw new IllegalArgumentException("time: invalid value '" + n.path("time").asText()
                    + "', expected an ISO-8601 instant", e);
        }
    }

    private static JournalEntry.Origin origin(JsonNode n) {
        String origin = text(n, "origin");
        try {
            return origin == null ? JournalEntry.Origin.LOCAL : JournalEntry.Origin.valueOf(origin);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("origin: invalid value '" + origin + "', expected one of "
                    + java.util.Arrays.toString(JournalEntry.Origin.values()), e);
        }
    }

    private static JsonNode required(JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || v.isNull()) {
            throw new IllegalArgumentException(field + ": is required in a journal entry");
        }
        return v;
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v == null || v.isNull() ? null : v.asText();
    }

    private static Map<String, String> map(JsonNode node) {
        Map<String, String> out = new HashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = node.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            out.put(e.getKey(), e.getValue().asText());
        }
        return out;
    }
}
