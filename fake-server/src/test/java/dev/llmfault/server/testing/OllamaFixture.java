package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.testing.Envelopes.ProviderError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Ollama's {@code /api/chat}, as LangChain4j's OllamaChatModel sends and reads it: NDJSON streaming is the default,
 * so a plain call says {@code "stream": false}. A local Ollama takes no credential; the fixture sends the bearer
 * token a reverse proxy in front of it would ask for.
 */
final class OllamaFixture implements ProviderFixture {
    static final OllamaFixture INSTANCE = new OllamaFixture();

    @Override
    public Provider provider() {
        return Provider.OLLAMA;
    }

    @Override
    public String chatPath(boolean stream) {
        return "/api/chat";
    }

    @Override
    public String model() {
        return "llama3.2";
    }

    @Override
    public String key() {
        return "ollama-proxy-token-0123456789abcdef";
    }

    @Override
    public Map<String, String> credential(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    @Override
    public String credentialHeader() {
        return "Authorization";
    }

    @Override
    public boolean credentialRequired() {
        return false;
    }

    /** Ollama requires only the model: a chat without messages just loads it. */
    @Override
    public String promptField() {
        return "model";
    }

    @Override
    public ObjectNode body(boolean stream, String userText) {
        ObjectNode b = Answer.JSON.createObjectNode();
        b.put("model", model());
        b.putArray("messages").addObject().put("role", "user").put("content", userText);
        b.put("stream", stream);
        return b;
    }

    @Override
    public String richBody(boolean stream) {
        return """
                {"model":"llama3.2","messages":[{"role":"system","content":"You are terse."},
                   {"role":"user","content":"What is the weather?","images":[]},
                   {"role":"assistant","content":"","tool_calls":[{"function":{"name":"weather","arguments":{"city":"Paris"}}}]},
                   {"role":"tool","content":"sunny","tool_name":"weather"}],
                 "tools":[{"type":"function","function":{"name":"weather","description":"Weather of a city",
                   "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}}],
                 "format":{"type":"object","properties":{"text":{"type":"string"}}},
                 "options":{"temperature":0.2,"top_p":0.9,"top_k":40,"num_predict":512,"num_ctx":8192,"seed":7,
                   "stop":["END"],"repeat_penalty":1.1},
                 "keep_alive":"5m","think":false,"stream":%s,"some_future_field":{"nested":[1,2,3]}}""".formatted(stream);
    }

    /** As Spring AI and LangChain4j send it: arguments as an object, no call ids, the tool message naming the tool. */
    @Override
    public List<AgentConversation.Call> agentCalls() {
        return List.of(new AgentConversation.Call(chatPath(false), """
                {"model":"%s","stream":false,"messages":[{"role":"system","content":"%s"},{"role":"user","content":"%s"},
                   {"role":"assistant","content":"","tool_calls":[{"function":{"name":"%s","arguments":{"city":"Paris"}}}]},
                   {"role":"tool","tool_name":"%s","content":"%s"}],
                 "tools":[{"type":"function","function":{"name":"%s","description":"Weather of a city","parameters":%s}}],
                 "format":%s}""".formatted(model(), AgentConversation.SYSTEM, AgentConversation.QUESTION,
                AgentConversation.TOOL, AgentConversation.TOOL, AgentConversation.RESULT, AgentConversation.TOOL,
                AgentConversation.PARAMETERS, AgentConversation.OUTPUT_SCHEMA), AgentConversation.TOOL,
                AgentConversation.OUTPUT_SCHEMA));
    }

    @Override
    public ObjectNode usageProbe() {
        ObjectNode body = body(false, "123456789");
        body.withArray("messages").insertObject(0).put("role", "system").put("content", "12345678");
        body.withArray("messages").addObject().put("role", "user").put("content", "abcd");
        body.withArray("messages").addObject().put("role", "user").put("content", "abcde");
        return body;
    }

    @Override
    public int[] usage(JsonNode plainAnswer) {
        assertThat(plainAnswer.path("done").asBoolean()).as("done in %s", plainAnswer).isTrue();
        assertThat(plainAnswer.path("prompt_eval_count").isIntegralNumber()).as("prompt_eval_count in %s", plainAnswer).isTrue();
        assertThat(plainAnswer.path("eval_count").isIntegralNumber()).as("eval_count in %s", plainAnswer).isTrue();
        return new int[] {plainAnswer.path("prompt_eval_count").asInt(), plainAnswer.path("eval_count").asInt()};
    }

    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    public ProviderError readError(Answer a) {
        JsonNode root = a.json();
        assertThat(root.size()).as("fields of %s", root).isEqualTo(1);
        assertThat(root.path("error").isTextual()).as("error of %s", root).isTrue();
        return new ProviderError(null, null, root.get("error").asText());
    }

    @Override
    public void assertMatchesRow(ProviderError e, Rendering row) {
        assertThat(row.type()).as("Ollama's envelope has no type").isNull();
        assertThat(row.code()).as("Ollama's envelope has no code").isNull();
    }

    @Override
    public void assertThrottleHeaders(Answer a) {
        // Ollama sends no rate-limit headers
    }

    /** NDJSON: one object per line; every line but the error line has {@code done}. */
    @Override
    public List<String> streamText(String body) {
        List<String> out = new ArrayList<>();
        for (String line : body.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode json = parse(line);
            if (json.has("error")) {
                continue; // the mid-stream error line: see assertEndsWithErrorFrame
            }
            assertThat(json.has("done")).as("done in %s", line).isTrue();
            String text = json.path("message").path("content").asText("");
            if (!text.isEmpty()) {
                out.add(text);
            }
        }
        return out;
    }

    @Override
    public void assertEndsWithErrorFrame(String body) {
        String[] lines = body.strip().split("\n");
        JsonNode last = parse(lines[lines.length - 1]);
        assertThat(last.size()).as("the error line %s", last).isEqualTo(1);
        assertThat(last.path("error").asText()).isNotBlank();
    }

    @Override
    public String terminalMarker() {
        return "\"done\":true";
    }

    private static JsonNode parse(String line) {
        try {
            return Answer.JSON.readTree(line);
        } catch (java.io.IOException e) {
            throw new AssertionError("not a JSON line: " + line, e);
        }
    }
}
