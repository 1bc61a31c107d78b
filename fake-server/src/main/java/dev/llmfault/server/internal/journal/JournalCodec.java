package dev.llmfault.server.internal.journal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.io.SerializedString;
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
    /** Checks bodies only: no name interning (a body's names are never looked up), the mapper's limits otherwise. */
    private static final JsonFactory CHECKER = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .streamReadConstraints(Json.MAPPER.getFactory().streamReadConstraints())
            .build();
    private static final SerializedString SEQUENCE = new SerializedString("sequence");
    private static final SerializedString TIME = new SerializedString("time");
    private static final SerializedString MONOTONIC_NANOS = new SerializedString("monotonicNanos");
    private static final SerializedString METHOD = new SerializedString("method");
    private static final SerializedString PATH = new SerializedString("path");
    private static final SerializedString QUERY = new SerializedString("query");
    private static final SerializedString HEADERS = new SerializedString("headers");
    private static final SerializedString BODY = new SerializedString("body");
    private static final SerializedString CLIENT_ADDRESS = new SerializedString("clientAddress");
    private static final SerializedString PROVIDER = new SerializedString("provider");
    private static final SerializedString MODEL = new SerializedString("model");
    private static final SerializedString STREAM = new SerializedString("stream");
    private static final SerializedString API_KEY_MASK = new SerializedString("apiKeyMask");
    private static final SerializedString API_KEY_FINGERPRINT = new SerializedString("apiKeyFingerprint");
    private static final SerializedString TOKEN_OWNER_FINGERPRINT = new SerializedString("tokenOwnerFingerprint");
    private static final SerializedString FAULT = new SerializedString("fault");
    private static final SerializedString FAULT_REASON = new SerializedString("faultReason");
    private static final SerializedString SCENARIO_ID = new SerializedString("scenarioId");
    private static final SerializedString STATUS = new SerializedString("status");
    private static final SerializedString RESPONSE_HEADERS = new SerializedString("responseHeaders");
    private static final SerializedString DURATION_MS = new SerializedString("durationMs");
    private static final SerializedString ORIGIN = new SerializedString("origin");
    private static final SerializedString UPSTREAM_LATENCY_MS = new SerializedString("upstreamLatencyMs");
    private static final SerializedString ASKED_WAIT_MS = new SerializedString("askedWaitMs");
    private static final SerializedString REPLY_ID = new SerializedString("replyId");
    private static final SerializedString ALIAS = new SerializedString("alias");

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
     * not parsed into a tree). A keyed query of a shared server answers a hundred entries of ~1.2 KB each, so
     * the per-entry work is kept small: field names are encoded once ({@link SerializedString}), the time
     * is formatted from a per-second prefix, and the body check does not intern names.
     */
    public static void write(JsonGenerator g, JournalEntry e) throws IOException {
        g.writeStartObject();
        g.writeFieldName(SEQUENCE);
        g.writeNumber(e.sequence());
        g.writeFieldName(TIME);
        g.writeString(Timestamps.iso(e.time()));
        g.writeFieldName(MONOTONIC_NANOS);
        g.writeNumber(e.monotonicNanos());
        g.writeFieldName(METHOD);
        g.writeString(e.method());
        g.writeFieldName(PATH);
        g.writeString(e.path());
        if (e.query() != null) {
            g.writeFieldName(QUERY);
            g.writeString(e.query());
        }
        g.writeFieldName(HEADERS);
        writeMap(g, e.headers());
        g.writeFieldName(BODY);
        if (isJson(e.body())) {
            g.writeRawValue(e.body().trim());
        } else {
            g.writeString(e.body());
        }
        g.writeFieldName(CLIENT_ADDRESS);
        g.writeString(e.clientAddress());
        g.writeFieldName(PROVIDER);
        g.writeString(e.provider() == null ? null : e.provider().name());
        if (e.alias() != null) {
            g.writeFieldName(ALIAS);
            g.writeString(e.alias());
        }
        if (e.model() != null) {
            g.writeFieldName(MODEL);
            g.writeString(e.model());
        }
        g.writeFieldName(STREAM);
        g.writeBoolean(e.stream());
        if (e.apiKeyMask() != null) {
            g.writeFieldName(API_KEY_MASK);
            g.writeString(e.apiKeyMask());
            g.writeFieldName(API_KEY_FINGERPRINT);
            g.writeString(e.apiKeyFingerprint());
        }
        if (e.tokenOwnerFingerprint() != null) {
            g.writeFieldName(TOKEN_OWNER_FINGERPRINT);
            g.writeString(e.tokenOwnerFingerprint());
        }
        if (e.fault() != null) {
            g.writeFieldName(FAULT);
            g.writeString(e.fault().name());
        }
        if (e.faultReason() != null) {
            g.writeFieldName(FAULT_REASON); // also on a success whose client left before its end
            g.writeString(e.faultReason());
        }
        if (e.scenarioId() != null) {
            g.writeFieldName(SCENARIO_ID);
            g.writeString(e.scenarioId());
        }
        g.writeFieldName(STATUS);
        g.writeNumber(e.status());
        g.writeFieldName(RESPONSE_HEADERS);
        writeMap(g, e.responseHeaders());
        g.writeFieldName(DURATION_MS);
        g.writeNumber(e.duration().toNanos() / 1_000_000.0);
        if (e.origin() != JournalEntry.Origin.LOCAL) {
            g.writeFieldName(ORIGIN);
            g.writeString(e.origin().name());
        }
        if (e.upstreamLatency() != null) {
            g.writeFieldName(UPSTREAM_LATENCY_MS);
            g.writeNumber(e.upstreamLatency().toNanos() / 1_000_000.0);
        }
        if (e.askedWait() != null) {
            g.writeFieldName(ASKED_WAIT_MS);
            g.writeNumber(e.askedWait().toMillis());
        }
        if (e.replyId() != null) {
            g.writeFieldName(REPLY_ID);
            g.writeString(e.replyId());
        }
        if (e.modelCall() != null) {
            writeModelCall(g, e.modelCall());
        }
        g.writeEndObject();
    }

    private static void writeMap(JsonGenerator g, Map<String, String> map) throws IOException {
        g.writeStartObject();
        for (Map.Entry<String, String> h : map.entrySet()) {
            g.writeFieldName(h.getKey());
            g.writeString(h.getValue());
        }
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
        try (JsonParser p = CHECKER.createParser(text)) {
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
                    text(n, "alias"),
                    modelCall(n),
                    text(n, "tokenOwnerFingerprint"));
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
