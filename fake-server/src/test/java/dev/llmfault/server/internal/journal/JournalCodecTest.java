package dev.llmfault.server.internal.journal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.internal.json.Json;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The journal's JSON: bodies copied when JSON and quoted when not, odd text escaped, the answer's shape and limit. */
class JournalCodecTest {
    @Test
    void aJsonBodyIsCopiedAndAnyOtherBodyIsAString() {
        assertThat(JournalCodec.write(entry(1, " {\"a\": [1, 2.5, \"é\"]}\n")).get("body"))
                .isEqualTo(Json.MAPPER.createObjectNode().set("a", Json.MAPPER.createArrayNode().add(1).add(2.5).add("é")));
        for (String notJson : new String[] {"{\"a\": 1", "a=1&b=2", "", "{\"a\":1} {\"b\":2}"}) {
            JsonNode body = JournalCodec.write(entry(1, notJson)).get("body");
            assertThat(body.isTextual()).as("%s", notJson).isTrue();
            assertThat(body.asText()).isEqualTo(notJson);
        }
    }

    @Test
    void oddTextComesBackAsItWas() {
        JournalEntry odd = new JournalEntry(7, Instant.parse("2026-12-02T19:46:13.034017817Z"), 42, "POST", "/v1/ch\"at",
                "a=1&b=\u00e9", Map.of("x-n\u00e4me", "caf\u00e9 \"q\" \\ \n\t\u0001 \u4e2d\ud83d\ude00", "host", "127.0.0.1:1"),
                "plain \"text\"\r\n", "127.0.0.1", Provider.ANTHROPIC, "m\u00f6del", true, "sk-a***b", "fp", Fault.RATE_LIMITED,
                "client said \"stop\"\n", "s-1", 429, Map.of("retry-after", "1"), Duration.ofNanos(1_234_567),
                JournalEntry.Origin.LOCAL, Duration.ofMillis(3), Duration.ofMillis(1000), "r-1", "alias-1",
                new JournalEntry.ModelCall(13, 64, 0, List.of(new Conversation.ToolCall("call_1", "get_weather",
                        Json.object().put("city", "Paris \u00e9")))), "owner-fp");
        JournalEntry read = JournalCodec.read(JournalCodec.write(odd));
        assertThat(read).usingRecursiveComparison().isEqualTo(odd);
    }

    @Test
    void theAnswerHoldsTheLastEntriesUpToTheLimitAndTheTotal() throws IOException {
        List<JournalEntry> found = List.of(entry(1, "{}"), entry(2, "[]"), entry(3, "x"));
        ObjectNode all = answer(found, Integer.MAX_VALUE, 10);
        assertThat(all.get("requests")).hasSize(3);
        assertThat(all.get("total").asLong()).isEqualTo(10);
        ObjectNode last2 = answer(found, 2, 10);
        assertThat(last2.get("requests").findValuesAsText("sequence")).containsExactly("2", "3");
        assertThat(answer(List.of(), 5, 0).toString()).isEqualTo("{\"requests\":[],\"total\":0}");
    }

    @Test
    void anAnswerAfterAReleasedOneStartsClean() throws IOException {
        List<JournalEntry> big = new java.util.ArrayList<>();
        for (int i = 1; i <= 50; i++) {
            big.add(entry(i, "{\"n\":" + i + "}"));
        }
        assertThat(answer(big, Integer.MAX_VALUE, 50).get("requests")).hasSize(50);
        ObjectNode small = answer(List.of(entry(99, "{}")), Integer.MAX_VALUE, 1); // most likely in the array just given back
        assertThat(small.get("requests")).hasSize(1);
        assertThat(small.get("requests").get(0).get("sequence").asLong()).isEqualTo(99);
        assertThat(small.get("total").asLong()).isEqualTo(1);
    }

    private static ObjectNode answer(List<JournalEntry> found, int limit, long total) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        JsonBytes answer = JournalCodec.answer(found, limit, total);
        answer.writeTo(out);
        assertThat(out.size()).isEqualTo(answer.size());
        answer.release();
        return (ObjectNode) Json.MAPPER.readTree(out.toByteArray());
    }

    private static JournalEntry entry(long sequence, String body) {
        return new JournalEntry(sequence, Instant.parse("2026-12-02T19:46:13Z"), sequence, "POST", "/v1/chat/completions",
                null, Map.of("content-type", "application/json"), body, "127.0.0.1", Provider.OPENAI, "gpt-4o", false,
                null, null, null, null, null, 200, Map.of(), Duration.ofMillis(1), JournalEntry.Origin.LOCAL, null, null,
                null, null, null);
    }
}
