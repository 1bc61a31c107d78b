package dev.llmfault.server.internal.dialect;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Conversation.ToolCall;
import dev.llmfault.server.internal.json.Json;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import static dev.llmfault.server.internal.dialect.ConversationBuilder.each;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.string;
import static dev.llmfault.server.internal.dialect.ConversationBuilder.text;

/**
 * Reads the conversation of a Gemini {@code generateContent} body: {@code systemInstruction} parts;
 * {@code contents} of role {@code user} or {@code model} whose parts are {@code text}, {@code functionCall}
 * ({@code id} optional) or {@code functionResponse}; {@code tools[].functionDeclarations[]} with
 * {@code parameters} (Gemini's OpenAPI-style Schema) or {@code parametersJsonSchema}; structured output from
 * {@code generationConfig.responseMimeType: application/json} with {@code responseSchema} or
 * {@code responseJsonSchema}. Gemini's Schema is turned into JSON Schema ({@code "OBJECT"} is
 * {@code "object"}, {@code nullable} adds {@code "null"}, int64 counts sent as strings are numbers).
 *
 * <pre>{@code
 * {"contents":[{"role":"model","parts":[{"functionCall":{"name":"get_weather","args":{"city":"Paris"}}}]},
 *   {"role":"user","parts":[{"functionResponse":{"name":"get_weather","response":{"output":"18°C"}}}]}]}
 * }</pre>
 */
final class GeminiConversation {
    private static final Set<String> COUNTS = Set.of("minItems", "maxItems", "minLength", "maxLength",
            "minProperties", "maxProperties");
    /** The keys of a google.rpc-style function response that hold the result as text. */
    private static final List<String> RESULT_KEYS = List.of("output", "result", "content");

    private GeminiConversation() {
    }

    /**
     * Whether {@link #read} may find a forced tool or an output schema: the fields they come from are present
     * ({@code toolConfig}, or a schema or MIME type in {@code generationConfig}). See Dialect#mayAskForStructuredOutput.
     */
    static boolean mayAskForStructuredOutput(JsonNode body) {
        return body.has("toolConfig") || mentionsOutput(body.path("generationConfig"));
    }

    private static boolean mentionsOutput(JsonNode config) {
        return config.has("responseJsonSchema") || config.has("responseSchema") || config.has("responseMimeType");
    }

    static Conversation read(JsonNode body) {
        ConversationBuilder b = new ConversationBuilder();
        JsonNode system = body.get("systemInstruction");
        if (system != null && system.isObject()) {
            b.system(text(system.get("parts")));
        }
        for (JsonNode content : each(body.get("contents"))) {
            if ("model".equals(string(content, "role"))) {
                model(b, content.get("parts"));
            } else {
                user(b, content.get("parts"));
            }
        }
        int declared = 0;
        for (JsonNode tool : each(body.get("tools"))) {
            for (JsonNode f : each(tool.get("functionDeclarations"))) {
                JsonNode json = f.get("parametersJsonSchema");
                b.tool(string(f, "name"), json != null && !json.isNull() ? json : jsonSchema(f.get("parameters")));
                declared++;
            }
        }
        JsonNode calling = body.path("toolConfig").path("functionCallingConfig");
        if ("ANY".equals(string(calling, "mode"))) {
            JsonNode allowed = calling.path("allowedFunctionNames");
            if (allowed.isArray() && allowed.size() == 1) {
                b.forcedTool(allowed.get(0).asText());
            } else if (declared == 1 && allowed.isMissingNode()) {
                b.forcedTool(b.build().tools().get(0).name());
            }
        }
        JsonNode config = body.path("generationConfig");
        JsonNode schema = config.get("responseJsonSchema");
        if (schema == null || schema.isNull()) {
            schema = jsonSchema(config.get("responseSchema"));
        }
        if (schema != null && !schema.isNull()) {
            b.outputSchema(schema);
        } else if ("application/json".equals(string(config, "responseMimeType"))) {
            b.outputSchema(ConversationBuilder.anyObject());
        }
        return b.build();
    }

    private static void model(ConversationBuilder b, JsonNode parts) {
        StringBuilder text = new StringBuilder();
        List<ToolCall> calls = new ArrayList<>();
        for (JsonNode part : each(parts)) {
            JsonNode call = part.get("functionCall");
            if (call != null && call.isObject()) {
                calls.add(ConversationBuilder.call(string(call, "id"), string(call, "name"), call.get("args")));
            } else if (part.path("text").isTextual() && !part.path("thought").asBoolean(false)) {
                text.append(part.get("text").asText());
            }
        }
        b.assistant(text.toString(), calls);
    }

    private static void user(ConversationBuilder b, JsonNode parts) {
        StringBuilder text = new StringBuilder();
        boolean results = false;
        for (JsonNode part : each(parts)) {
            JsonNode response = part.get("functionResponse");
            if (response != null && response.isObject()) {
                b.toolResult(string(response, "id"), string(response, "name"), resultText(response.get("response")));
                results = true;
            } else if (part.path("text").isTextual()) {
                text.append(part.get("text").asText());
            }
        }
        if (!results || text.length() > 0) {
            b.user(text.toString());
        }
    }

    /**
     * A function response's text: the {@code output} (what Google documents), {@code result} or
     * {@code content} string of a response holding only that, else the response as JSON.
     */
    private static String resultText(JsonNode response) {
        if (response != null && response.isObject() && response.size() == 1) {
            for (String key : RESULT_KEYS) {
                if (response.path(key).isTextual()) {
                    return response.get(key).asText();
                }
            }
        }
        return ConversationBuilder.textOf(response);
    }

    /** An int64 count as google-genai's Long would be read (an int when it fits: JSON Schema compares values, Jackson types). */
    private static JsonNode count(long n) {
        return n == (int) n ? Json.MAPPER.getNodeFactory().numberNode((int) n) : Json.MAPPER.getNodeFactory().numberNode(n);
    }

    /** Gemini's Schema as JSON Schema, or null for none. */
    static JsonNode jsonSchema(JsonNode schema) {
        if (schema == null || !schema.isObject()) {
            return null;
        }
        ObjectNode out = Json.object();
        for (Map.Entry<String, JsonNode> field : schema.properties()) {
            String key = field.getKey();
            JsonNode v = field.getValue();
            switch (key) {
                case "type" -> {
                    String type = v.asText().toLowerCase(Locale.ROOT);
                    if (!type.equals("type_unspecified")) {
                        out.put("type", type);
                    }
                }
                case "nullable" -> { }
                case "properties" -> {
                    ObjectNode props = out.putObject("properties");
                    v.properties().forEach(p -> props.set(p.getKey(), jsonSchema(p.getValue())));
                }
                case "items" -> out.set("items", jsonSchema(v));
                case "anyOf" -> {
                    ArrayNode any = out.putArray("anyOf");
                    v.forEach(s -> any.add(jsonSchema(s)));
                }
                default -> out.set(key, COUNTS.contains(key) && v.isTextual() && v.asText().matches("\\d+")
                        ? count(Long.parseLong(v.asText())) : v);
            }
        }
        if (schema.path("nullable").asBoolean(false) && out.path("type").isTextual()) {
            ArrayNode types = Json.MAPPER.createArrayNode().add(out.get("type").asText()).add("null");
            out.set("type", types);
        }
        return out;
    }
}
