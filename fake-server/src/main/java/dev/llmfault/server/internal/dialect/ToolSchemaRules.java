package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.internal.catalogue.Placeholder;
import dev.llmfault.server.internal.catalogue.Vars;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;

import static dev.llmfault.server.internal.dialect.ConversationBuilder.each;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.string;

/**
 * OpenAI's checks of a function tool's {@code parameters} (chat completions, the Responses API, Azure): the
 * root must be a JSON Schema of {@code type: "object"}; a keyword must have its JSON type; a {@code strict}
 * function must close every object ({@code additionalProperties: false}) and require every property. Refused
 * as {@code 400 invalid_function_parameters}, "Invalid schema for function 'x': ..." with
 * {@code param: tools[i].function.parameters} (Responses: {@code tools[i].parameters}).
 *
 * <pre>{@code
 * {"type":"function","function":{"name":"f","parameters":{"type":"string"}}}
 * -> Invalid schema for function 'f': schema must be a JSON Schema of 'type: "object"', got 'type: "string"'.
 * }</pre>
 */
final class ToolSchemaRules {
    /** The catalogue variant (MALFORMED_BODY). */
    static final String VARIANT = "invalid_tool_schema";
    private static final Set<String> TYPES = Set.of("object", "array", "string", "number", "integer", "boolean", "null");
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "$defs", "definitions", "patternProperties");
    private static final Set<String> SCHEMA_LISTS = Set.of("anyOf", "oneOf", "allOf", "prefixItems");

    private ToolSchemaRules() {
    }

    /** The tools of a chat-completions body ({@code nested}: under {@code function}) or of a Responses body. */
    static Rejection openAi(JsonNode body, boolean nested) {
        JsonNode tools = body.get("tools");
        if (tools == null || !tools.isArray()) {
            return null;
        }
        for (int i = 0; i < tools.size(); i++) {
            JsonNode tool = tools.get(i);
            if (!"function".equals(string(tool, "type"))) {
                continue;
            }
            JsonNode f = nested ? tool.path("function") : tool;
            JsonNode parameters = f.get("parameters");
            if (parameters == null || parameters.isNull() || parameters.isObject() && parameters.isEmpty()) {
                continue; // no parameters: a function without arguments
            }
            String problem = problem(parameters, f.path("strict").asBoolean(false));
            if (problem != null) {
                String param = nested ? "tools[" + i + "].function.parameters" : "tools[" + i + "].parameters";
                String name = string(f, "name");
                return Rejection.of(Fault.MALFORMED_BODY, VARIANT,
                        new Vars().put(Placeholder.FIELD, param).put(Placeholder.DETAIL, "'" + name + "': " + problem),
                        "validation: invalid tool schema for function '" + name + "': " + problem);
            }
        }
        return null;
    }

    private static String problem(JsonNode parameters, boolean strict) {
        if (!parameters.isObject()) {
            return repr(parameters) + " is not of type 'object', 'boolean'.";
        }
        JsonNode type = parameters.get("type");
        if (type == null || !"object".equals(type.asText())) {
            String got = type == null ? "None" : type.isTextual() ? type.asText() : type.toString();
            return "schema must be a JSON Schema of 'type: \"object\"', got 'type: \"" + got + "\"'.";
        }
        String invalid = keywords(parameters);
        if (invalid != null) {
            return invalid;
        }
        return strict ? strict(parameters, new ArrayList<>()) : null;
    }

    /** A keyword of the wrong JSON type anywhere in the schema, in the words of Python's jsonschema. */
    private static String keywords(JsonNode schema) {
        if (schema.isBoolean()) {
            return null;
        }
        if (!schema.isObject()) {
            return repr(schema) + " is not of type 'object', 'boolean'";
        }
        JsonNode type = schema.get("type");
        if (type != null) {
            for (JsonNode t : type.isArray() ? type : List.of(type)) {
                if (!t.isTextual() || !TYPES.contains(t.asText())) {
                    return repr(type) + " is not valid under any of the given schemas";
                }
            }
        }
        JsonNode required = schema.get("required");
        if (required != null && (!required.isArray() || !allText(required))) {
            return repr(required) + " is not of type 'array'";
        }
        for (Iterator<String> names = schema.fieldNames(); names.hasNext(); ) {
            String keyword = names.next();
            JsonNode v = schema.get(keyword);
            String found = null;
            if (SCHEMA_MAPS.contains(keyword)) {
                if (!v.isObject()) {
                    return repr(v) + " is not of type 'object'";
                }
                for (JsonNode sub : v) {
                    found = found == null ? keywords(sub) : found;
                }
            } else if (SCHEMA_LISTS.contains(keyword)) {
                if (!v.isArray()) {
                    return repr(v) + " is not of type 'array'";
                }
                for (JsonNode sub : v) {
                    found = found == null ? keywords(sub) : found;
                }
            } else if (keyword.equals("items") || keyword.equals("additionalProperties") || keyword.equals("not")) {
                found = keywords(v);
            }
            if (found != null) {
                return found;
            }
        }
        return null;
    }

    /** Strict mode: every object closed and all its properties required; the path as a Python tuple. */
    private static String strict(JsonNode schema, List<String> path) {
        if (!schema.isObject()) {
            return null;
        }
        JsonNode properties = schema.get("properties");
        if ("object".equals(schema.path("type").asText()) || properties != null) {
            JsonNode additional = schema.get("additionalProperties");
            if (additional == null || !additional.isBoolean() || additional.asBoolean()) {
                return "In context=" + tuple(path) + ", 'additionalProperties' is required to be supplied and to be false.";
            }
            if (properties != null && properties.isObject()) {
                for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    if (!contains(schema.get("required"), name)) {
                        return "In context=" + tuple(path) + ", 'required' is required to be supplied and to be an array "
                                + "including every key in properties. Missing '" + name + "'.";
                    }
                }
                for (Iterator<String> names = properties.fieldNames(); names.hasNext(); ) {
                    String name = names.next();
                    List<String> deeper = new ArrayList<>(path);
                    deeper.add("properties");
                    deeper.add(name);
                    String found = strict(properties.get(name), deeper);
                    if (found != null) {
                        return found;
                    }
                }
            }
        }
        JsonNode items = schema.get("items");
        if (items != null) {
            List<String> deeper = new ArrayList<>(path);
            deeper.add("items");
            return strict(items, deeper);
        }
        return null;
    }

    private static boolean contains(JsonNode required, String name) {
        for (JsonNode r : each(required)) {
            if (name.equals(r.asText())) {
                return true;
            }
        }
        return false;
    }

    private static boolean allText(JsonNode array) {
        for (JsonNode v : array) {
            if (!v.isTextual()) {
                return false;
            }
        }
        return true;
    }

    /** A Python tuple's repr: {@code ()}, {@code ('properties',)}, {@code ('properties', 'a')}. */
    private static String tuple(List<String> path) {
        if (path.isEmpty()) {
            return "()";
        }
        List<String> quoted = path.stream().map(p -> "'" + p + "'").toList();
        return "(" + String.join(", ", quoted) + (path.size() == 1 ? ",)" : ")");
    }

    /** A JSON value as Python's repr shows it ({@code 'text'}, {@code 3}, {@code None}, {@code True}). */
    private static String repr(JsonNode v) {
        if (v.isTextual()) {
            return "'" + v.asText() + "'";
        }
        if (v.isNull()) {
            return "None";
        }
        if (v.isBoolean()) {
            return v.asBoolean() ? "True" : "False";
        }
        return v.toString();
    }
}
