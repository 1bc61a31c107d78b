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

/**
 * Google Gemini generateContent, as google-genai 2.x sends and reads it: {@code /v1/models/{model}:generateContent},
 * streaming on {@code :streamGenerateContent?alt=sse}, the key in {@code x-goog-api-key}.
 */
final class GeminiFixture implements ProviderFixture {
    static final GeminiFixture INSTANCE = new GeminiFixture();

    @Override
    public Provider provider() {
        return Provider.GEMINI;
    }

    @Override
    public String chatPath(boolean stream) {
        return "/v1/models/" + model() + (stream ? ":streamGenerateContent?alt=sse" : ":generateContent");
    }

    @Override
    public String model() {
        return "gemini-2.5-flash";
    }

    @Override
    public String key() {
        return "AIzaSyTest0123456789abcdefghijklmnopqr";
    }

    @Override
    public Map<String, String> credential(String key) {
        return Map.of("x-goog-api-key", key);
    }

    @Override
    public String credentialHeader() {
        return "x-goog-api-key";
    }

    @Override
    public String promptField() {
        return "contents";
    }

    @Override
    public ObjectNode body(boolean stream, String userText) {
        ObjectNode b = Answer.JSON.createObjectNode();
        b.putArray("contents").addObject().put("role", "user").putArray("parts").addObject().put("text", userText);
        return b; // a Gemini body says nothing of streaming: the path does
    }

    @Override
    public String richBody(boolean stream) {
        return """
                {"contents":[{"role":"user","parts":[{"text":"What is the weather?"}]},
                   {"role":"model","parts":[{"functionCall":{"name":"weather","args":{"city":"Paris"}}}]},
                   {"role":"user","parts":[{"functionResponse":{"name":"weather","response":{"text":"sunny"}}}]}],
                 "systemInstruction":{"parts":[{"text":"You are terse."}]},
                 "tools":[{"functionDeclarations":[{"name":"weather","description":"Weather of a city",
                   "parameters":{"type":"OBJECT","properties":{"city":{"type":"STRING"}},"required":["city"]}}]}],
                 "toolConfig":{"functionCallingConfig":{"mode":"AUTO"}},
                 "safetySettings":[{"category":"HARM_CATEGORY_HARASSMENT","threshold":"BLOCK_ONLY_HIGH"}],
                 "generationConfig":{"temperature":0.2,"topP":0.9,"topK":40,"candidateCount":1,
                   "maxOutputTokens":512,"stopSequences":["END"],"responseMimeType":"text/plain","seed":7,
                   "thinkingConfig":{"thinkingBudget":0}},
                 "cachedContent":null,"some_future_field":{"nested":[1,2,3]}}""";
    }

    /**
     * As google-genai sends it from the Gemini API's answers: calls without ids (the dialect names them after the
     * tool), Gemini's own Schema ({@code "OBJECT"}); and as from Vertex: ids, {@code parametersJsonSchema},
     * {@code responseJsonSchema}.
     */
    @Override
    public List<AgentConversation.Call> agentCalls() {
        String body = """
                {"systemInstruction":{"parts":[{"text":"%s"}]},
                 "contents":[{"role":"user","parts":[{"text":"%s"}]},
                   {"role":"model","parts":[{"functionCall":{%s"name":"%s","args":{"city":"Paris"}}}]},
                   {"role":"user","parts":[{"functionResponse":{%s"name":"%s","response":{"output":"%s"}}}]}],
                 "tools":[{"functionDeclarations":[{"name":"%s","description":"Weather of a city",%s}]}],
                 "generationConfig":{"responseMimeType":"application/json",%s}}""";
        String geminiSchemas = body.formatted(AgentConversation.SYSTEM, AgentConversation.QUESTION, "",
                AgentConversation.TOOL, "", AgentConversation.TOOL, AgentConversation.RESULT, AgentConversation.TOOL,
                "\"parameters\":{\"type\":\"OBJECT\",\"properties\":{\"city\":{\"type\":\"STRING\"}},\"required\":[\"city\"]}",
                "\"responseSchema\":{\"type\":\"OBJECT\",\"properties\":{\"answer\":{\"type\":\"STRING\"}},"
                        + "\"required\":[\"answer\"],\"propertyOrdering\":[\"answer\"]}");
        String jsonSchemas = body.formatted(AgentConversation.SYSTEM, AgentConversation.QUESTION, "\"id\":\"call_1\",",
                AgentConversation.TOOL, "\"id\":\"call_1\",", AgentConversation.TOOL, AgentConversation.RESULT,
                AgentConversation.TOOL, "\"parametersJsonSchema\":" + AgentConversation.PARAMETERS,
                "\"responseJsonSchema\":" + AgentConversation.OUTPUT_SCHEMA);
        return List.of(new AgentConversation.Call(chatPath(false), geminiSchemas, AgentConversation.TOOL,
                        withOrdering(AgentConversation.OUTPUT_SCHEMA)),
                new AgentConversation.Call(chatPath(false), jsonSchemas, "call_1", AgentConversation.OUTPUT_SCHEMA));
    }

