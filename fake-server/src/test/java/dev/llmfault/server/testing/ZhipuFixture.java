package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.testing.Answer.SseFrame;
import dev.llmfault.server.testing.Envelopes.ProviderError;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Zhipu GLM: OpenAI's chat shapes, its own error envelope (the business code as a string) and request_id. */
final class ZhipuFixture extends OpenAiFixture {
    static final ZhipuFixture INSTANCE = new ZhipuFixture();

    @Override
    public Provider provider() {
        return Provider.ZHIPU;
    }

    @Override
    public String chatPath(boolean stream) {
        return "/api/paas/v4/chat/completions";
    }

    @Override
    public String model() {
        return "glm-4-flash";
    }

    @Override
    public String key() {
        return "0123456789abcdef0123456789abcdef.SecretPart0123456";
    }

    @Override
    public Map<String, String> credential(String key) {
        return Map.of("Authorization", "Bearer " + key);
    }

    @Override
    public String richBody(boolean stream) {
        return """
                {"model":"glm-4-flash","messages":%s,"tools":%s,"tool_choice":"auto",
                 "response_format":{"type":"json_object"},"temperature":0.95,"top_p":0.7,"do_sample":true,
                 "max_tokens":1024,"stop":["END"],"request_id":"client-req-1","user_id":"user-1",
                 "thinking":{"type":"enabled"},"stream":%s,"some_future_field":[]}""".formatted(MESSAGES, TOOLS, stream);
    }

    /** GLM's chat completions only, and its JSON mode without a schema ({@code json_object}): any object. */
    @Override
    public List<AgentConversation.Call> agentCalls() {
        return List.of(new AgentConversation.Call(chatPath(false), agentChatBody("{\"type\":\"json_object\"}"), "call_1",
                AgentConversation.ANY_OBJECT));
    }

    @Override
    public ProviderError readError(Answer a) {
        JsonNode root = a.json();
        JsonNode error = root.path("error");
        assertThat(error.path("code").isTextual()).as("error.code is a STRING in %s", root).isTrue();
        assertThat(error.path("code").asText()).as("error.code of %s", root).matches("1\\d{3}");
        assertThat(error.path("message").isTextual()).as("error.message of %s", root).isTrue();
        assertThat(root.path("request_id").isTextual()).as("request_id of %s", root).isTrue();
        return new ProviderError(error.get("code").asText(), null, error.get("message").asText());
    }

    @Override
    public void assertMatchesRow(ProviderError e, Rendering row) {
        assertThat(e.type()).isEqualTo(row.type());
    }

    @Override
    public void assertThrottleHeaders(Answer a) {
        // Zhipu documents no rate-limit headers: retry-after only
        assertThat(a.header("retry-after")).as("retry-after").matches("\\d+");
    }

    @Override
    public void assertEndsWithErrorFrame(String body) {
        List<SseFrame> frames = SseFrame.parse(body);
        JsonNode data = frames.get(frames.size() - 1).json();
        assertThat(data.path("error").path("code").isTextual()).isTrue();
        assertThat(data.path("error").path("message").asText()).doesNotContain("{requestId}");
    }
}
