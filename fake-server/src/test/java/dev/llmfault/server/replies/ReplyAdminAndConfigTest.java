package dev.llmfault.server.replies;

import com.fasterxml.jackson.databind.JsonNode;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Reply;
import dev.llmfault.server.ReplyRule;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code /__admin/replies} exactly as issue 10 writes it (POST 201 {"id":"r-1"}, GET, DELETE, reset back to the
 * configured rules), bad input refused naming the field and changing nothing, and the config file's
 * {@code replies:} section.
 */
class ReplyAdminAndConfigTest {
    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.reply(ReplyRule.builder().id("configured")
            .priority(9).reply(Reply.text("configured fallback")).build()));

    @TempDir
    Path dir;

    @Test
    void postListGetDeleteAndResetAsTheIssueWritesThem() {
        Answer added = Http.postJson(server.admin("/replies"), """
                {"provider":"OPENAI","match":{"lastUserMessage":"weather","turn":1},
                 "toolCalls":[{"name":"get_weather","arguments":{"city":"Paris"}}]}""");
        assertThat(added.status()).as(added.body()).isEqualTo(201);
        assertThat(added.json().toString()).matches("\\{\"id\":\"r-[0-9]+\"}");

        String weather = added.json().path("id").asText();
        Answer list = Http.postJson(server.admin("/replies"), "[{\"text\":\"a\"},{\"json\":{\"name\":\"Ada\"}}]");
        assertThat(list.status()).isEqualTo(201);
        String text = list.json().path("ids").path(0).asText();
        String json = list.json().path("ids").path(1).asText();
        assertThat(List.of(weather, text, json)).doesNotHaveDuplicates().allMatch(id -> id.matches("r-[0-9]+"));

        JsonNode all = Http.get(server.admin("/replies")).json().path("replies");
        assertThat(all.findValuesAsText("id")).as("the newest first, the configured priority 9 last")
                .containsExactly(json, text, weather, "configured");
        JsonNode one = Http.get(server.admin("/replies/" + weather)).json();
        assertThat(one.path("toolCalls").path(0).path("arguments").path("city").asText()).isEqualTo("Paris");
        assertThat(one.path("match").path("turn").asInt()).isEqualTo(1);
        assertThat(one.path("answered").asLong()).isZero();

        Calls.chat(server.get(), Provider.OPENAI, false);
        assertThat(Http.get(server.admin("/replies/" + json)).json().path("answered").asLong()).isEqualTo(1);

        assertThat(Http.delete(server.admin("/replies/" + json)).status()).isEqualTo(200);
        assertThat(Http.delete(server.admin("/replies/" + json)).status()).isEqualTo(404);
        assertThat(Http.get(server.admin("/replies/nope")).json().path("error").path("message").asText())
                .isEqualTo("no reply rule with id 'nope'");

        assertThat(Http.postJson(server.admin("/reset"), "{}").status()).isEqualTo(200);
        assertThat(Http.get(server.admin("/replies")).json().path("replies").findValuesAsText("id"))
                .containsExactly("configured");
        assertThat(Http.delete(server.admin("/replies")).json().path("removed").asInt()).isEqualTo(1);
        assertThat(Calls.chat(server.get(), Provider.OPENAI, false).body()).contains(FakeLlmServer.DEFAULT_REPLY_TEXT);
    }

    @Test
    void aRuleWrittenByTheAdminApiReadsBackTheSame() {
        ReplyRule rule = ReplyRule.builder().provider(Provider.ANTHROPIC).priority(2).matchModel("m").matchPath("/v1/messages")
                .matchHeader("X-A", "1").matchLastUserMessage("hi").matchLastUserMessageRegex("h.").matchHasToolResult(false)
                .matchApiKey("sk-ant-0123456789abcdefghij")
                .sequence(Reply.text("Let me check.").andToolCall("f", "{\"a\":[1,2]}"), Reply.json("[1,2]")).build();
        ReplyRule added = server.get().replies().add(rule);
        ReplyRule read = FakeLlmServer.connect(server.get().url()).replies().find(added.id()).orElseThrow();
        assertThat(read.toString()).isEqualTo(added.toString());
        assertThat(read.replies()).isEqualTo(added.replies());
        assertThat(Http.get(server.admin("/replies/" + added.id())).body()).doesNotContain("sk-ant-0123456789abcdefghij");
    }

    static Stream<Arguments> badRules() {
        return Stream.of(
                bad("nothing to answer", "{\"match\":{\"turn\":1}}", null, "needs what to answer", "text, toolCalls, json"),
                bad("text and json", "{\"text\":\"a\",\"json\":{}}", "json", "takes no text"),
                bad("a reply and a sequence", "{\"text\":\"a\",\"sequence\":[{\"text\":\"b\"}]}", "sequence", "not both"),
                bad("empty sequence", "{\"sequence\":[]}", "sequence", "non-empty list"),
                bad("unknown field in a sequence", "{\"sequence\":[{\"text\":\"a\"},{\"txt\":\"b\"}]}", "sequence[1].txt",
                        "unknown field", "text, toolCalls, json"),
                bad("tool name with a space", "{\"toolCalls\":[{\"name\":\"get weather\"}]}", "toolCalls[0].name",
                        "'get weather'", "A-Z a-z 0-9"),
                bad("tool call without a name", "{\"toolCalls\":[{\"arguments\":{}}]}", "toolCalls[0].name", "required"),
                bad("arguments a list", "{\"toolCalls\":[{\"name\":\"f\",\"arguments\":[1]}]}", "toolCalls[0].arguments",
                        "a JSON object"),
                bad("arguments text that is no JSON", "{\"toolCalls\":[{\"name\":\"f\",\"arguments\":\"{oops\"}]}",
                        "toolCalls[0].arguments", "JSON text of one"),
                bad("second call wrong", "{\"toolCalls\":[{\"name\":\"f\"},{\"name\":\"g h\"}]}", "toolCalls[1].name", "'g h'"),
                bad("toolCalls not a list", "{\"toolCalls\":{\"name\":\"f\"}}", "toolCalls", "non-empty list"),
                bad("json a string", "{\"json\":\"{}\"}", "json", "not a string"),
                bad("regex that does not compile", "{\"text\":\"a\",\"match\":{\"lastUserMessageRegex\":\"(weather\"}}",
                        "match.lastUserMessageRegex", "'(weather'", "Java regular expression", "Unclosed group"),
                bad("unknown provider", "{\"text\":\"a\",\"provider\":\"MISTRAL\"}", "provider", "MISTRAL", "OPENAI", "OLLAMA"),
                bad("turn 0", "{\"text\":\"a\",\"match\":{\"turn\":0}}", "match.turn", ">= 1"),
                bad("turn on a sequence", "{\"sequence\":[{\"text\":\"a\"}],\"match\":{\"turn\":2}}", "match.turn", "sequence"),
                bad("turn as text", "{\"text\":\"a\",\"match\":{\"turn\":\"2\"}}", "match.turn", "an integer"),
                bad("hasToolResult as text", "{\"text\":\"a\",\"match\":{\"hasToolResult\":\"yes\"}}", "match.hasToolResult",
                        "true or false"),
                bad("unknown match field", "{\"text\":\"a\",\"match\":{\"lastUserMesage\":\"a\"}}", "match.lastUserMesage",
                        "unknown field", "lastUserMessage"),
                bad("priority 0", "{\"text\":\"a\",\"priority\":0}", "priority", ">= 1"),
                bad("id taken", "{\"text\":\"a\",\"id\":\"configured\"}", "id", "configured"),
                bad("second of two invalid", "[{\"text\":\"a\"},{\"json\":{},\"text\":\"b\"}]", "[1].json", "takes no text"));
    }

    static Arguments bad(String name, String body, String field, String... messageParts) {
        return Arguments.of(name, body, field, messageParts);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("badRules")
    void aBadRuleIsRefusedNamingTheFieldAndChangesNothing(String name, String body, String field, String[] parts) {
        String probe = server.get().replies().add(ReplyRule.of(Reply.text("probe"))).id();
        server.get().replies().remove(probe);
        String before = Http.get(server.admin("/replies")).body();

        Answer a = Http.postJson(server.admin("/replies"), body);

        assertThat(a.status()).as(a.body()).isEqualTo(400);
        JsonNode error = a.json().path("error");
        assertThat(error.path("message").asText()).contains(parts);
        if (field != null) {
            assertThat(error.path("field").asText()).as(a.body()).isEqualTo(field);
            assertThat(error.path("message").asText()).startsWith(field + ":");
        }
        assertThat(Http.get(server.admin("/replies")).body()).isEqualTo(before);
        assertThat(Http.postJson(server.admin("/replies"), "{\"text\":\"next\"}").json().path("id").asText())
                .as("ids continue as if the refusal never happened")
                .isEqualTo("r-" + (Long.parseLong(probe.substring(2)) + 1));
    }

    @Test
    void theConfigFileHasAReplySection() throws IOException {
        Path f = Files.writeString(dir.resolve("agent.yaml"), """
                replies:
                  - id: weather
                    match: { lastUserMessage: weather }
                    sequence:
                      - toolCalls: [ { name: get_weather, arguments: { city: Paris } } ]
                      - text: "It is 18°C in Paris."
                  - json: { name: Ada }
                    priority: 9
                """);
        try (FakeLlmServer s = FakeLlmServer.builder().config(f).start()) {
            assertThat(s.replies().list()).extracting(ReplyRule::id).containsExactly("weather", "r-1");
            assertThat(s.replies().find("weather").orElseThrow().replies().get(0).toolCalls().get(0).name())
                    .isEqualTo("get_weather");
            s.replies().clear();
            s.reset();
            assertThat(s.replies().list()).as("config rules come back on reset").hasSize(2);
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "bad tool name   | replies:\\n  - text: a\\n  - toolCalls:\\n      - name: get weather | :4: | replies[1].toolCalls[0].name | A-Z",
            "not a list      | replies: { text: a }                                             | :1: | replies | a list of reply rules",
            "bad regex       | replies:\\n  - text: a\\n    match:\\n      lastUserMessageRegex: '[a' | :4: | replies[0].match.lastUserMessageRegex | regular expression"})
    void aBadReplyInTheConfigFileNamesFileLineAndField(String name, String text, String line, String field, String allowed)
            throws IOException {
        Path f = Files.writeString(dir.resolve("bad.yaml"), text.replace("\\n", "\n"));
        assertThatThrownBy(() -> FakeLlmServer.builder().config(f))
                .hasMessageStartingWith(f.toString()).hasMessageContaining(line).hasMessageContaining(field)
                .hasMessageContaining(allowed);
    }
}
