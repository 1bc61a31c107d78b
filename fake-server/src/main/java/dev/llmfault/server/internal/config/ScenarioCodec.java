package dev.llmfault.server.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.internal.journal.Secrets;
import dev.llmfault.server.internal.json.Json;

import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Reads and writes the JSON shape of a scenario, the one of the admin API and the config file. Reading is
 * strict: an unknown field, a wrong type or a value out of range is an {@link InputException} naming the
 * field and the allowed values, and nothing is built.
 */
public final class ScenarioCodec {
    static final List<String> FIELDS = List.of("id", "fault", "provider", "times", "after", "every", "probability",
            "seed", "fromMs", "untilMs", "retryAfterMs", "shouldRetry", "delayMs", "afterChunks", "status", "headers",
            "body", "match");
    static final List<String> MATCH_FIELDS = List.of("path", "model", "apiKey", "apiKeyFingerprint", "apiKeyMask",
            "headers");

    private ScenarioCodec() {
    }

    public static Scenario read(JsonNode node) {
        if (node == null || !node.isObject()) {
            throw new InputException(null, "a scenario must be a JSON object, got " + describe(node));
        }
        checkFields(node, FIELDS, null);
        JsonNode faultNode = node.get("fault");
        if (faultNode == null || faultNode.isNull()) {
            throw new InputException("fault", "fault: is required, allowed: " + List.of(Fault.values()));
        }
        Fault fault = parseEnum("fault", faultNode, Fault::parse);
        Scenario.Builder b = Scenario.builder(fault);
        text(node, "id", b::id);
        if (present(node, "provider")) b.provider(parseEnum("provider", node.get("provider"), Provider::parse));
        integer(node, "times", v -> b.times(toInt("times", v)));
        integer(node, "after", v -> b.after(toInt("after", v)));
        integer(node, "every", v -> b.every(toInt("every", v)));
        number(node, "probability", b::probability);
        integer(node, "seed", b::seed);
        integer(node, "fromMs", b::fromMs);
        integer(node, "untilMs", b::untilMs);
        integer(node, "retryAfterMs", b::retryAfterMs);
        bool(node, "shouldRetry", b::shouldRetry);
        integer(node, "delayMs", b::delayMs);
        integer(node, "afterChunks", v -> b.afterChunks(toInt("afterChunks", v)));
        integer(node, "status", v -> b.status(toInt("status", v)));
        stringMap(node, "headers", b::header);
        text(node, "body", b::body);
        JsonNode match = node.get("match");
        if (match != null && !match.isNull()) {
            if (!match.isObject()) {
                throw new InputException("match", "match: expected an object, got " + describe(match));
            }
            checkFields(match, MATCH_FIELDS, "match");
            try {
                readRequestMatch(match, new RequestMatch(b::matchPath, b::matchModel, b::matchApiKey,
                        b::matchApiKeyFingerprint, b::matchHeader));
            } catch (InputException e) {
                throw e.within("match"); // 'match.model', not 'model', which is no field of a scenario
            }
        }
        try {
            return b.build();
        } catch (IllegalArgumentException e) {
            String message = e.getMessage();
            int colon = message.indexOf(':');
            throw new InputException(colon > 0 ? message.substring(0, colon) : null, message);
        }
    }

    /** The JSON shape of a scenario; the API key appears only as its mask and fingerprint. */
    public static ObjectNode write(Scenario s) {
        ObjectNode n = Json.object();
        if (s.id() != null) n.put("id", s.id());
        n.put("fault", s.fault().name());
        if (s.provider() != null) n.put("provider", s.provider().name());
        if (s.times() != null) n.put("times", s.times());
        if (s.after() != 0) n.put("after", s.after());
        if (s.every() != null) n.put("every", s.every());
        if (s.probability() != 1.0) n.put("probability", s.probability());
        if (s.seed() != null) n.put("seed", s.seed());
        if (s.fromMs() != null) n.put("fromMs", s.fromMs());
        if (s.untilMs() != null) n.put("untilMs", s.untilMs());
        if (s.retryAfterMs() != null) n.put("retryAfterMs", s.retryAfterMs());
        if (s.shouldRetry() != null) n.put("shouldRetry", s.shouldRetry());
        if (s.delayMs() != null) n.put("delayMs", s.delayMs());
        if (s.afterChunks() != null) n.put("afterChunks", s.afterChunks());
        if (s.status() != null) n.put("status", s.status());
        if (!s.headers().isEmpty()) {
            ObjectNode h = n.putObject("headers");
            s.headers().forEach(h::put);
        }
        if (s.body() != null) n.put("body", s.body());
        Scenario.Match m = s.match();
        ObjectNode match = writeRequestMatch(m.path(), m.model(), m.apiKeyFingerprint(), m.apiKeyMask(), m.headers());
        if (!match.isEmpty()) n.set("match", match);
        return n;
    }

