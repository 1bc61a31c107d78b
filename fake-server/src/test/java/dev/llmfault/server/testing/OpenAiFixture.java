package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.testing.Answer.SseFrame;
import dev.llmfault.server.testing.Envelopes.ProviderError;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** OpenAI chat completions, as openai-java sends and reads them; Zhipu extends it (same shapes). */
class OpenAiFixture implements ProviderFixture {
    static final OpenAiFixture INSTANCE = new OpenAiFixture();

    static final String TOOLS = """
            [{"type":"function","function":{"name":"weather","description":"Weather of a city","strict":true,
              "parameters":{"type":"object","properties":{"city":{"type":"string"}},"required":["city"],
              "additionalProperties":false}}}]""";
    static final String MESSAGES = """
            [{"role":"system","content":"You are terse."},
             {"role":"user","content":[{"type":"text","text":"What is the weather?"}]},
             {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
               "function":{"name":"weather","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
             {"role":"tool","tool_call_id":"call_1","content":"sunny"}]""";

    @Override
    public Provider provider() {
        return Provider.OPENAI;
    }

    @Override
    public String chatPath(boolean stream) {
        return "/v1/chat/completions";
    }

    @Override
    public String model() {
        return "gpt-4o-mini";
    }

    @Override
    public String key() {
        return "sk-proj-test0123456789abcdefWXYZ";
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
        ObjectNode b = Answer.JSON.createObjectNode();
        b.put("model", model());
        b.putArray("messages").addObject().put("role", "user").put("content", userText);
        if (stream) {
            b.put("stream", true);
        }
        return b;
    }

    @Override
    public String richBody(boolean stream) {
        return """
                {"model":"gpt-4o","messages":%s,"tools":%s,"tool_choice":"auto","parallel_tool_calls":true,
                 "response_format":{"type":"json_schema","json_schema":{"name":"answer","strict":true,
                   "schema":{"type":"object","properties":{"text":{"type":"string"}}}}},
                 "temperature":0.2,"top_p":0.9,"n":1,"max_completion_tokens":512,"max_tokens":null,"seed":7,
                 "presence_penalty":0,"frequency_penalty":0.5,"logit_bias":{"50256":-100},"logprobs":false,
                 "stop":["\\n\\n"],"user":"user-1","metadata":{"trace":"abc"},"store":false,
                 "service_tier":"auto","reasoning_effort":"low","modalities":["text"],
                 "stream":%s,"stream_options":{"include_usage":true},
                 "some_future_field":{"nested":[1,2,3]}}""".formatted(MESSAGES, TOOLS, stream);
    }

    /** The Responses API's path beside {@link #chatPath}. */
    String responsesPath() {
        return "/v1/responses";
    }

    @Override
    public List<AgentConversation.Call> agentCalls() {
        return List.of(new AgentConversation.Call(chatPath(false), agentChatBody("""
                        {"type":"json_schema","json_schema":{"name":"answer","strict":true,"schema":%s}}"""
                        .formatted(AgentConversation.OUTPUT_SCHEMA))),
                new AgentConversation.Call(responsesPath(), """
                        {"model":"%s","instructions":"%s",
                         "input":[{"role":"user","content":[{"type":"input_text","text":"%s"}]},
                           {"type":"function_call","id":"fc_1","call_id":"call_1","name":"%s",
                            "arguments":"{\\"city\\":\\"Paris\\"}","status":"completed"},
                           {"type":"function_call_output","call_id":"call_1","output":"%s"}],
                         "tools":[{"type":"function","name":"%s","description":"Weather of a city","strict":false,
                           "parameters":%s}],
                         "text":{"format":{"type":"json_schema","name":"answer","strict":true,"schema":%s}}}"""
                        .formatted(model(), AgentConversation.SYSTEM, AgentConversation.QUESTION, AgentConversation.TOOL,
                                AgentConversation.RESULT, AgentConversation.TOOL, AgentConversation.PARAMETERS,
                                AgentConversation.OUTPUT_SCHEMA)));
    }