    /** Gemini's propertyOrdering is kept: a JSON Schema validator ignores a keyword it does not know. */
    private static JsonNode withOrdering(JsonNode schema) {
        ObjectNode s = schema.deepCopy();
        s.putArray("propertyOrdering").add("answer");
        return s;
    }

    @Override
    public ObjectNode usageProbe() {
        ObjectNode body = Answer.JSON.createObjectNode();
        body.putObject("systemInstruction").putArray("parts").addObject().put("text", "12345678");
        var contents = body.putArray("contents");
        contents.addObject().put("role", "user").putArray("parts").addObject().put("text", "123456789");
        var parts = contents.addObject().put("role", "user").putArray("parts");
        parts.addObject().put("text", "abcd");
        parts.addObject().put("text", "abcde");
        return body;
    }

    @Override
    public int[] usage(JsonNode plainAnswer) {
        JsonNode u = plainAnswer.path("usageMetadata");
        assertThat(u.path("promptTokenCount").isIntegralNumber()).as("promptTokenCount in %s", u).isTrue();
        assertThat(u.path("candidatesTokenCount").isIntegralNumber()).as("candidatesTokenCount in %s", u).isTrue();
        assertThat(u.path("totalTokenCount").asInt()).isEqualTo(
                u.path("promptTokenCount").asInt() + u.path("candidatesTokenCount").asInt());
        return new int[] {u.path("promptTokenCount").asInt(), u.path("candidatesTokenCount").asInt()};
    }

    @Override
    public String requestIdHeader() {
        return "x-request-id";
    }

    /** Google's envelope as google-genai's ApiException reads it: {@code error.code} (int), message, status. */
    @Override
    public ProviderError readError(Answer a) {
        JsonNode root = a.json();
        JsonNode error = root.path("error");
        assertThat(root.size()).as("top-level fields of %s", root).isEqualTo(1);
        assertThat(error.path("code").isInt()).as("error.code of %s", root).isTrue();
        assertThat(error.path("code").asInt()).as("error.code of %s", root).isEqualTo(a.status());
        assertThat(error.path("message").isTextual()).as("error.message of %s", root).isTrue();
        assertThat(error.path("status").asText()).as("error.status of %s", root).matches("[A-Z_]+");
        String reason = null;
        for (JsonNode d : error.path("details")) {
            assertThat(d.path("@type").asText()).as("details of %s", root).startsWith("type.googleapis.com/google.rpc.");
            if (d.path("@type").asText().endsWith("ErrorInfo")) {
                reason = d.path("reason").asText();
            }
        }
        return new ProviderError(error.get("status").asText(), reason, error.get("message").asText());
    }

    @Override
    public void assertMatchesRow(ProviderError e, Rendering row) {
        assertThat(e.type()).isEqualTo(row.type());
        assertThat(e.code()).isEqualTo(row.code());
    }

    /** No header at all: the hint is RetryInfo in the body. */
    @Override
    public void assertThrottleHeaders(Answer a) {
        assertThat(a.header("retry-after")).as("Gemini sends no Retry-After").isNull();
        JsonNode retryInfo = null;
        for (JsonNode d : a.json().path("error").path("details")) {
            if (d.path("@type").asText().endsWith("google.rpc.RetryInfo")) {
                retryInfo = d;
            }
        }
        assertThat(retryInfo).as("RetryInfo in %s", a.body()).isNotNull();
        assertThat(retryInfo.path("retryDelay").asText()).matches("\\d+(\\.\\d{1,9})?s");
    }

    @Override
    public List<String> streamText(String body) {
        List<String> out = new ArrayList<>();
        for (SseFrame f : SseFrame.parse(body)) {
            if (f.json().has("error")) {
                continue; // the mid-stream error frame: see assertEndsWithErrorFrame
            }
            JsonNode text = f.json().path("candidates").path(0).path("content").path("parts").path(0).path("text");
            assertThat(text.isTextual()).as("text of %s", f.data()).isTrue();
            if (!text.asText().isEmpty()) {
                out.add(text.asText());
            }
        }
        return out;
    }

    @Override
    public void assertEndsWithErrorFrame(String body) {
        List<SseFrame> frames = SseFrame.parse(body);
        SseFrame error = frames.get(frames.size() - 1);
        assertThat(error.event()).isNull();
        JsonNode e = error.json().path("error");
        assertThat(e.path("code").asInt()).isEqualTo(500);
        assertThat(e.path("status").asText()).isEqualTo("INTERNAL");
        assertThat(e.path("message").asText()).isNotBlank();
    }

    @Override
    public String terminalMarker() {
        return "\"finishReason\":\"STOP\"";
    }
}
