package dev.llmfault.server.provider;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Answer.SseFrame;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Envelopes;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.ProviderFixture;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Plain and streamed successes of every provider, read field by field the way the official SDKs read them
 * (providers.md: the fields each SDK requires), with the configured reply text and token usage counted
 * from the request and the reply.
 */
class SuccessAnswersTest {
    /** Five words: a stream has five content chunks that concatenate back to the text. */
    static final String REPLY = "Alpha beta  gamma delta epsilon";
    static final List<String> REPLY_CHUNKS = List.of("Alpha ", "beta  ", "gamma ", "delta ", "epsilon");

    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.replyText(REPLY));

    /** The estimate the server documents: one token per 4 characters, rounded up. */
    static int tokens(String text) {
        return (text.length() + 3) / 4;
    }

    static final String PROMPT = "Say hello";

    // ---- OpenAI ----

    @Test
    void openAiPlainHasEveryFieldOpenAiJavaRequires() {
        long before = System.currentTimeMillis() / 1000;
        Answer a = Calls.chat(server.get(), Provider.OPENAI, false);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).startsWith("application/json");
        assertThat(a.header("x-request-id")).matches("req_[0-9a-f]{32}");
        JsonNode r = a.json();
        assertThat(r.path("id").asText()).startsWith("chatcmpl-");
        assertThat(r.path("object").asText()).isEqualTo("chat.completion");
        assertThat(r.path("created").isIntegralNumber()).isTrue();
        assertThat(r.path("created").asLong()).isBetween(before, System.currentTimeMillis() / 1000);
        assertThat(r.path("model").asText()).isEqualTo(Calls.model(Provider.OPENAI));
        JsonNode choice = r.path("choices").path(0);
        assertThat(r.path("choices").size()).isEqualTo(1);
        assertThat(choice.path("index").asInt(-1)).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo(REPLY);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertThat(choice.has("logprobs")).isTrue();
        assertUsage(r.path("usage"), "prompt_tokens", "completion_tokens", tokens(PROMPT), tokens(REPLY));
        assertThat(r.path("usage").path("total_tokens").asInt()).isEqualTo(tokens(PROMPT) + tokens(REPLY));
        assertThat(a.header("x-ratelimit-limit-requests")).isNotBlank();
        assertThat(a.header("x-ratelimit-reset-requests")).isNotBlank();
    }

    @Test
    void openAiStreamIsChunksThenDone() {
        Answer a = Calls.chat(server.get(), Provider.OPENAI, true);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).startsWith("text/event-stream");
        assertThat(a.header("x-request-id")).matches("req_[0-9a-f]{32}");
        List<SseFrame> frames = a.frames();
        assertThat(frames).allSatisfy(f -> assertThat(f.event()).as("OpenAI frames carry data only").isNull());
        assertThat(frames.get(frames.size() - 1).data()).isEqualTo("[DONE]");
        List<JsonNode> chunks = frames.subList(0, frames.size() - 1).stream().map(SseFrame::json).toList();
        assertOpenAiChunks(chunks, Provider.OPENAI, false);
        assertThat(chunks).allSatisfy(c -> assertThat(c.has("usage")).as("usage only with include_usage").isFalse());
    }

    @Test
    void openAiStreamWithIncludeUsageEndsWithAUsageChunk() {
        ObjectNode body = Calls.body(Provider.OPENAI, true);
        body.putObject("stream_options").put("include_usage", true);
        Answer a = Calls.chat(server.get(), Provider.OPENAI, Calls.headers(Provider.OPENAI), body.toString());

        List<SseFrame> frames = a.frames();
        assertThat(frames.get(frames.size() - 1).data()).isEqualTo("[DONE]");
        List<JsonNode> chunks = frames.subList(0, frames.size() - 1).stream().map(SseFrame::json).toList();
        JsonNode usageChunk = chunks.get(chunks.size() - 1);
        assertThat(usageChunk.path("choices").isArray()).isTrue();
        assertThat(usageChunk.path("choices")).isEmpty();
        assertThat(usageChunk.path("object").asText()).isEqualTo("chat.completion.chunk");
        assertUsage(usageChunk.path("usage"), "prompt_tokens", "completion_tokens", tokens(PROMPT), tokens(REPLY));
        assertThat(usageChunk.path("usage").path("total_tokens").asInt()).isEqualTo(tokens(PROMPT) + tokens(REPLY));
        List<JsonNode> others = chunks.subList(0, chunks.size() - 1);
        assertOpenAiChunks(others, Provider.OPENAI, true);
        assertThat(others).allSatisfy(c -> assertThat(c.get("usage").isNull()).as("usage: null before the last").isTrue());
        assertThat(usageChunk.path("id").asText()).isEqualTo(others.get(0).path("id").asText());
    }

    /** First delta role+"" content, one content delta per word, last delta {} with finish_reason stop. */
    static void assertOpenAiChunks(List<JsonNode> chunks, Provider p, boolean usageRequested) {
        String id = chunks.get(0).path("id").asText();
        long created = chunks.get(0).path("created").asLong();
        assertThat(id).isNotBlank();
        for (JsonNode c : chunks) {
            assertThat(c.path("id").asText()).as("every chunk has the same id").isEqualTo(id);
            assertThat(c.path("object").asText()).isEqualTo("chat.completion.chunk");
            assertThat(c.path("created").asLong()).isEqualTo(created);
            assertThat(c.path("model").asText()).isEqualTo(Calls.model(p));
            assertThat(c.path("choices").size()).isEqualTo(1);
            assertThat(c.path("choices").path(0).path("index").asInt(-1)).isZero();
        }
        JsonNode first = chunks.get(0).path("choices").path(0);
        assertThat(first.path("delta").path("role").asText()).isEqualTo("assistant");
        assertThat(first.path("delta").path("content").asText()).isEmpty();
        assertThat(first.path("finish_reason").isNull()).isTrue();
        List<String> pieces = new ArrayList<>();
        for (JsonNode c : chunks.subList(1, chunks.size() - 1)) {
            JsonNode choice = c.path("choices").path(0);
            assertThat(choice.path("finish_reason").isNull()).isTrue();
            pieces.add(choice.path("delta").path("content").asText());
        }
        assertThat(pieces).containsExactlyElementsOf(REPLY_CHUNKS);
        JsonNode last = chunks.get(chunks.size() - 1).path("choices").path(0);
        assertThat(last.path("delta").isObject()).isTrue();
        assertThat(last.path("delta")).isEmpty();
        assertThat(last.path("finish_reason").asText()).isEqualTo("stop");
    }

    // ---- Anthropic ----

    @Test
    void anthropicPlainHasEveryFieldAnthropicJavaRequires() {
        Answer a = Calls.chat(server.get(), Provider.ANTHROPIC, false);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("request-id")).startsWith("req_");
        JsonNode r = a.json();
        assertThat(r.path("id").asText()).startsWith("msg_");
        assertThat(r.path("type").asText()).isEqualTo("message");
        assertThat(r.path("role").asText()).isEqualTo("assistant");
        assertThat(r.path("model").asText()).isEqualTo(Calls.model(Provider.ANTHROPIC));
        assertThat(r.path("content").size()).isEqualTo(1);
        assertThat(r.path("content").path(0).path("type").asText()).isEqualTo("text");
        assertThat(r.path("content").path(0).path("text").asText()).isEqualTo(REPLY);
        assertThat(r.path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(r.has("stop_sequence") && r.get("stop_sequence").isNull()).isTrue();
        assertUsage(r.path("usage"), "input_tokens", "output_tokens", tokens(PROMPT), tokens(REPLY));
        assertThat(a.header("anthropic-ratelimit-requests-limit")).isNotBlank();
        assertThat(a.header("anthropic-ratelimit-requests-reset")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ");
    }

    @Test
    void anthropicStreamHasAnEventLineOnEveryFrameFromMessageStartToMessageStop() {
        Answer a = Calls.chat(server.get(), Provider.ANTHROPIC, true);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).startsWith("text/event-stream");
        assertThat(a.header("request-id")).startsWith("req_");
        List<SseFrame> frames = a.frames();
        assertThat(frames).allSatisfy(f -> {
            assertThat(f.event()).as("anthropic-java needs event: on every frame").isNotNull();
            assertThat(f.json().path("type").asText()).isEqualTo(f.event());
        });
        List<String> events = frames.stream().map(SseFrame::event).toList();
        List<String> expected = new ArrayList<>(List.of("message_start", "content_block_start", "ping"));
        REPLY_CHUNKS.forEach(c -> expected.add("content_block_delta"));
        expected.addAll(List.of("content_block_stop", "message_delta", "message_stop"));
        assertThat(events).containsExactlyElementsOf(expected);

        JsonNode message = frames.get(0).json().path("message");
        assertThat(message.path("id").asText()).startsWith("msg_");
        assertThat(message.path("type").asText()).isEqualTo("message");
        assertThat(message.path("role").asText()).isEqualTo("assistant");
        assertThat(message.path("model").asText()).isEqualTo(Calls.model(Provider.ANTHROPIC));
        assertThat(message.path("content").isArray()).isTrue();
        assertThat(message.path("usage").path("input_tokens").asInt()).isEqualTo(tokens(PROMPT));
        JsonNode blockStart = frames.get(1).json();
        assertThat(blockStart.path("index").asInt(-1)).isZero();
        assertThat(blockStart.path("content_block").path("type").asText()).isEqualTo("text");
        List<String> pieces = frames.stream().filter(f -> f.event().equals("content_block_delta")).map(f -> {
            JsonNode delta = f.json().path("delta");
            assertThat(delta.path("type").asText()).isEqualTo("text_delta");
            return delta.path("text").asText();
        }).toList();
        assertThat(pieces).containsExactlyElementsOf(REPLY_CHUNKS);
        JsonNode messageDelta = frames.get(frames.size() - 2).json();
        assertThat(messageDelta.path("delta").path("stop_reason").asText()).isEqualTo("end_turn");
        assertThat(messageDelta.path("usage").path("output_tokens").isIntegralNumber())
                .as("message_delta usage.output_tokens is required by anthropic-java").isTrue();
        assertThat(messageDelta.path("usage").path("output_tokens").asInt()).isEqualTo(tokens(REPLY));
    }

    // ---- Cohere ----

    @Test
    void coherePlainHasTheV2ChatShape() {
        Answer a = Calls.chat(server.get(), Provider.COHERE, false);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("x-request-id")).isNotBlank();
        JsonNode r = a.json();
        assertThat(r.path("id").asText()).isEqualTo(a.header("x-request-id"));
        assertThat(r.path("finish_reason").asText()).isEqualTo("COMPLETE");
        assertThat(r.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(r.path("message").path("content").path(0).path("type").asText()).isEqualTo("text");
        assertThat(r.path("message").path("content").path(0).path("text").asText()).isEqualTo(REPLY);
        assertUsage(r.path("usage").path("billed_units"), "input_tokens", "output_tokens", tokens(PROMPT), tokens(REPLY));
        assertUsage(r.path("usage").path("tokens"), "input_tokens", "output_tokens", tokens(PROMPT), tokens(REPLY));
    }

    @Test
    void cohereStreamGoesFromMessageStartToMessageEnd() {
        Answer a = Calls.chat(server.get(), Provider.COHERE, true);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).startsWith("text/event-stream");
        assertThat(a.header("x-request-id")).isNotBlank();
        List<SseFrame> frames = a.frames();
        assertThat(frames).allSatisfy(f -> assertThat(f.json().path("type").asText()).isEqualTo(f.event()));
        List<String> expected = new ArrayList<>(List.of("message-start", "content-start"));
        REPLY_CHUNKS.forEach(c -> expected.add("content-delta"));
        expected.addAll(List.of("content-end", "message-end"));
        assertThat(frames.stream().map(SseFrame::event).toList()).containsExactlyElementsOf(expected);
        JsonNode start = frames.get(0).json();
        assertThat(start.path("id").asText()).isEqualTo(a.header("x-request-id"));
        assertThat(start.path("delta").path("message").path("role").asText()).isEqualTo("assistant");
        List<String> pieces = frames.stream().filter(f -> f.event().equals("content-delta"))
                .map(f -> f.json().path("delta").path("message").path("content").path("text").asText()).toList();
        assertThat(pieces).containsExactlyElementsOf(REPLY_CHUNKS);
        JsonNode end = frames.get(frames.size() - 1).json().path("delta");
        assertThat(end.path("finish_reason").asText()).isEqualTo("COMPLETE");
        assertUsage(end.path("usage").path("billed_units"), "input_tokens", "output_tokens", tokens(PROMPT), tokens(REPLY));
    }

    // ---- Zhipu ----

    @Test
    void zhipuPlainIsOpenAiShapedWithARequestId() {
        Answer a = Calls.chat(server.get(), Provider.ZHIPU, false);

        assertThat(a.status()).isEqualTo(200);
        JsonNode r = a.json();
        assertThat(a.header("x-request-id")).isNotBlank();
        assertThat(r.path("request_id").asText()).isEqualTo(a.header("x-request-id"));
        assertThat(r.path("id").asText()).isNotBlank();
        assertThat(r.path("created").isIntegralNumber()).isTrue();
        assertThat(r.path("model").asText()).isEqualTo(Calls.model(Provider.ZHIPU));
        JsonNode choice = r.path("choices").path(0);
        assertThat(choice.path("index").asInt(-1)).isZero();
        assertThat(choice.path("message").path("role").asText()).isEqualTo("assistant");
        assertThat(choice.path("message").path("content").asText()).isEqualTo(REPLY);
        assertThat(choice.path("finish_reason").asText()).isEqualTo("stop");
        assertUsage(r.path("usage"), "prompt_tokens", "completion_tokens", tokens(PROMPT), tokens(REPLY));
        assertThat(r.path("usage").path("total_tokens").asInt()).isEqualTo(tokens(PROMPT) + tokens(REPLY));
    }

    @Test
    void zhipuStreamIsOpenAiShapedChunksThenDone() {
        Answer a = Calls.chat(server.get(), Provider.ZHIPU, true);

        assertThat(a.status()).isEqualTo(200);
        assertThat(a.header("content-type")).startsWith("text/event-stream");
        List<SseFrame> frames = a.frames();
        assertThat(frames.get(frames.size() - 1).data()).isEqualTo("[DONE]");
        assertOpenAiChunks(frames.subList(0, frames.size() - 1).stream().map(SseFrame::json).toList(), Provider.ZHIPU, false);
    }

    // ---- shared ----

    @ParameterizedTest
    @EnumSource(Provider.class)
    void usageCountsEveryTextOfTheRequestAndTheReply(Provider p) {
        // 8 + 9 + 4 + 5 characters in a system text, a user text, and two text parts: 2 + 3 + 1 + 2 tokens.
        ProviderFixture fixture = ProviderFixture.of(p);
        Answer a = Calls.chat(server.get(), p, Calls.headers(p), fixture.usageProbe().toString());

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(fixture.usage(a.json())).as("prompt and completion tokens").containsExactly(2 + 3 + 1 + 2, tokens(REPLY));
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void everyAnswerCarriesTheRequestIdHeader(Provider p) {
        String header = Envelopes.requestIdHeader(p);
        assertThat(Calls.chat(server.get(), p, false).header(header)).as("plain").isNotBlank();
        assertThat(Calls.chat(server.get(), p, true).header(header)).as("stream").isNotBlank();
        Map<String, String> noKey = Calls.headersWithoutKey(p);
        assertThat(Calls.chat(server.get(), p, noKey, Calls.body(p, false).toString()).header(header)).as("401").isNotBlank();
        assertThat(Calls.chat(server.get(), p, Calls.headers(p), "{").header(header)).as("400").isNotBlank();
        assertThat(Http.send("GET", Calls.chatUri(server.get(), p), Calls.headers(p), null).header(header)).as("405").isNotBlank();
        assertThat(Http.send("POST", server.get().url().resolve(Calls.chatPath(p) + "x"), Calls.headers(p), "{}").header(header))
                .as("404").isNotBlank();
        // every answer has its own id
        assertThat(Calls.chat(server.get(), p, false).header(header)).isNotEqualTo(Calls.chat(server.get(), p, false).header(header));
    }

    @Test
    void openAiListsAndLooksUpModels() {
        Map<String, String> auth = Calls.credential(Provider.OPENAI, Calls.key(Provider.OPENAI));
        Answer list = Http.send("GET", server.get().baseUrl(Provider.OPENAI).resolve("/v1/models"), auth, null);

        assertThat(list.status()).isEqualTo(200);
        assertThat(list.header("x-request-id")).isNotBlank();
        assertThat(list.json().path("object").asText()).isEqualTo("list");
        assertThat(list.json().path("data")).isNotEmpty().allSatisfy(m -> {
            assertThat(m.path("object").asText()).isEqualTo("model");
            assertThat(m.path("owned_by").asText()).isNotBlank();
            assertThat(m.path("created").isIntegralNumber()).isTrue();
        });
        assertThat(list.json().path("data").findValuesAsText("id")).contains("gpt-4o", "gpt-4o-mini");

        Answer one = Http.send("GET", server.get().url().resolve("/v1/models/gpt-4o"), auth, null);
        assertThat(one.status()).isEqualTo(200);
        assertThat(one.json().path("id").asText()).isEqualTo("gpt-4o");

        Answer missing = Http.send("GET", server.get().url().resolve("/v1/models/gpt-9"), auth, null);
        assertThat(missing.status()).isEqualTo(404);
        Envelopes.ProviderError e = Envelopes.read(Provider.OPENAI, missing);
        assertThat(e.code()).isEqualTo("model_not_found");
        assertThat(e.message()).contains("gpt-9");
    }

    @Test
    void modelsListedAreTheConfiguredOnes() {
        try (FakeLlmServer own = FakeLlmServer.builder().models(Provider.OPENAI, "my-model-a", "my-model-b").start()) {
            Answer list = Http.send("GET", own.url().resolve("/v1/models"),
                    Calls.credential(Provider.OPENAI, Calls.key(Provider.OPENAI)), null);
            assertThat(list.json().path("data").findValuesAsText("id")).containsExactly("my-model-a", "my-model-b");
        }
    }

    @ParameterizedTest
    @EnumSource(Provider.class)
    void delayedStreamsKeepTheirContentAndOrder(Provider p) {
        try (FakeLlmServer slow = FakeLlmServer.builder().replyText("one two three")
                .firstChunkDelay(Duration.ofMillis(20)).chunkDelay(Duration.ofMillis(5)).start()) {
            Answer plain = Calls.chat(slow, p, false);
            Answer stream = Calls.chat(slow, p, true);

            assertThat(plain.status()).isEqualTo(200);
            assertThat(plain.body()).contains("one two three");
            assertThat(streamText(p, stream)).containsExactly("one ", "two ", "three");
        }
    }

    /** The text pieces of a stream, in order. */
    static List<String> streamText(Provider p, Answer a) {
        return ProviderFixture.of(p).streamText(a.body());
    }

    static void assertUsage(JsonNode usage, String in, String out, int inTokens, int outTokens) {
        assertThat(usage.path(in).isIntegralNumber()).as("%s in %s", in, usage).isTrue();
        assertThat(usage.path(out).isIntegralNumber()).as("%s in %s", out, usage).isTrue();
        assertThat(usage.path(in).asInt()).as(in).isEqualTo(inTokens);
        assertThat(usage.path(out).asInt()).as(out).isEqualTo(outTokens);
    }
}
