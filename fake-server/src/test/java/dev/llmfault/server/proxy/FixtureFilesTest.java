package dev.llmfault.server.proxy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.json.Json;
import dev.llmfault.server.internal.proxy.Fixture;
import dev.llmfault.server.internal.proxy.FixtureCodec;
import dev.llmfault.server.internal.proxy.Recorder;
import dev.llmfault.server.internal.proxy.ReplayIndex;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The fixture file format: exact bodies, readable JSON, clear errors; the replay index's matching. */
class FixtureFilesTest {

    private static Fixture plain(String requestJson, byte[] answer) {
        return new Fixture(Provider.OPENAI, "POST", "/v1/chat/completions", null, "gpt-4o", Map.of("content-type", "application/json"),
                Json.tryParse(requestJson).orElseThrow(),
                new Fixture.Answer(200, Map.of("content-type", "application/json", "x-request-id", "req_1"), answer, List.of(), 42),
                Instant.parse("2026-12-02T13:00:00Z"));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void aCompactJsonBodyIsStoredAsJsonAndComesBackByteIdentical() {
        byte[] body = utf8("{\"id\":\"chatcmpl-1\",\"choices\":[{\"message\":{\"content\":\"Hi\"}}]}");
        byte[] file = FixtureCodec.write(plain("{\"model\":\"gpt-4o\"}", body));

        JsonNode written = Json.tryParse(new String(file, StandardCharsets.UTF_8)).orElseThrow();
        assertThat(written.at("/response/body/choices/0/message/content").asText()).isEqualTo("Hi");
        assertThat(FixtureCodec.read("f.json", file).response().body()).isEqualTo(body);
    }

    @Test
    void aPrettyOrNonJsonBodyIsStoredAsTextAndComesBackByteIdentical() {
        for (String text : List.of("{\n  \"id\": \"chatcmpl-1\"\n}\n", "upstream says no", "{\"a\":1, \"b\":2}")) {
            byte[] file = FixtureCodec.write(plain("{}", utf8(text)));
            assertThat(FixtureCodec.read("f.json", file).response().body()).asString(StandardCharsets.UTF_8).isEqualTo(text);
        }
    }

    @Test
    void binaryStreamChunksSurviveAsBase64WithTheirTimes() {
        byte[] binary = {0, 0, 0, 16, (byte) 0xff, (byte) 0xfe, 1, 2};
        Fixture f = new Fixture(Provider.OPENAI, "POST", "/v1/chat/completions", null, null, Map.of(), Json.object(),
                new Fixture.Answer(200, Map.of(), new byte[0],
                        List.of(new Fixture.Chunk(0, utf8("data: {\"x\":1}\n\n")), new Fixture.Chunk(37, binary)), 5),
                Instant.EPOCH);

        Fixture back = FixtureCodec.read("f.json", FixtureCodec.write(f));

        assertThat(back.response().chunks()).hasSize(2);
        assertThat(back.response().chunks().get(0).bytes()).asString(StandardCharsets.UTF_8).isEqualTo("data: {\"x\":1}\n\n");
        assertThat(back.response().chunks().get(1).bytes()).isEqualTo(binary);
        assertThat(back.response().chunks().get(1).atMs()).isEqualTo(37);
    }

    @Test
    void aBrokenFileIsNamedWithItsField() {
        assertThatThrownBy(() -> FixtureCodec.read("0007-x.json", utf8("{\"format\":\"llmfault-fixture/1\",\"provider\":\"NOPE\"}")))
                .hasMessageContaining("0007-x.json: provider: 'NOPE' is not one of");
        assertThatThrownBy(() -> FixtureCodec.read("0007-x.json", utf8("{\"format\":\"v0\"}")))
                .hasMessageContaining("0007-x.json: format: 'v0' is not supported");
        assertThatThrownBy(() -> FixtureCodec.read("0007-x.json", utf8("not json")))
                .hasMessageStartingWith("0007-x.json: not JSON");
    }

    @Test
    void replayMatchesIgnoringKeyOrderWhiteSpaceAndVolatileFields(@TempDir Path dir) {
        Recorder rec = Recorder.into(dir);
        rec.write(plain("{\"model\":\"gpt-4o\",\"user\":\"u-1\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", utf8("{\"n\":1}")));

        ReplayIndex index = ReplayIndex.load(dir, Set.of("user"));
        JsonNode sent = Json.tryParse("{ \"messages\" : [{\"content\":\"Hi\",\"role\":\"user\"}], \"user\":\"u-99\", \"model\":\"gpt-4o\" }").orElseThrow();

        assertThat(index.match(Provider.OPENAI, "POST", "/v1/chat/completions", sent)).isPresent();
        assertThat(index.match(Provider.ANTHROPIC, "POST", "/v1/chat/completions", sent)).isEmpty();
    }

    @Test
    void theSameRequestRecordedTwiceIsAnsweredInOrderThenByItsLastAnswer(@TempDir Path dir) {
        Recorder rec = Recorder.into(dir);
        rec.write(plain("{\"model\":\"gpt-4o\"}", utf8("{\"n\":1}")));
        rec.write(plain("{\"model\":\"gpt-4o\"}", utf8("{\"n\":2}")));
        ReplayIndex index = ReplayIndex.load(dir, Set.of());
        JsonNode body = Json.tryParse("{\"model\":\"gpt-4o\"}").orElseThrow();

        assertThat(List.of(1, 2, 3)).map(i -> new String(index.match(Provider.OPENAI, "POST", "/v1/chat/completions", body)
                .orElseThrow().fixture().response().body(), StandardCharsets.UTF_8))
                .containsExactly("{\"n\":1}", "{\"n\":2}", "{\"n\":2}");
        index.rewind();
        assertThat(index.match(Provider.OPENAI, "POST", "/v1/chat/completions", body).orElseThrow().file()).startsWith("0001-");
    }

    @Test
    void anUnmatchedRequestNamesTheClosestFixtureAndWhatDiffered(@TempDir Path dir) {
        Recorder rec = Recorder.into(dir);
        rec.write(plain("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hi\"}]}", utf8("{}")));
        rec.write(plain("{\"model\":\"gpt-4o-mini\",\"temperature\":1,\"messages\":[]}", utf8("{}")));
        ReplayIndex index = ReplayIndex.load(dir, Set.of());

        ReplayIndex.Miss miss = index.explain(Provider.OPENAI, "POST", "/v1/chat/completions",
                Json.tryParse("{\"model\":\"gpt-4o\",\"messages\":[{\"role\":\"user\",\"content\":\"Hello\"}]}").orElseThrow());

        assertThat(miss.describe()).isEqualTo("closest fixture 0001-openai-v1-chat-completions.json differs: "
                + "body/messages/0/content: recorded \"Hi\", sent \"Hello\"");
        assertThat(index.explain(Provider.COHERE, "POST", "/v2/chat", Json.object()).describe())
                .isEqualTo("no fixture was recorded for this provider");
    }

    @Test
    void aSecondRecordingSessionNumbersAfterTheFirst(@TempDir Path dir) throws Exception {
        Recorder.into(dir).write(plain("{}", utf8("{}")));
        Path second = Recorder.into(dir).write(plain("{}", utf8("{}")));

        assertThat(second.getFileName().toString()).isEqualTo("0002-openai-v1-chat-completions.json");
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).allMatch(n -> n.endsWith(".json"));
        }
    }
}
