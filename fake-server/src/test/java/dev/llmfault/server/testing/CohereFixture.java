package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.testing.Answer.SseFrame;
import dev.llmfault.server.testing.Envelopes.ProviderError;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Cohere v2 chat, as its SDK sends and reads it. */
final class CohereFixture implements ProviderFixture {
    static final CohereFixture INSTANCE = new CohereFixture();

    @Override
    public Provider provider() {
        return Provider.COHERE;
    }

    @Override
    public String chatPath(boolean stream) {
        return "/v2/chat";
    }

    @Override
    public String model() {
        return "command-r-plus";
    }

    @Override
    public String key() {
        return "co0123456789abcdefghijklmnopqrstuvwxyzAB";
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
    public ObjectNode body(boolean stream, String userText) {
        return OpenAiFixture.INSTANCE.body(stream, userText).put("model", model());
    }

    /** Cohere v2: OpenAI-like messages and tools, a tool result as a string, {@code response_format.json_schema}. */
    @Override
    public List<AgentConversation.Call> agentCalls() {
        return List.of(new AgentConversation.Call(chatPath(false), """
                {"model":"%s","messages":[{"role":"system","content":"%s"},{"role":"user","content":"%s"},
                   {"role":"assistant","tool_calls":[{"id":"get_weather_r9nqz9xn0a6k","type":"function",
                     "function":{"name":"%s","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                   {"role":"tool","tool_call_id":"get_weather_r9nqz9xn0a6k","content":"%s"}],
                 "tools":[{"type":"function","function":{"name":"%s","description":"Weather of a city","parameters":%s}}],
                 "response_format":{"type":"json_object","json_schema":%s}}""".formatted(model(), AgentConversation.SYSTEM,
                AgentConversation.QUESTION, AgentConversation.TOOL, AgentConversation.RESULT, AgentConversation.TOOL,
                AgentConversation.PARAMETERS, AgentConversation.OUTPUT_SCHEMA), "get_weather_r9nqz9xn0a6k",
                AgentConversation.OUTPUT_SCHEMA));
    }

    @Override
    public String richBody(boolean stream) {
        return """
                {"model":"command-r-plus","messages":[{"role":"system","content":"You are terse."},
                   {"role":"user","content":[{"type":"text","text":"Weather?"}]}],
                 "tools":%s,"documents":[{"id":"d1","data":{"text":"Paris is sunny"}}],
                 "response_format":{"type":"json_object"},"citation_options":{"mode":"FAST"},
                 "safety_mode":"CONTEXTUAL","temperature":0.3,"p":0.75,"k":0,"seed":7,"max_tokens":300,
                 "stop_sequences":["END"],"frequency_penalty":0.1,"presence_penalty":0.1,
                 "stream":%s,"some_future_field":"x"}""".formatted(OpenAiFixture.TOOLS, stream);
    }

    @Override
    public ObjectNode usageProbe() {
        return OpenAiFixture.INSTANCE.usageProbe().put("model", model());
    }

    @Override
    public int[] usage(JsonNode plainAnswer) {
        JsonNode u = plainAnswer.path("usage").path("tokens");
        assertThat(u.path("input_tokens").isIntegralNumber()).as("input_tokens in %s", u).isTrue();
        assertThat(u.path("output_tokens").isIntegralNumber()).as("output_tokens in %s", u).isTrue();
        return new int[] {u.path("input_tokens").asInt(), u.path("output_tokens").asInt()};
    }

    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    public ProviderError readError(Answer a) {
        JsonNode root = a.json();
        assertThat(root.size()).as("fields of %s", root).isEqualTo(2);
        assertThat(root.path("id").asText()).as("id of %s", root)
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(root.path("message").isTextual()).as("message of %s", root).isTrue();
        return new ProviderError(null, null, root.get("message").asText());
    }

    @Override
    public void assertMatchesRow(ProviderError e, Rendering row) {
        assertThat(row.type()).as("Cohere's envelope has no type").isNull();
    }

    @Override
    public void assertThrottleHeaders(Answer a) {
        // Cohere sends retry-after only
        assertThat(a.header("retry-after")).as("retry-after").matches("\\d+");
    }

    @Override
    public List<String> streamText(String body) {
        return SseFrame.parse(body).stream().filter(f -> "content-delta".equals(f.event()))
                .map(f -> f.json().path("delta").path("message").path("content").path("text").asText()).toList();
    }

    @Override
    public void assertEndsWithErrorFrame(String body) {
        List<SseFrame> frames = SseFrame.parse(body);
        SseFrame error = frames.get(frames.size() - 1);
        assertThat(error.event()).isEqualTo("error");
        assertThat(error.json().path("message").asText()).isNotBlank();
    }

    @Override
    public String terminalMarker() {
        return "message-end";
    }
}
