package dev.llmfault.server.testing;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.catalogue.Rendering;
import dev.llmfault.server.testing.Envelopes.ProviderError;
import software.amazon.awssdk.eventstream.Message;
import software.amazon.awssdk.eventstream.MessageDecoder;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * AWS Bedrock Runtime Converse, as the AWS SDK for Java v2 sends and reads it: a SigV4 header signed now
 * (the server checks its shape, scope and time, not the signature), the model in the path, streams in AWS
 * event-stream framing (read back with the SDK's own decoder).
 */
final class BedrockFixture implements ProviderFixture {
    static final BedrockFixture INSTANCE = new BedrockFixture();
    private static final DateTimeFormatter AMZ_DATE =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);
    /** Any 64 hex digits: the server never holds the secret, so it checks the signature's form only. */
    private static final String SIGNATURE = "5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7";

    @Override
    public Provider provider() {
        return Provider.BEDROCK;
    }

    @Override
    public String chatPath(boolean stream) {
        // the SDK percent-encodes the model id's colon
        return "/model/anthropic.claude-3-haiku-20240307-v1%3A0/" + (stream ? "converse-stream" : "converse");
    }

    @Override
    public String model() {
        return "anthropic.claude-3-haiku-20240307-v1:0";
    }

    @Override
    public String key() {
        return "AKIAIOSFODNN7EXAMPLE";
    }

    /** A SigV4 header for this access key id, signed at this moment, and its {@code X-Amz-Date}. */
    @Override
    public Map<String, String> credential(String key) {
        return sigV4(key, Instant.now());
    }

    static Map<String, String> sigV4(String key, Instant at) {
        String date = AMZ_DATE.format(at);
        Map<String, String> h = new LinkedHashMap<>();
        h.put("Authorization", "AWS4-HMAC-SHA256 Credential=" + key + "/" + date.substring(0, 8)
                + "/us-east-1/bedrock/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=" + SIGNATURE);
        h.put("X-Amz-Date", date);
        return h;
    }

    @Override
    public String credentialHeader() {
        return "Authorization";
    }

    @Override
    public ObjectNode body(boolean stream, String userText) {
        ObjectNode b = Answer.JSON.createObjectNode();
        b.putArray("messages").addObject().put("role", "user").putArray("content").addObject().put("text", userText);
        return b;
    }

    @Override
    public String richBody(boolean stream) {
        return """
                {"messages":[{"role":"user","content":[{"text":"Weather?"},
                    {"image":{"format":"png","source":{"bytes":"iVBORw0KGgo="}}}]},
                   {"role":"assistant","content":[{"toolUse":{"toolUseId":"t1","name":"weather","input":{"city":"Paris"}}}]},
                   {"role":"user","content":[{"toolResult":{"toolUseId":"t1","content":[{"text":"sunny"}]}}]}],
                 "system":[{"text":"You are terse."}],
                 "inferenceConfig":{"maxTokens":300,"temperature":0.3,"topP":0.9,"stopSequences":["END"]},
                 "toolConfig":{"tools":[{"toolSpec":{"name":"weather","description":"Weather of a city",
                   "inputSchema":{"json":{"type":"object","properties":{"city":{"type":"string"}}}}}}]},
                 "additionalModelRequestFields":{"top_k":40},"performanceConfig":{"latency":"standard"},
                 "someFutureField":true}""";
    }

    /** Converse (structured output by {@code outputConfig.textFormat}, its schema as JSON text) and invoke (Claude's Messages body). */
    @Override
    public List<AgentConversation.Call> agentCalls() {
        String schemaText = AgentConversation.OUTPUT_SCHEMA.toString().replace("\"", "\\\"");
        String converse = """
                {"system":[{"text":"%s"}],
                 "messages":[{"role":"user","content":[{"text":"%s"}]},
                   {"role":"assistant","content":[{"toolUse":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q","name":"%s",
                     "input":{"city":"Paris"}}}]},
                   {"role":"user","content":[{"toolResult":{"toolUseId":"tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                     "content":[{"text":"%s"}],"status":"success"}}]}],
                 "toolConfig":{"tools":[{"toolSpec":{"name":"%s","description":"Weather of a city",
                   "inputSchema":{"json":%s}}}]},
                 "outputConfig":{"textFormat":{"type":"json_schema",
                   "structure":{"jsonSchema":{"name":"answer","schema":"%s"}}}}}""".formatted(AgentConversation.SYSTEM,
                AgentConversation.QUESTION, AgentConversation.TOOL, AgentConversation.RESULT, AgentConversation.TOOL,
                AgentConversation.PARAMETERS, schemaText);
        return List.of(new AgentConversation.Call(chatPath(false), converse, "tooluse_kZJMlvQmRJ6eAyJE5GIl7Q",
                        AgentConversation.OUTPUT_SCHEMA),
                new AgentConversation.Call("/model/anthropic.claude-3-haiku-20240307-v1%3A0/invoke",
                        AnthropicFixture.agentBody("\"anthropic_version\":\"bedrock-2023-05-31\","),
                        "toolu_01A09q90qw90lq917835lq9", AgentConversation.OUTPUT_SCHEMA));
    }

    @Override
    public ObjectNode usageProbe() {
        ObjectNode body = body(false, "123456789");
        body.putArray("system").addObject().put("text", "12345678");
        // Converse refuses two user messages in a row: the two parts join the user's one message
        ((com.fasterxml.jackson.databind.node.ArrayNode) body.withArray("messages").get(0).get("content"))
                .add(Answer.JSON.createObjectNode().put("text", "abcd"))
                .add(Answer.JSON.createObjectNode().put("text", "abcde"));
        return body;
    }

    @Override
    public int[] usage(JsonNode plainAnswer) {
        JsonNode u = plainAnswer.path("usage");
        assertThat(u.path("inputTokens").isIntegralNumber()).as("inputTokens in %s", u).isTrue();
        assertThat(u.path("outputTokens").isIntegralNumber()).as("outputTokens in %s", u).isTrue();
        assertThat(u.path("totalTokens").asInt()).as("totalTokens in %s", u)
                .isEqualTo(u.path("inputTokens").asInt() + u.path("outputTokens").asInt());
        return new int[] {u.path("inputTokens").asInt(), u.path("outputTokens").asInt()};
    }

    @Override
    public String requestIdHeader() {
        return "x-amzn-requestid"; // as the journal keeps names: lower case
    }

    /** {@code {"message"}} and the code in {@code x-amzn-ErrorType} ({@code Code:namespace}), as the SDK reads them. */
    @Override
    public ProviderError readError(Answer a) {
        JsonNode root = a.json();
        assertThat(root.path("message").isTextual()).as("message of %s", root).isTrue();
        String errorType = a.header("x-amzn-ErrorType");
        assertThat(errorType).as("x-amzn-ErrorType").isNotBlank();
        assertThat(a.header("x-amzn-RequestId")).as("x-amzn-RequestId")
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}");
        int colon = errorType.indexOf(':');
        return new ProviderError(colon < 0 ? errorType : errorType.substring(0, colon), null, root.get("message").asText());
    }

    @Override
    public void assertMatchesRow(ProviderError e, Rendering row) {
        assertThat(e.type()).isEqualTo(row.type());
    }

    @Override
    public void assertThrottleHeaders(Answer a) {
        // Bedrock sends no rate-limit headers
    }

    /** The messages of an event-stream body (read by the tests as ISO-8859-1, one char per byte). */
    static List<Message> messages(String body) {
        MessageDecoder decoder = new MessageDecoder();
        decoder.feed(body.getBytes(StandardCharsets.ISO_8859_1));
        return decoder.getDecodedMessages();
    }

    private static String header(Message m, String name) {
        return m.getHeaders().containsKey(name) ? m.getHeaders().get(name).getString() : null;
    }

    private static JsonNode payload(Message m) {
        try {
            return Answer.JSON.readTree(m.getPayload());
        } catch (java.io.IOException e) {
            throw new AssertionError("an event-stream payload that is not JSON: "
                    + new String(m.getPayload(), StandardCharsets.UTF_8), e);
        }
    }

    @Override
    public List<String> streamText(String body) {
        List<String> text = new ArrayList<>();
        for (Message m : messages(body)) {
            assertThat(header(m, ":content-type")).isEqualTo("application/json");
            if ("contentBlockDelta".equals(header(m, ":event-type"))) {
                text.add(payload(m).path("delta").path("text").asText());
            }
        }
        return text;
    }

    @Override
    public void assertEndsWithErrorFrame(String body) {
        List<Message> messages = messages(body);
        Message last = messages.get(messages.size() - 1);
        assertThat(header(last, ":message-type")).isEqualTo("exception");
        assertThat(header(last, ":exception-type")).isEqualTo("modelStreamErrorException");
        assertThat(payload(last).path("message").asText()).isNotBlank();
    }

    @Override
    public String terminalMarker() {
        return "messageStop";
    }
}
