package dev.llmfault.server.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Answer.SseFrame;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Envelopes;
import dev.llmfault.server.testing.Envelopes.ProviderError;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * OpenAI's Responses API on the OpenAI dialect: the response object and the typed event stream with every field
 * openai-java requires, stored responses (GET, DELETE, previous_response_id chaining), validation, and stream
 * faults acting on content deltas.
 */
class ResponsesApiTest {
    static final String REPLY = "Alpha beta gamma";
    static final List<String> PIECES = List.of("Alpha ", "beta ", "gamma");

    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.replyText(REPLY));

    static URI responses(String suffix) {
        return server.get().url().resolve("/v1/responses" + suffix);
    }

    static Map<String, String> headers() {
        return Calls.headers(Provider.OPENAI);
    }

    static ObjectNode body(boolean stream) {
        ObjectNode b = Answer.JSON.createObjectNode().put("model", "gpt-4o-mini").put("input", "Say hello")
                .put("instructions", "Be terse.");
        if (stream) {
            b.put("stream", true);
        }
        return b;
    }

    static Answer create(ObjectNode body) {
        return Http.send("POST", responses(""), headers(), body.toString());
    }

    @Test
    void aPlainResponseHasEveryFieldOpenAiJavaRequires() {
        Answer a = create(body(false));

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        JsonNode r = a.json();
        assertThat(r.path("id").asText()).matches("resp_[0-9a-f]{50}");
        assertThat(r.path("object").asText()).isEqualTo("response");
        assertThat(r.path("status").asText()).isEqualTo("completed");
        for (String required : List.of("created_at", "error", "incomplete_details", "instructions", "metadata", "model",
                "output", "parallel_tool_calls", "temperature", "tool_choice", "tools", "top_p")) {
            assertThat(r.has(required)).as("required field %s in %s", required, r).isTrue();
        }
        assertThat(r.path("instructions").asText()).isEqualTo("Be terse.");
        JsonNode message = r.path("output").path(0);
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("id").asText()).startsWith("msg_");
        assertThat(message.path("content").path(0).path("type").asText()).isEqualTo("output_text");
        assertThat(message.path("content").path(0).path("text").asText()).isEqualTo(REPLY);
        assertThat(message.path("content").path(0).path("annotations").isArray()).isTrue();
        JsonNode usage = r.path("usage");
        assertThat(usage.path("input_tokens").asInt()).isEqualTo(3 + 3); // "Say hello" and "Be terse."
        assertThat(usage.path("output_tokens").asInt()).isEqualTo(4);
        assertThat(usage.path("total_tokens").asInt()).isEqualTo(10);
        assertThat(usage.path("input_tokens_details").path("cached_tokens").isIntegralNumber()).isTrue();
        assertThat(usage.path("output_tokens_details").path("reasoning_tokens").isIntegralNumber()).isTrue();
        assertThat(a.header("x-request-id")).startsWith("req_");
    }

    @Test
    void aStreamIsTypedEventsNumberedInOrder() {
        Answer a = create(body(true));

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).startsWith("text/event-stream");
        List<SseFrame> frames = a.frames();
        List<String> types = frames.stream().map(f -> f.json().path("type").asText()).toList();
        List<String> expected = new ArrayList<>(List.of("response.created", "response.in_progress",
                "response.output_item.added", "response.content_part.added"));
        PIECES.forEach(p -> expected.add("response.output_text.delta"));
        expected.addAll(List.of("response.output_text.done", "response.content_part.done", "response.output_item.done",
                "response.completed"));
        assertThat(types).containsExactlyElementsOf(expected);
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).event()).isEqualTo(types.get(i));
            assertThat(frames.get(i).json().path("sequence_number").asInt(-1)).as("sequence_number of %s", types.get(i)).isEqualTo(i);
        }
        List<String> deltas = frames.stream().filter(f -> "response.output_text.delta".equals(f.event()))
                .map(f -> f.json().path("delta").asText()).toList();
        assertThat(deltas).containsExactlyElementsOf(PIECES);
        JsonNode delta = frames.get(4).json();
        assertThat(delta.path("item_id").asText()).startsWith("msg_");
        assertThat(delta.path("output_index").isIntegralNumber()).isTrue();
        assertThat(delta.path("content_index").isIntegralNumber()).isTrue();
        assertThat(delta.path("logprobs").isArray()).isTrue();
        JsonNode completed = frames.get(frames.size() - 1).json().path("response");
        assertThat(completed.path("status").asText()).isEqualTo("completed");
        assertThat(completed.path("output").path(0).path("content").path(0).path("text").asText()).isEqualTo(REPLY);
        assertThat(completed.path("usage").path("output_tokens").asInt()).isEqualTo(4);
        assertThat(frames.get(0).json().path("response").path("id").asText()).isEqualTo(completed.path("id").asText());
    }

    @Test
    void aStoredResponseIsRetrievedChainedAndDeleted() {
        String id = create(body(false)).json().path("id").asText();

        Answer got = Http.send("GET", responses("/" + id), headers(), null);
        assertThat(got.status()).isEqualTo(200);
        assertThat(got.json().path("id").asText()).isEqualTo(id);

        ObjectNode next = body(false).put("previous_response_id", id);
        Answer chained = create(next);
        assertThat(chained.status()).as(chained.body()).isEqualTo(200);
        assertThat(chained.json().path("previous_response_id").asText()).isEqualTo(id);
        assertThat(chained.json().path("usage").path("input_tokens").asInt()).as("the chain's tokens count too")
                .isEqualTo(6 + 10);

        Answer deleted = Http.send("DELETE", responses("/" + id), headers(), null);
        assertThat(deleted.status()).isEqualTo(200);
        assertThat(deleted.json().path("deleted").asBoolean()).isTrue();
        Answer gone = Http.send("GET", responses("/" + id), headers(), null);
        assertThat(gone.status()).isEqualTo(404);
        assertThat(Envelopes.read(Provider.OPENAI, gone).message()).contains(id);
    }

    @Test
    void anUnknownPreviousResponseIsRefusedNamingTheParameter() {
        Answer a = create(body(false).put("previous_response_id", "resp_nope"));

        assertThat(a.status()).isEqualTo(400);
        ProviderError e = Envelopes.read(Provider.OPENAI, a);
        assertThat(e.code()).isEqualTo("previous_response_not_found");
        assertThat(e.message()).isEqualTo("Previous response with id 'resp_nope' not found.");
        assertThat(a.json().path("error").path("param").asText()).isEqualTo("previous_response_id");
    }

    @Test
    void storeFalseKeepsNothing() {
        String id = create(body(false).put("store", false)).json().path("id").asText();

        assertThat(Http.send("GET", responses("/" + id), headers(), null).status()).isEqualTo(404);
    }

    @Test
    void aResetForgetsStoredResponses() {
        String id = create(body(false)).json().path("id").asText();

        server.get().reset();

        assertThat(Http.send("GET", responses("/" + id), headers(), null).status()).isEqualTo(404);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "input an object      | {\"model\":\"gpt-4o\",\"input\":{\"a\":1}}                                   | input",
            "an item not an object| {\"model\":\"gpt-4o\",\"input\":[\"hi\"]}                                    | input[0]",
            "instructions a number| {\"model\":\"gpt-4o\",\"input\":\"hi\",\"instructions\":3}                   | instructions",
            "max_output_tokens 10 | {\"model\":\"gpt-4o\",\"input\":\"hi\",\"max_output_tokens\":10}             | max_output_tokens",
            "max_output_tokens 1.5| {\"model\":\"gpt-4o\",\"input\":\"hi\",\"max_output_tokens\":1.5}            | max_output_tokens",
            "unknown text format  | {\"model\":\"gpt-4o\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"xml\"}}} | text.format.type",
            "schema without name  | {\"model\":\"gpt-4o\",\"input\":\"hi\",\"text\":{\"format\":{\"type\":\"json_schema\",\"schema\":{}}}} | text.format.name",
            "no model             | {\"input\":\"hi\"}                                                         | model"})
    void invalidBodiesAreOpenAisFourHundredNamingTheParameter(String name, String body, String param) {
        Answer a = Http.send("POST", responses(""), headers(), body);

        assertThat(a.status()).as(a.body()).isEqualTo(400);
        Envelopes.read(Provider.OPENAI, a);
        assertThat(a.json().path("error").path("param").asText()).isEqualTo(param);
    }

    @Test
    void richRequestsAreAccepted() {
        String body = """
                {"model":"gpt-4o","input":[{"role":"system","content":"terse"},
                  {"role":"user","content":[{"type":"input_text","text":"hi"}]},
                  {"type":"function_call","call_id":"c1","name":"weather","arguments":"{}"},
                  {"type":"function_call_output","call_id":"c1","output":"sunny"}],
                 "instructions":null,"max_output_tokens":64,"temperature":0.2,"top_p":0.9,"store":true,
                 "text":{"format":{"type":"json_schema","name":"a","schema":{"type":"object"},"strict":true}},
                 "tools":[{"type":"function","name":"weather","parameters":{"type":"object"}}],"tool_choice":"auto",
                 "reasoning":{"effort":"low"},"metadata":{"k":"v"},"truncation":"auto","some_future_field":1}""";

        Answer a = Http.send("POST", responses(""), headers(), body);

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("text").path("format").path("type").asText()).isEqualTo("json_schema");
        assertThat(a.json().path("metadata").path("k").asText()).isEqualTo("v");
    }

    @Test
    void aStreamErrorIsAnErrorEventThenResponseFailedAfterTheGivenDeltas() {
        server.get().scenarios().add(Scenario.builder(Fault.STREAM_ERROR).afterChunks(2).build());

        Answer a = create(body(true));

        List<SseFrame> frames = a.frames();
        assertThat(frames.stream().filter(f -> "response.output_text.delta".equals(f.event()))
                .map(f -> f.json().path("delta").asText())).containsExactly("Alpha ", "beta ");
        SseFrame error = frames.get(frames.size() - 2);
        SseFrame failed = frames.get(frames.size() - 1);
        assertThat(error.event()).isEqualTo("error");
        assertThat(error.json().path("code").asText()).isEqualTo("server_error");
        assertThat(error.json().path("message").asText()).isNotBlank();
        assertThat(error.json().has("param")).isTrue();
        assertThat(failed.event()).isEqualTo("response.failed");
        assertThat(failed.json().path("response").path("status").asText()).isEqualTo("failed");
        assertThat(failed.json().path("response").path("error").path("code").asText()).isEqualTo("server_error");
        for (int i = 0; i < frames.size(); i++) {
            assertThat(frames.get(i).json().path("sequence_number").asInt(-1)).isEqualTo(i);
        }
        assertThat(a.body()).doesNotContain("response.completed");
    }

    @Test
    void anInjectedFaultAnswersTheResponsesPathInOpenAisEnvelope() {
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).matchPath("/v1/responses").times(1).build());

        Answer a = create(body(false));

        assertThat(a.status()).isEqualTo(429);
        assertThat(Envelopes.read(Provider.OPENAI, a).code()).isEqualTo("rate_limit_exceeded");
        assertThat(a.header("retry-after-ms")).isNotBlank();
        assertThat(create(body(false)).status()).isEqualTo(200);
    }
}
