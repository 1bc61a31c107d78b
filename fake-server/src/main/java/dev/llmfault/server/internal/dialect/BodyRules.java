package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Vars;

/**
 * The field checks every dialect shares: required fields and their JSON types. Unknown fields are always
 * accepted, as the real APIs accept them.
 */
final class BodyRules {
    private BodyRules() {
    }

    /**
     * The rules every chat endpoint shares: an object with a string {@code model}, a non-empty
     * {@code messages} array, the given positive integer fields (Anthropic's {@code max_tokens}), and a
     * boolean {@code stream} if present, checked in that order as the real APIs report the first problem.
     */
    static Rejection chat(JsonNode body, String... requiredIntegers) {
        Rejection r = requireObject(body);
        if (r == null) r = requireString(body, "model");
        for (String field : requiredIntegers) {
            if (r == null) r = requireInteger(body, field);
        }
        if (r == null) r = requireArray(body, "messages");
        if (r == null) r = optionalBoolean(body, "stream");
        return r;
    }

    static Rejection requireObject(JsonNode body) {
        if (!body.isObject()) {
            return Rejection.of(Fault.MALFORMED_BODY, "invalid_type",
                    new Vars().put(Placeholder.FIELD, "body").put(Placeholder.DETAIL, "expected an object, got " + kind(body)),
                    "validation: the body is not a JSON object");
        }
        return null;
    }

    static Rejection requireString(JsonNode body, String field) {
        return require(body, field, JsonNode::isTextual, "a string");
    }

    static Rejection requireArray(JsonNode body, String field) {
        Rejection r = require(body, field, JsonNode::isArray, "an array");
        if (r == null && body.get(field).isEmpty()) {
            return invalid(field, "[] is too short: at least 1 item is required");
        }
        return r;
    }

    static Rejection requireInteger(JsonNode body, String field) {
        Rejection r = require(body, field, JsonNode::isIntegralNumber, "an integer");
        if (r == null && body.get(field).asLong() < 1) {
            return invalid(field, body.get(field) + " is less than the minimum of 1");
        }
        return r;
    }

    static Rejection optionalBoolean(JsonNode body, String field) {
        JsonNode v = body.get(field);
        if (v != null && !v.isNull() && !v.isBoolean()) {
            return invalid(field, "expected a boolean, got " + kind(v));
        }
        return null;
    }

    private static Rejection require(JsonNode body, String field, java.util.function.Predicate<JsonNode> type,
                                     String expected) {
        JsonNode v = body.get(field);
        if (v == null || v.isNull()) {
            return Rejection.of(Fault.MISSING_FIELD, "", Vars.of(Placeholder.FIELD, field),
                    "validation: missing required field '" + field + "'");
        }
        if (!type.test(v)) {
            return invalid(field, "expected " + expected + ", got " + kind(v));
        }
        return null;
    }

    static Rejection invalid(String field, String detail) {
        return Rejection.of(Fault.MALFORMED_BODY, "invalid_type", new Vars().put(Placeholder.FIELD, field).put(Placeholder.DETAIL, detail),
                "validation: " + field + ": " + detail);
    }

    static String kind(JsonNode v) {
        return switch (v.getNodeType()) {
            case ARRAY -> "an array";
            case OBJECT -> "an object";
            case STRING -> "a string";
            case NUMBER -> "a number";
            case BOOLEAN -> "a boolean";
            case NULL -> "null";
            default -> v.getNodeType().name().toLowerCase(java.util.Locale.ROOT);
        };
    }
}
