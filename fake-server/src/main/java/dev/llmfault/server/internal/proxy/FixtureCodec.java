package dev.llmfault.server.internal.proxy;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.json.Json;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The file format of a {@link Fixture}, version {@value #FORMAT}. Bodies are kept exactly: a plain JSON body
 * that re-serializes to the same bytes is stored as JSON ({@code "body"}, readable and diffable), any other
 * text as {@code "bodyText"}, anything not UTF-8 as {@code "bodyBase64"}; stream chunks likewise as
 * {@code "text"} or {@code "base64"} with their arrival time {@code "atMs"}. So a replay is byte-identical.
 */
public final class FixtureCodec {
    public static final String FORMAT = "llmfault-fixture/1";

    private FixtureCodec() {
    }

    public static byte[] write(Fixture f) {
        ObjectNode n = Json.object();
        n.put("format", FORMAT);
        n.put("provider", f.provider().name());
        n.put("method", f.method());
        n.put("path", f.path());
        if (f.query() != null) n.put("query", f.query());
        if (f.model() != null) n.put("model", f.model());
        ObjectNode request = n.putObject("request");
        request.set("headers", headers(f.requestHeaders()));
        request.set("body", f.requestBody());
        ObjectNode response = n.putObject("response");
        Fixture.Answer a = f.response();
        response.put("status", a.status());
        response.put("latencyMs", a.latencyMs());
        response.set("headers", headers(a.headers()));
        if (a.isStream()) {
            ArrayNode chunks = response.putArray("stream");
            for (Fixture.Chunk c : a.chunks()) {
                ObjectNode chunk = chunks.addObject().put("atMs", c.atMs());
                String text = utf8(c.bytes());
                if (text != null) {
                    chunk.put("text", text);
                } else {
                    chunk.put("base64", Base64.getEncoder().encodeToString(c.bytes()));
                }
            }
        } else {
            writeBody(response, a.body());
        }
        n.put("recordedAt", f.recordedAt().toString());
        try {
            return Json.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(n);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a fixture is always serializable", e);
        }
    }

    private static void writeBody(ObjectNode response, byte[] body) {
        String text = utf8(body);
        if (text == null) {
            response.put("bodyBase64", Base64.getEncoder().encodeToString(body));
            return;
        }
        JsonNode json = Json.tryParse(text).orElse(null);
        if (json != null && (json.isObject() || json.isArray()) && Arrays.equals(Json.bytes(json), body)) {
            response.set("body", json);
        } else {
            response.put("bodyText", text);
        }
    }

    private static ObjectNode headers(Map<String, String> headers) {
        ObjectNode h = Json.object();
        new TreeMap<>(headers).forEach(h::put);
        return h;
    }

    /** The text, or null when the bytes are not valid UTF-8. */
    private static String utf8(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /**
     * Reads a fixture file's content.
     *
     * @param name the file's name, for messages
     * @throws IllegalArgumentException naming the file and the field that is missing or wrong
     */
    public static Fixture read(String name, byte[] content) {
        JsonNode n;
        try {
            n = Json.MAPPER.readTree(content);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + ": not JSON: " + e.getOriginalMessage());
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(name + ": cannot read: " + e.getMessage());
        }
        if (n == null || !n.isObject()) {
            throw new IllegalArgumentException(name + ": expected a JSON object");
        }
        String format = text(name, n, "format");
        if (!FORMAT.equals(format)) {
            throw new IllegalArgumentException(name + ": format: '" + format + "' is not supported, expected '" + FORMAT + "'");
        }
        Provider provider;
        String p = text(name, n, "provider");
        try {
            provider = Provider.valueOf(p);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": provider: '" + p + "' is not one of " + Arrays.toString(Provider.values()));
        }
        JsonNode request = object(name, n, "request");
        JsonNode response = object(name, n, "response");
        JsonNode status = response.get("status");
        if (status == null || !status.canConvertToInt() || status.asInt() < 100 || status.asInt() > 599) {
            throw new IllegalArgumentException(name + ": response.status: expected an HTTP status 100..599");
        }
        List<Fixture.Chunk> chunks = new ArrayList<>();
        byte[] body = new byte[0];
        JsonNode stream = response.get("stream");
        if (stream != null && stream.isArray()) {
            for (int i = 0; i < stream.size(); i++) {
                JsonNode c = stream.get(i);
                byte[] bytes = c.hasNonNull("text") ? c.get("text").asText().getBytes(StandardCharsets.UTF_8)
                        : c.hasNonNull("base64") ? Base64.getDecoder().decode(c.get("base64").asText()) : null;
                if (bytes == null) {
                    throw new IllegalArgumentException(name + ": response.stream[" + i + "]: needs 'text' or 'base64'");
                }
                chunks.add(new Fixture.Chunk(c.path("atMs").asLong(0), bytes));
            }
        } else if (response.has("body")) {
            body = Json.bytes(response.get("body"));
        } else if (response.has("bodyText")) {
            body = response.get("bodyText").asText().getBytes(StandardCharsets.UTF_8);
        } else if (response.has("bodyBase64")) {
            body = Base64.getDecoder().decode(response.get("bodyBase64").asText());
        }
        Instant recordedAt;
        try {
            recordedAt = n.hasNonNull("recordedAt") ? Instant.parse(n.get("recordedAt").asText()) : Instant.EPOCH;
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException(name + ": recordedAt: '" + n.get("recordedAt").asText() + "' is not an ISO-8601 instant");
        }
        return new Fixture(provider, text(name, n, "method"), text(name, n, "path"),
                n.hasNonNull("query") ? n.get("query").asText() : null,
                n.hasNonNull("model") ? n.get("model").asText() : null,
                stringMap(request.get("headers")), request.has("body") ? request.get("body") : TextNode.valueOf(""),
                new Fixture.Answer(status.asInt(), stringMap(response.get("headers")), body, chunks,
                        response.path("latencyMs").asLong(0)),
                recordedAt);
    }

    private static String text(String name, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException(name + ": " + field + ": expected a string");
        }
        return v.asText();
    }

    private static JsonNode object(String name, JsonNode n, String field) {
        JsonNode v = n.get(field);
        if (v == null || !v.isObject()) {
            throw new IllegalArgumentException(name + ": " + field + ": expected an object");
        }
        return v;
    }

    private static Map<String, String> stringMap(JsonNode node) {
        Map<String, String> out = new TreeMap<>();
        if (node != null && node.isObject()) {
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                out.put(e.getKey(), e.getValue().asText());
            }
        }
        return out;
    }
}
