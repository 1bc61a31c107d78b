package dev.llmfault.server.internal.reply;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * A deterministic JSON document that validates against a JSON Schema: what the fake model answers when a
 * request asks for structured output and no reply rule says otherwise, so a client's parser (openai-java's
 * {@code StructuredChatCompletion}, Spring AI's {@code BeanOutputConverter}, LangChain4j's AI services) is
 * exercised for real. The same schema always gives the same document.
 *
 * <p>Understood: {@code type} (one or a list: the first that is not {@code null}), {@code properties} (all of
 * them, required or not, so a record's every field is filled), {@code required}, {@code additionalProperties},
 * {@code min/maxProperties}, {@code enum}, {@code const}, {@code items}, {@code prefixItems},
 * {@code min/maxItems}, {@code uniqueItems}, {@code minimum}, {@code maximum}, their exclusive forms (draft 4
 * booleans too), {@code multipleOf}, {@code min/maxLength}, {@code format} (date, date-time, time, email, uuid,
 * uri, hostname, ipv4, ipv6, duration), a simple {@code pattern}, {@code $ref} into the document
 * ({@code $defs}, {@code definitions}, any JSON pointer, recursion ended by optional parts), {@code allOf}
 * (merged), {@code anyOf}/{@code oneOf} (the first branch that is not {@code null}), {@code not} (ignored).
 * A JSON mode without a schema ({@code {"type":"object"}}) gets a small object.
 *
 * <pre>{@code
 * SchemaInstance.of(Json.tryParse("{\"type\":\"object\",\"properties\":{\"city\":{\"type\":\"string\"}},"
 *         + "\"required\":[\"city\"]}").orElseThrow());   // {"city":"example"}
 * }</pre>
 */
public final class SchemaInstance {
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** How deep $refs may nest before only what is required is filled (recursive schemas: a tree of trees). */
    private static final int DEPTH = 12;
    private static final String TEXT = "example";

    private final JsonNode root;

    private SchemaInstance(JsonNode root) {
        this.root = root;
    }

    /** A document that validates against the schema (null or a missing schema: any object). */
    public static JsonNode of(JsonNode schema) {
        if (schema == null || schema.isNull() || schema.isMissingNode()) {
            return smallObject();
        }
        return new SchemaInstance(schema).value(schema, 0, 0, false);
    }

    /** The small object a JSON mode without a schema answers. */
    private static ObjectNode smallObject() {
        ObjectNode o = NODES.objectNode();
        o.put("result", TEXT);
        return o;
    }

    /**
     * @param variant which of several values (the n-th item of an array whose items must differ)
     * @param deep    past the depth limit: fill only what is required, take the smallest arrays
     */
    private JsonNode value(JsonNode schema, int depth, int variant, boolean deep) {
        if (schema == null || schema.isMissingNode() || schema.isNull()) {
            return NODES.textNode(TEXT);
        }
        if (schema.isBoolean()) {
            return schema.asBoolean() ? NODES.textNode(TEXT) : NullNode.getInstance();
        }
        if (!schema.isObject()) {
            return NODES.textNode(TEXT);
        }
        boolean tooDeep = deep || depth > DEPTH;
        JsonNode ref = schema.get("$ref");
        if (ref != null && ref.isTextual()) {
            JsonNode target = resolve(ref.asText());
            if (target != null) {
                return value(merge(target, without(schema, "$ref")), depth + 1, variant, tooDeep);
            }
        }
        if (schema.has("const")) {
            return schema.get("const");
        }
        JsonNode values = schema.get("enum");
        if (values != null && values.isArray() && !values.isEmpty()) {
            return values.get(variant % values.size());
        }
        JsonNode allOf = schema.get("allOf");
        if (allOf != null && allOf.isArray() && !allOf.isEmpty()) {
            JsonNode merged = without(schema, "allOf");
            for (JsonNode part : allOf) {
                merged = merge(merged, dereferenced(part));
            }
            return value(merged, depth + 1, variant, tooDeep);
        }
        for (String choice : List.of("anyOf", "oneOf")) {
            JsonNode branches = schema.get(choice);
            if (branches != null && branches.isArray() && !branches.isEmpty()) {
                JsonNode branch = firstNotNull(branches);
                return value(merge(without(schema, choice), dereferenced(branch)), depth + 1, variant, tooDeep);
            }
        }
        return switch (type(schema)) {
            case "object" -> object(schema, depth, variant, tooDeep);
            case "array" -> array(schema, depth, variant, tooDeep);
            case "integer" -> integer(schema, variant);
            case "number" -> number(schema, variant);
            case "boolean" -> NODES.booleanNode(variant % 2 == 0);
            case "null" -> NullNode.getInstance();
            default -> NODES.textNode(string(schema, variant));
        };
    }

    /** The declared type (the first that is not null of a list), else the one its keywords imply, else string. */
    private static String type(JsonNode schema) {
        JsonNode type = schema.get("type");
        if (type != null && type.isTextual()) {
            return type.asText();
        }
        if (type != null && type.isArray() && !type.isEmpty()) {
            for (JsonNode t : type) {
                if (!"null".equals(t.asText())) {
                    return t.asText();
                }
            }
            return "null";
        }
        if (schema.has("properties") || schema.has("required") || schema.has("additionalProperties")) {
            return "object";
        }
        if (schema.has("items") || schema.has("prefixItems") || schema.has("minItems")) {
            return "array";
        }
        if (schema.has("minimum") || schema.has("maximum") || schema.has("multipleOf")) {
            return "number";
        }
        return "string";
    }

    private JsonNode object(JsonNode schema, int depth, int variant, boolean deep) {
        ObjectNode out = NODES.objectNode();
        JsonNode properties = schema.path("properties");
        Set<String> required = new LinkedHashSet<>();
        for (JsonNode r : iterable(schema.get("required"))) {
            required.add(r.asText());
        }
        long max = schema.path("maxProperties").asLong(Long.MAX_VALUE);
        // Required ones first: a maxProperties limit cuts optional ones only.
        for (String name : required) {
            if (out.size() < max || required.size() > max) {
                out.set(name, property(schema, name, depth, variant, deep));
            }
        }
        if (!deep) {
            for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!out.has(name) && out.size() < max) {
                    out.set(name, value(properties.get(name), depth + 1, variant, false));
                }
            }
        }
        JsonNode additional = schema.get("additionalProperties");
        boolean closed = additional != null && additional.isBoolean() && !additional.asBoolean();
        long min = schema.path("minProperties").asLong(0);
        for (int i = 1; out.size() < min && !closed; i++) {
            if (!out.has("property" + i)) {
                out.set("property" + i, additional != null && additional.isObject()
                        ? value(additional, depth + 1, variant, deep) : NODES.textNode(TEXT));
            }
        }
        if (out.isEmpty() && !schema.has("properties") && !closed && max > 0 && schema.path("maxProperties").isMissingNode()
                && !schema.has("propertyNames") && !deep) {
            // A bare object (a JSON mode): a small object says more than {} to the parser under test.
            out.set("result", additional != null && additional.isObject()
                    ? value(additional, depth + 1, variant, deep) : NODES.textNode(TEXT));
        }
        return out;
    }

    private JsonNode property(JsonNode schema, String name, int depth, int variant, boolean deep) {
        JsonNode declared = schema.path("properties").get(name);
        if (declared != null) {
            return value(declared, depth + 1, variant, deep);
        }
        JsonNode additional = schema.get("additionalProperties");
        return additional != null && additional.isObject() ? value(additional, depth + 1, variant, deep) : NODES.textNode(TEXT);
    }

    private JsonNode array(JsonNode schema, int depth, int variant, boolean deep) {
        ArrayNode out = NODES.arrayNode();
        int min = schema.path("minItems").asInt(0);
        int max = schema.path("maxItems").asInt(Integer.MAX_VALUE);
        int count = Math.min(Math.max(min, deep ? 0 : 1), max);
        JsonNode prefix = schema.get("prefixItems");
        JsonNode items = schema.get("items");
        if (items != null && items.isArray()) { // draft 4 to 2019-09 tuples
            prefix = items;
            items = schema.get("additionalItems");
        }
        if (prefix != null && prefix.isArray()) {
            count = Math.max(count, Math.min(prefix.size(), max));
        }
        if (items != null && items.isBoolean() && !items.asBoolean() && prefix != null) {
            count = Math.min(count, prefix.size());
        }
        boolean unique = schema.path("uniqueItems").asBoolean(false);
        Set<JsonNode> seen = new HashSet<>();
        for (int i = 0; i < count; i++) {
            JsonNode itemSchema = prefix != null && prefix.isArray() && i < prefix.size() ? prefix.get(i) : items;
            JsonNode item = value(itemSchema, depth + 1, variant + i, deep);
            for (int attempt = 1; unique && seen.contains(item) && attempt < 16; attempt++) {
                item = value(itemSchema, depth + 1, variant + i + attempt * 7, deep);
            }
            if (unique && !seen.add(item)) {
                break; // no more distinct values (a boolean array of 3 unique items cannot exist)
            }
            out.add(item);
        }
        return out;
    }

    private static JsonNode integer(JsonNode schema, int variant) {
        BigDecimal value = numberIn(schema, BigDecimal.valueOf(1 + variant), true);
        return NODES.numberNode(value.setScale(0, RoundingMode.CEILING).toBigInteger().longValue());
    }

    private static JsonNode number(JsonNode schema, int variant) {
        // 1.5: a fraction, so a client that parses a number as an integer finds out
        return NODES.numberNode(numberIn(schema, new BigDecimal("1.5").add(BigDecimal.valueOf(variant)), false).doubleValue());
    }

    /** The wanted value moved into the bounds, on a multiple of multipleOf when one is asked for. */
    private static BigDecimal numberIn(JsonNode schema, BigDecimal wanted, boolean integer) {
        BigDecimal step = schema.path("multipleOf").isNumber() ? schema.get("multipleOf").decimalValue() : null;
        BigDecimal unit = step != null ? step : integer ? BigDecimal.ONE : new BigDecimal("0.5");
        BigDecimal low = bound(schema, "minimum", "exclusiveMinimum", unit, true);
        BigDecimal high = bound(schema, "maximum", "exclusiveMaximum", unit, false);
        BigDecimal v = wanted;
        if (low != null && v.compareTo(low) < 0) {
            v = low;
        }
        if (high != null && v.compareTo(high) > 0) {
            v = high;
        }
        if (step != null && step.signum() > 0) {
            BigDecimal k = v.divide(step, 0, RoundingMode.CEILING);
            v = step.multiply(k);
            if (high != null && v.compareTo(high) > 0) {
                v = step.multiply(k.subtract(BigDecimal.ONE));
            }
        }
        if (integer) {
            v = v.setScale(0, low != null && v.compareTo(low) <= 0 ? RoundingMode.CEILING : RoundingMode.FLOOR);
            if (low != null && v.compareTo(low) < 0) {
                v = v.add(BigDecimal.ONE);
            }
        }
        return v;
    }

    /**
     * The inclusive bound a value must keep: {@code minimum}, or just inside {@code exclusiveMinimum} (a number
     * since draft 6, a boolean beside {@code minimum} in draft 4).
     */
    private static BigDecimal bound(JsonNode schema, String inclusive, String exclusive, BigDecimal unit, boolean lower) {
        BigDecimal b = schema.path(inclusive).isNumber() ? schema.get(inclusive).decimalValue() : null;
        JsonNode ex = schema.get(exclusive);
        BigDecimal inside = unit.min(BigDecimal.ONE);
        if (ex != null && ex.isNumber()) {
            BigDecimal e = lower ? ex.decimalValue().add(inside) : ex.decimalValue().subtract(inside);
            b = b == null ? e : lower ? b.max(e) : b.min(e);
        } else if (ex != null && ex.asBoolean(false) && b != null) {
            b = lower ? b.add(inside) : b.subtract(inside);
        }
        return b;
    }

    private static String string(JsonNode schema, int variant) {
        String base = format(schema.path("format").asText(""), variant);
        if (base == null) {
            base = variant == 0 ? TEXT : TEXT + " " + (variant + 1);
        }
        JsonNode pattern = schema.get("pattern");
        if (pattern != null && pattern.isTextual() && !matches(pattern.asText(), base)) {
            for (String candidate : List.of("a", "A", "0", "abc", "ABC", "123", "a1", "A1", "abc123", "ABC-123",
                    "x@example.com", TEXT)) {
                if (matches(pattern.asText(), candidate)) {
                    base = candidate;
                    break;
                }
            }
        }
        int min = schema.path("minLength").asInt(0);
        int max = schema.path("maxLength").asInt(Integer.MAX_VALUE);
        StringBuilder s = new StringBuilder(base);
        while (s.codePointCount(0, s.length()) < min) {
            s.append('x');
        }
        String out = s.toString();
        if (out.codePointCount(0, out.length()) > max) {
            out = out.substring(0, out.offsetByCodePoints(0, max));
        }
        return out;
    }

    private static String format(String format, int variant) {
        int n = variant % 9;
        return switch (format) {
            case "date" -> "2024-01-1" + (n + 1);
            case "date-time" -> "2024-01-1" + (n + 1) + "T10:30:00Z";
            case "time" -> "10:3" + n + ":00Z";
            case "email", "idn-email" -> "user" + (variant == 0 ? "" : variant) + "@example.com";
            case "uuid" -> "123e4567-e89b-42d3-a456-42661417400" + n;
            case "uri", "iri", "uri-reference", "iri-reference", "url" -> "https://example.com/" + (variant == 0 ? "" : variant);
            case "hostname", "idn-hostname" -> "host" + (variant == 0 ? "" : variant) + ".example.com";
            case "ipv4" -> "192.0.2." + (n + 1);
            case "ipv6" -> "2001:db8::" + (n + 1);
            case "duration" -> "P" + (n + 1) + "D";
            default -> null;
        };
    }

    private static boolean matches(String regex, String s) {
        try {
            return Pattern.compile(regex).matcher(s).find();
        } catch (PatternSyntaxException e) {
            return true; // a pattern Java cannot read: leave the text as it is
        }
    }

    // ---- $ref and merging ----

    /** The schema a reference inside this document points to ({@code #}, {@code #/$defs/X}, any JSON pointer), or null. */
    private JsonNode resolve(String ref) {
        if (ref.equals("#")) {
            return root;
        }
        if (!ref.startsWith("#/")) {
            return null; // another document: nothing to fetch (the product never calls out)
        }
        JsonNode target = root.at(ref.substring(1).replace("%25", "%"));
        return target.isMissingNode() ? null : target;
    }

    private JsonNode dereferenced(JsonNode schema) {
        if (schema != null && schema.isObject() && schema.path("$ref").isTextual()) {
            JsonNode target = resolve(schema.get("$ref").asText());
            if (target != null && target != schema) {
                return merge(target, without(schema, "$ref"));
            }
        }
        return schema;
    }

    private static JsonNode firstNotNull(JsonNode branches) {
        for (JsonNode b : branches) {
            if (!(b.isObject() && "null".equals(b.path("type").asText()))) {
                return b;
            }
        }
        return branches.get(0);
    }

    /** A schema with one keyword less. */
    private static JsonNode without(JsonNode schema, String keyword) {
        ObjectNode copy = ((ObjectNode) schema).deepCopy();
        copy.remove(keyword);
        return copy;
    }

    /** Two schemas as one: properties and required joined, the other keywords of {@code b} where {@code a} has none. */
    private static JsonNode merge(JsonNode a, JsonNode b) {
        if (b == null || !b.isObject() || b.isEmpty()) {
            return a;
        }
        if (a == null || !a.isObject()) {
            return b;
        }
        ObjectNode out = ((ObjectNode) a).deepCopy();
        for (Map.Entry<String, JsonNode> e : b.properties()) {
            String key = e.getKey();
            JsonNode v = e.getValue();
            if (key.equals("properties") && out.path("properties").isObject() && v.isObject()) {
                ((ObjectNode) out.get("properties")).setAll((ObjectNode) v.deepCopy());
            } else if (key.equals("required") && out.path("required").isArray() && v.isArray()) {
                List<JsonNode> joined = new ArrayList<>();
                out.get("required").forEach(joined::add);
                v.forEach(r -> {
                    if (!joined.contains(r)) {
                        joined.add(r);
                    }
                });
                out.putArray("required").addAll(joined);
            } else if (!out.has(key)) {
                out.set(key, v);
            }
        }
        return out;
    }

    private static Iterable<JsonNode> iterable(JsonNode array) {
        return array != null && array.isArray() ? array : List.of();
    }
}