    /** The agent conversation in chat-completions messages, with this {@code response_format}. */
    String agentChatBody(String responseFormat) {
        return """
                {"model":"%s","messages":[{"role":"system","content":"%s"},
                   {"role":"user","content":[{"type":"text","text":"%s"}]},
                   {"role":"assistant","content":null,"tool_calls":[{"id":"call_1","type":"function",
                     "function":{"name":"%s","arguments":"{\\"city\\":\\"Paris\\"}"}}]},
                   {"role":"tool","tool_call_id":"call_1","content":"%s"}],
                 "tools":[{"type":"function","function":{"name":"%s","description":"Weather of a city","parameters":%s}}],
                 "response_format":%s}""".formatted(model(), AgentConversation.SYSTEM, AgentConversation.QUESTION,
                AgentConversation.TOOL, AgentConversation.RESULT, AgentConversation.TOOL, AgentConversation.PARAMETERS,
                responseFormat);
    }

    @Override
    public ObjectNode usageProbe() {
        ObjectNode body = body(false, "123456789");
        body.withArray("messages").insertObject(0).put("role", "system").put("content", "12345678");
        return OpenAiFixture.withTwoTextParts(body);
    }

    /** Adds a user message of two text parts of 4 and 5 characters, as usageProbe() documents. */
    static ObjectNode withTwoTextParts(ObjectNode body) {
        ObjectNode parts = body.withArray("messages").addObject().put("role", "user");
        parts.putArray("content").add(Answer.JSON.createObjectNode().put("type", "text").put("text", "abcd"))
                .add(Answer.JSON.createObjectNode().put("type", "text").put("text", "abcde"));
        return body;
    }

    @Override
    public int[] usage(JsonNode plainAnswer) {
        JsonNode u = plainAnswer.path("usage");
        assertThat(u.path("prompt_tokens").isIntegralNumber()).as("prompt_tokens in %s", u).isTrue();
        assertThat(u.path("completion_tokens").isIntegralNumber()).as("completion_tokens in %s", u).isTrue();
        return new int[] {u.path("prompt_tokens").asInt(), u.path("completion_tokens").asInt()};
    }

    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    @Override
    public ProviderError readError(Answer a) {
        JsonNode root = a.json();
        JsonNode error = root.path("error");
        assertThat(root.size()).as("top-level fields of %s", root).isEqualTo(1);
        assertThat(error.path("message").isTextual()).as("error.message of %s", root).isTrue();
        assertThat(error.path("type").isTextual()).as("error.type (openai-java requires it) of %s", root).isTrue();
        assertThat(error.has("param")).as("error.param of %s", root).isTrue();
        assertThat(error.has("code")).as("error.code of %s", root).isTrue();
        assertThat(error.get("code").isNull() || error.get("code").isTextual()).as("error.code of %s", root).isTrue();
        return new ProviderError(error.get("type").asText(), error.get("code").isNull() ? null : error.get("code").asText(),
                error.get("message").asText());
    }

    @Override
    public void assertMatchesRow(ProviderError e, Rendering row) {
        assertThat(e.type()).isEqualTo(row.type());
        assertThat(e.code()).isEqualTo(row.code());
    }

    @Override
    public void assertThrottleHeaders(Answer a) {
        assertThat(a.header("retry-after")).as("retry-after").matches("\\d+");
        assertThat(a.header("retry-after-ms")).matches("\\d+");
        assertThat(a.header("x-ratelimit-remaining-requests")).isEqualTo("0");
    }

    @Override
    public List<String> streamText(String body) {
        List<String> out = new ArrayList<>();
        for (SseFrame f : SseFrame.parse(body)) {
            if ("[DONE]".equals(f.data())) {
                continue;
            }
            JsonNode content = f.json().path("choices").path(0).path("delta").path("content");
            if (content.isTextual() && !content.asText().isEmpty()) {
                out.add(content.asText());
            }
        }
        return out;
    }

    @Override
    public void assertEndsWithErrorFrame(String body) {
        List<SseFrame> frames = SseFrame.parse(body);
        SseFrame error = frames.get(frames.size() - 1);
        assertThat(error.event()).isNull();
        JsonNode data = error.json();
        assertThat(data.path("error").path("type").asText()).isEqualTo("server_error");
        assertThat(data.path("error").path("message").asText()).isNotBlank();
    }

    @Override
    public String terminalMarker() {
        return "[DONE]";
    }
}
