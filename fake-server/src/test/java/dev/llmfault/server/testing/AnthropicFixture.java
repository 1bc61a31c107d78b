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

/** Anthropic messages, as anthropic-java sends and reads them. */
final class AnthropicFixture implements ProviderFixture {
    static final AnthropicFixture INSTANCE = new AnthropicFixture();
    static final String VERSION = "2023-06-01";

    @Override
    public Provider provider() {
        return Provider.ANTHROPIC;
    }

    @Override
    public String chatPath(boolean stream) {
        return "/v1/messages";
    }

    @Override
    public String model() {
        return "claude-sonnet-4-5";
    }

    @Override
    public String key() {
        return "sk-ant-api03-test0123456789abcdefWXYZ";
    }

    @Override
    public Map<String, String> credential(String key) {
        return Map.of("x-api-key", key);
    }

    @Override
    public String credentialHeader() {
        return "x-api-key";
    }

    @Override
    public Map<String, String> requiredHeaders() {
        return Map.of("anthropic-version", VERSION);
    }

    @Override
    public ObjectNode body(boolean stream, String userText) {
        ObjectNode b = Answer.JSON.createObjectNode();
        b.put("model", model());
        b.put("max_tokens", 256);
        b.putArray("messages").addObject().put("role", "user").put("content", userText);
        if (stream) {
            b.put("stream", true);
        }
        return b;
    }

    @Override
    public String richBody(boolean stream) {
        return """
                {"model":"claude-sonnet-4-5","max_tokens":1024,
                 "system":[{"type":"text","text":"You are terse.","cache_control":{"type":"ephemeral"}}],
                 "messages":[{"role":"user","content":[{"type":"text","text":"Weather?"},
                    {"type":"image","source":{"type":"base64","media_type":"image/png","data":"iVBORw0KGgo="}}]},
                   {"role":"assistant","content":[{"type":"tool_use","id":"toolu_1","name":"weather","input":{"city":"Paris"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_1","content":"sunny"}]}],
                 "tools":[{"name":"weather","description":"Weather of a city",
                   "input_schema":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"]}}],
                 "tool_choice":{"type":"auto","disable_parallel_tool_use":false},
                 "temperature":0.2,"top_p":0.9,"top_k":40,"stop_sequences":["END"],
                 "metadata":{"user_id":"user-1"},"thinking":{"type":"disabled"},"service_tier":"auto",
                 "stream":%s,"some_future_field":true}""".formatted(stream);
    }

    /** Anthropic's ids ({@code toolu_...}), a tool result of text blocks, structured output by {@code output_config}. */
    @Override
    public List<AgentConversation.Call> agentCalls() {
        return List.of(new AgentConversation.Call(chatPath(false), agentBody("\"model\":\"" + model() + "\","),
                "toolu_01A09q90qw90lq917835lq9", AgentConversation.OUTPUT_SCHEMA));
    }

    /** The agent conversation in Messages shape, after these leading fields (Bedrock's invoke has no model). */
    static String agentBody(String leading) {
        return """
                {%s"max_tokens":256,"system":"%s",
                 "messages":[{"role":"user","content":"%s"},
                   {"role":"assistant","content":[{"type":"tool_use","id":"toolu_01A09q90qw90lq917835lq9","name":"%s",
                     "input":{"city":"Paris"}}]},
                   {"role":"user","content":[{"type":"tool_result","tool_use_id":"toolu_01A09q90qw90lq917835lq9",
                     "content":[{"type":"text","text":"%s"}]}]}],
                 "tools":[{"name":"%s","description":"Weather of a city","input_schema":%s}],
                 "output_config":{"format":{"type":"json_schema","schema":%s}}}""".formatted(leading,
                AgentConversation.SYSTEM, AgentConversation.QUESTION, AgentConversation.TOOL, AgentConversation.RESULT,
                AgentConversation.TOOL, AgentConversation.PARAMETERS, AgentConversation.OUTPUT_SCHEMA);
    }

    @Override
    public ObjectNode usageProbe() {
        ObjectNode body = body(false, "123456789");
        body.put("system", "12345678");
        return OpenAiFixture.withTwoTextParts(body);
    }

    @Override
    public int[] usage(JsonNode plainAnswer) {
        JsonNode u = plainAnswer.path("usage");
        assertThat(u.path("input_tokens").isIntegralNumber()).as("input_tokens in %s", u).isTrue();
        assertThat(u.path("output_tokens").isIntegralNumber()).as("output_tokens in %s", u).isTrue();
        return new int[] {u.path("input_tokens").asInt(), u.path("output_tokens").asInt()};
    }

    @Override
    public String requestIdHeader() {
        return "request-id";
    }

    @Override
    public ProviderError readError(Answer a) {
        JsonNode root = a.json();
        assertThat(root.path("type").asText()).as("type of %s", root).isEqualTo("error");
        JsonNode error = root.path("error");
        assertThat(error.path("type").isTextual()).as("error.type of %s", root).isTrue();
        assertThat(error.path("message").isTextual()).as("error.message of %s", root).isTrue();
        assertThat(root.path("request_id").asText()).as("request_id of %s", root).isEqualTo(a.header("request-id"));
        return new ProviderError(error.get("type").asText(), null, error.get("message").asText());
    }

    @Override
    public void assertMatchesRow(ProviderError e, Rendering row) {
        assertThat(e.type()).isEqualTo(row.type());
    }

    @Override
    public void assertThrottleHeaders(Answer a) {
        assertThat(a.header("retry-after")).as("retry-after").matches("\\d+");
        assertThat(a.header("anthropic-ratelimit-requests-remaining")).isEqualTo("0");
    }

    @Override
    public List<String> streamText(String body) {
        return SseFrame.parse(body).stream().filter(f -> "content_block_delta".equals(f.event()))
                .map(f -> f.json().path("delta").path("text").asText()).toList();
    }

    @Override
    public void assertEndsWithErrorFrame(String body) {
        List<SseFrame> frames = SseFrame.parse(body);
        SseFrame error = frames.get(frames.size() - 1);
        assertThat(error.event()).isEqualTo("error");
        JsonNode data = error.json();
        assertThat(data.path("type").asText()).isEqualTo("error");
        assertThat(data.path("error").path("type").asText()).isEqualTo("overloaded_error");
        assertThat(data.path("error").path("message").asText()).isEqualTo("Overloaded");
    }

    @Override
    public String terminalMarker() {
        return "message_stop";
    }
}
