package dev.llmfault.server.internal.journal;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.json.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * The JSON shape of a journal entry in admin answers, and its reading back by a client of a remote server.
 * Entries are already masked.
 */
public final class JournalCodec {
    private JournalCodec() {
    }

    /** The entry as a JSON object (the shape {@link #write(JsonGenerator, JournalEntry)} streams). */
    public static ObjectNode write(JournalEntry e) {
        try {
            java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
            try (JsonGenerator g = Json.MAPPER.getFactory().createGenerator(out)) {
                write(g, e);
            }
            return (ObjectNode) Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * Streams the entry as one JSON object. A JSON body is copied as it came (checked by a streaming pass,
     * not parsed into a tree): a keyed query of a shared server answers a hundred entries in well under a
     * millisecond this way.
     */
    public static void write(JsonGenerator g, JournalEntry e) throws IOException {
        g.writeStartObject();
        g.writeNumberField("sequence", e.sequence());
        g.writeStringField("time", e.time().toString());
        g.writeNumberField("monotonicNanos", e.monotonicNanos());
        g.writeStringField("method", e.method());
        g.writeStringField("path", e.path());
        if (e.query() != null) g.writeStringField("query", e.query());
        g.writeObjectFieldStart("headers");
        for (Map.Entry<String, String> h : e.headers().entrySet()) {
            g.writeStringField(h.getKey(), h.getValue());
        }
        g.writeEndObject();
        g.writeFieldName("body");
        if (isJson(e.body())) {
            g.writeRawValue(e.body().trim());
        } else {
            g.writeString(e.body());
        }
        g.writeStringField("clientAddress", e.clientAddress());
        g.writeStringField("provider", e.provider() == null ? null : e.provider().name());
        if (e.model() != null) g.writeStringField("model", e.model());
        g.writeBooleanField("stream", e.stream());
        if (e.apiKeyMask() != null) {
            g.writeStringField("apiKeyMask", e.apiKeyMask());
            g.writeStringField("apiKeyFingerprint", e.apiKeyFingerprint());
        }
        if (e.fault() != null) {
            g.writeStringField("fault", e.fault().name());
        }
        if (e.faultReason() != null) {
            g.writeStringField("faultReason", e.faultReason()); // also on a success whose client left before its end
        }
        if (e.scenarioId() != null) g.writeStringField("scenarioId", e.scenarioId());
        g.writeNumberField("status", e.status());
        g.writeObjectFieldStart("responseHeaders");
        for (Map.Entry<String, String> h : e.responseHeaders().entrySet()) {
            g.writeStringField(h.getKey(), h.getValue());
        }
        g.writeEndObject();
        g.writeNumberField("durationMs", e.duration().toNanos() / 1_000_000.0);
        if (e.origin() != JournalEntry.Origin.LOCAL) {
            g.writeStringField("origin", e.origin().name());
        }
        if (e.upstreamLatency() != null) {
            g.writeNumberField("upstreamLatencyMs", e.upstreamLatency().toNanos() / 1_000_000.0);
        }
        if (e.askedWait() != null) g.writeNumberField("askedWaitMs", e.askedWait().toMillis());
        if (e.replyId() != null) g.writeStringField("replyId", e.replyId());
        if (e.modelCall() != null) writeModelCall(g, e.modelCall());
        g.writeEndObject();
    }

    private static void writeModelCall(JsonGenerator g, JournalEntry.ModelCall call) throws IOException {
        g.writeObjectFieldStart("modelCall");
        g.writeNumberField("promptTokens", call.promptTokens());
        g.writeNumberField("reservedTokens", call.reservedTokens());
        g.writeNumberField("completionTokens", call.completionTokens());
        g.writeArrayFieldStart("toolCalls");
        for (Conversation.ToolCall c : call.toolCalls()) {
            g.writeStartObject();
            g.writeStringField("id", c.id());
            g.writeStringField("name", c.name());
            g.writeFieldName("arguments");
            g.writeTree(c.arguments());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private static JournalEntry.ModelCall modelCall(JsonNode n) {
        JsonNode m = n.get("modelCall");
        if (m == null || m.isNull()) {
            return null;
        }
        if (!m.isObject()) {
            throw new IllegalArgumentException("modelCall: invalid value " + m + ", expected an object");
        }
        List<Conversation.ToolCall> calls = new ArrayList<>();
        for (JsonNode c : m.path("toolCalls")) {
            calls.add(new Conversation.ToolCall(text(c, "id"), text(c, "name"), c.get("arguments")));
        }
        return new JournalEntry.ModelCall(m.path("promptTokens").asInt(0), m.path("reservedTokens").asInt(0),
                m.path("completionTokens").asInt(0), calls);
    }

    /** Exactly one JSON value (what {@link JournalEntry#json()} would parse), checked token by token. */
    static boolean isJson(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        try (JsonParser p = Json.MAPPER.getFactory().createParser(text)) {
            if (p.nextToken() == null) {
                return false;
            }
            p.skipChildren();
            return p.nextToken() == null;
        } catch (IOException notJson) {
            return false;
        }
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
                            ? Duration.ofNanos(Math.round(n.get("upstreamLatencyMs").asDouble() * 1_000_000)) : null,
                    n.hasNonNull("askedWaitMs") ? Duration.ofMillis(n.get("askedWaitMs").asLong()) : null,
                    text(n, "replyId"),
                    modelCall(n));
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
