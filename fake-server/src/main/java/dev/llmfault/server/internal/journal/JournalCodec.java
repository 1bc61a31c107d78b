package dev.llmfault.server.internal.journal;

import com.fasterxml.jackson.core.JsonFactory;
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
    /** Checks bodies only: no name interning (a body's names are never looked up), the mapper's limits otherwise. */
    private static final JsonFactory CHECKER = JsonFactory.builder()
            .disable(JsonFactory.Feature.CANONICALIZE_FIELD_NAMES)
            .streamReadConstraints(Json.MAPPER.getFactory().streamReadConstraints())
            .build();
    private static final byte[] SEQUENCE = JsonBytes.name("sequence");
    private static final byte[] TIME = JsonBytes.name("time");
    private static final byte[] MONOTONIC_NANOS = JsonBytes.name("monotonicNanos");
    private static final byte[] METHOD = JsonBytes.name("method");
    private static final byte[] PATH = JsonBytes.name("path");
    private static final byte[] QUERY = JsonBytes.name("query");
    private static final byte[] HEADERS = JsonBytes.name("headers");
    private static final byte[] BODY = JsonBytes.name("body");
    private static final byte[] CLIENT_ADDRESS = JsonBytes.name("clientAddress");
    private static final byte[] PROVIDER = JsonBytes.name("provider");
    private static final byte[] MODEL = JsonBytes.name("model");
    private static final byte[] STREAM = JsonBytes.name("stream");
    private static final byte[] API_KEY_MASK = JsonBytes.name("apiKeyMask");
    private static final byte[] API_KEY_FINGERPRINT = JsonBytes.name("apiKeyFingerprint");
    private static final byte[] TOKEN_OWNER_FINGERPRINT = JsonBytes.name("tokenOwnerFingerprint");
    private static final byte[] FAULT = JsonBytes.name("fault");
    private static final byte[] FAULT_REASON = JsonBytes.name("faultReason");
    private static final byte[] SCENARIO_ID = JsonBytes.name("scenarioId");
    private static final byte[] STATUS = JsonBytes.name("status");
    private static final byte[] RESPONSE_HEADERS = JsonBytes.name("responseHeaders");
    private static final byte[] DURATION_MS = JsonBytes.name("durationMs");
    private static final byte[] ORIGIN = JsonBytes.name("origin");
    private static final byte[] UPSTREAM_LATENCY_MS = JsonBytes.name("upstreamLatencyMs");
    private static final byte[] ASKED_WAIT_MS = JsonBytes.name("askedWaitMs");
    private static final byte[] REPLY_ID = JsonBytes.name("replyId");
    private static final byte[] ALIAS = JsonBytes.name("alias");
    private static final byte[] REQUESTS = JsonBytes.name("requests");
    private static final byte[] TOTAL = JsonBytes.name("total");
    private static final byte[] MODEL_CALL = JsonBytes.name("modelCall");
    private static final byte[] PROMPT_TOKENS = JsonBytes.name("promptTokens");
    private static final byte[] RESERVED_TOKENS = JsonBytes.name("reservedTokens");
    private static final byte[] COMPLETION_TOKENS = JsonBytes.name("completionTokens");
    private static final byte[] TOOL_CALLS = JsonBytes.name("toolCalls");
    private static final byte[] ID = JsonBytes.name("id");
    private static final byte[] NAME = JsonBytes.name("name");
    private static final byte[] ARGUMENTS = JsonBytes.name("arguments");

    private JournalCodec() {
    }

    /** The entry as a JSON object (the shape {@link #answer} writes for each entry). */
    public static ObjectNode write(JournalEntry e) {
        JsonBytes out = new JsonBytes(2048);
        write(out, e);
        try {
            return (ObjectNode) Json.MAPPER.readTree(out.toByteArray());
        } catch (IOException x) {
            throw new UncheckedIOException(x);
        }
    }

    /**
     * The answer of {@code GET /__admin/requests}: {@code {"requests":[...the last limit entries...],"total":n}}.
     * A keyed query of a shared server answers a hundred entries of ~1.2 KB each, so the per-entry work is kept
     * small: see {@link JsonBytes}, and a body is checked for being JSON by a streaming pass, not parsed into a tree.
     * Call {@link JsonBytes#release()} once the answer is written out.
     */
    public static JsonBytes answer(List<JournalEntry> found, int limit, long total) {
        JsonBytes out = JsonBytes.pooled(512 + 1500 * Math.min(found.size(), limit));
        out.beginObject();
        out.name(REQUESTS);
        out.beginArray();
        for (int i = Math.max(0, found.size() - limit); i < found.size(); i++) {
            write(out, found.get(i));
        }
        out.endArray();
        out.name(TOTAL);
        out.number(total);
        out.endObject();
        return out;
    }

    /** Writes the entry as one JSON object. A JSON body is copied as it came; any other body is a string. */
    static void write(JsonBytes out, JournalEntry e) {
        out.beginObject();
        out.name(SEQUENCE);
        out.number(e.sequence());
        out.name(TIME);
        out.time(e.time());
        out.name(MONOTONIC_NANOS);
        out.number(e.monotonicNanos());
        out.name(METHOD);
        out.string(e.method());
        out.name(PATH);
        out.string(e.path());
        if (e.query() != null) {
            out.name(QUERY);
            out.string(e.query());
        }
        out.name(HEADERS);
        writeMap(out, e.headers());
        out.name(BODY);
        if (isJson(e.body())) {
            out.rawValue(e.body().trim());
        } else {
            out.string(e.body());
        }
        out.name(CLIENT_ADDRESS);
        out.string(e.clientAddress());
        out.name(PROVIDER);
        out.string(e.provider() == null ? null : e.provider().name());
        if (e.alias() != null) {
            out.name(ALIAS);
            out.string(e.alias());
        }
        if (e.model() != null) {
            out.name(MODEL);
            out.string(e.model());
        }
        out.name(STREAM);
        out.bool(e.stream());
        if (e.apiKeyMask() != null) {
            out.name(API_KEY_MASK);
            out.string(e.apiKeyMask());
            out.name(API_KEY_FINGERPRINT);
            out.string(e.apiKeyFingerprint());
        }
        if (e.tokenOwnerFingerprint() != null) {
            out.name(TOKEN_OWNER_FINGERPRINT);
            out.string(e.tokenOwnerFingerprint());
        }
        if (e.fault() != null) {
            out.name(FAULT);
            out.string(e.fault().name());
        }
        if (e.faultReason() != null) {
            out.name(FAULT_REASON); // also on a success whose client left before its end
            out.string(e.faultReason());
        }
        if (e.scenarioId() != null) {
            out.name(SCENARIO_ID);
            out.string(e.scenarioId());
        }
        out.name(STATUS);
        out.number(e.status());
        out.name(RESPONSE_HEADERS);
        writeMap(out, e.responseHeaders());
        out.name(DURATION_MS);
        out.number(e.duration().toNanos() / 1_000_000.0);
        if (e.origin() != JournalEntry.Origin.LOCAL) {
            out.name(ORIGIN);
            out.string(e.origin().name());
        }
        if (e.upstreamLatency() != null) {
            out.name(UPSTREAM_LATENCY_MS);
            out.number(e.upstreamLatency().toNanos() / 1_000_000.0);
        }
        if (e.askedWait() != null) {
            out.name(ASKED_WAIT_MS);
            out.number(e.askedWait().toMillis());
        }
        if (e.replyId() != null) {
            out.name(REPLY_ID);
            out.string(e.replyId());
        }
        if (e.modelCall() != null) {
            writeModelCall(out, e.modelCall());
        }
        out.endObject();
    }

    private static void writeMap(JsonBytes out, Map<String, String> map) {
        out.beginObject();
        for (Map.Entry<String, String> h : map.entrySet()) {
            out.dynamicName(h.getKey());
            out.string(h.getValue());
        }
        out.endObject();
    }

    private static void writeModelCall(JsonBytes out, JournalEntry.ModelCall call) {
        out.name(MODEL_CALL);
        out.beginObject();
        out.name(PROMPT_TOKENS);
        out.number(call.promptTokens());
        out.name(RESERVED_TOKENS);
        out.number(call.reservedTokens());
        out.name(COMPLETION_TOKENS);
        out.number(call.completionTokens());
        out.name(TOOL_CALLS);
        out.beginArray();
        for (Conversation.ToolCall c : call.toolCalls()) {
            out.beginObject();
            out.name(ID);
            out.string(c.id());
            out.name(NAME);
            out.string(c.name());
            out.name(ARGUMENTS);
            out.rawValue(Json.bytes(c.arguments()));
            out.endObject();
        }
        out.endArray();
        out.endObject();
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

    /**
     * Exactly one JSON value (what {@link JournalEntry#json()} would parse): proved by {@link JsonSyntax} for the
     * usual body, else checked token by token by Jackson.
     */
    static boolean isJson(String text) {
        if (text == null || text.isBlank()) {
            return false;
        }
        if (JsonSyntax.surelyValid(text)) {
            return true;
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