    // ---- the request part of a match, shared by scenarios and reply rules ----

    /** Where the request fields of a match go: a scenario's or a reply rule's builder. */
    record RequestMatch(Consumer<String> path, Consumer<String> model, Consumer<String> apiKey,
                        java.util.function.BiConsumer<String, String> apiKeyFingerprint,
                        java.util.function.BiConsumer<String, String> header) {
    }

    /** Reads path, model, apiKey, apiKeyFingerprint (+ apiKeyMask) and headers of a match object. */
    static void readRequestMatch(JsonNode match, RequestMatch sink) {
        text(match, "path", sink.path());
        text(match, "model", sink.model());
        text(match, "apiKey", sink.apiKey());
        if (present(match, "apiKeyFingerprint")) {
            String mask = present(match, "apiKeyMask") ? match.get("apiKeyMask").asText() : "***";
            text(match, "apiKeyFingerprint", fp -> sink.apiKeyFingerprint().accept(fp, mask));
        }
        stringMap(match, "headers", sink.header());
    }

    /** The request fields of a match; the key only as its mask and fingerprint. */
    static ObjectNode writeRequestMatch(String path, String model, String fingerprint, String mask,
                                        Map<String, String> headers) {
        ObjectNode match = Json.object();
        if (path != null) match.put("path", path);
        if (model != null) match.put("model", model);
        if (fingerprint != null) {
            match.put("apiKeyMask", mask);
            match.put("apiKeyFingerprint", fingerprint);
        }
        if (!headers.isEmpty()) {
            ObjectNode h = match.putObject("headers");
            headers.forEach(h::put);
        }
        return match;
    }

    // ---- strict readers, shared with the other codecs of this package ----

    static void checkFields(JsonNode node, List<String> allowed, String parent) {
        Iterator<String> names = node.fieldNames();
        Set<String> known = Set.copyOf(allowed);
        while (names.hasNext()) {
            String name = names.next();
            if (!known.contains(name)) {
                String path = parent == null ? name : parent + "." + name;
                throw new InputException(path, path + ": unknown field, allowed: " + allowed);
            }
        }
    }

    static boolean present(JsonNode node, String field) {
        JsonNode v = node.get(field);
        return v != null && !v.isNull();
    }

    static void text(JsonNode node, String field, Consumer<String> sink) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return;
        if (!v.isTextual()) throw wrongType(field, v, "a string");
        sink.accept(v.asText());
    }

    static void integer(JsonNode node, String field, Consumer<Long> sink) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return;
        if (!v.isIntegralNumber() || !v.canConvertToLong()) throw wrongType(field, v, "an integer");
        sink.accept(v.asLong());
    }

    static void number(JsonNode node, String field, Consumer<Double> sink) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return;
        if (!v.isNumber()) throw wrongType(field, v, "a number");
        sink.accept(v.asDouble());
    }

    static void bool(JsonNode node, String field, Consumer<Boolean> sink) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return;
        if (!v.isBoolean()) throw wrongType(field, v, "true or false");
        sink.accept(v.asBoolean());
    }

    static void stringMap(JsonNode node, String field, java.util.function.BiConsumer<String, String> sink) {
        JsonNode v = node.get(field);
        if (v == null || v.isNull()) return;
        if (!v.isObject()) throw wrongType(field, v, "an object of strings");
        Iterator<Map.Entry<String, JsonNode>> it = v.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!e.getValue().isTextual() && !e.getValue().isNumber() && !e.getValue().isBoolean()) {
                throw wrongType(field + "." + e.getKey(), e.getValue(), "a string");
            }
            sink.accept(e.getKey(), e.getValue().asText());
        }
    }

    static int toInt(String field, long v) {
        if (v > Integer.MAX_VALUE || v < Integer.MIN_VALUE) {
            throw new InputException(field, field + ": invalid value " + v + ", expected an integer within 32 bits");
        }
        return (int) v;
    }

    static <E> E parseEnum(String field, JsonNode v, java.util.function.Function<String, E> parse) {
        if (!v.isTextual()) throw wrongType(field, v, "a string");
        try {
            return parse.apply(v.asText());
        } catch (IllegalArgumentException e) {
            throw new InputException(field, field + ": " + e.getMessage());
        }
    }

    static InputException wrongType(String field, JsonNode v, String expected) {
        String shown = field != null && field.contains("apiKey") ? Secrets.mask(v.toString()) : abbreviate(v); // never echo a key
        return new InputException(field, field + ": invalid value " + shown + ", expected " + expected);
    }

    static String describe(JsonNode v) {
        return v == null ? "nothing" : v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
    }

    private static String abbreviate(JsonNode v) {
        String s = v.toString();
        return s.length() > 60 ? s.substring(0, 57) + "..." : s;
    }
}
