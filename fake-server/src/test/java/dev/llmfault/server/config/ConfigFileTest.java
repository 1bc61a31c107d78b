package dev.llmfault.server.config;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Config files (YAML and JSON) read by the embedded builder; bad ones name the file, the line and the field. */
class ConfigFileTest {
    @TempDir
    Path dir;

    static final String YAML = """
            # a comment
            seed: 42
            journalSize: 50
            maxBodyBytes: 2048
            reply:
              text: "Configured reply text"
              firstChunkDelayMs: 0
              chunkDelayMs: 0
            models:
              OPENAI: [model-x, model-y]
            scenarios:
              - fault: RATE_LIMITED
                id: from-yaml
                provider: OPENAI
                times: 1
                retryAfterMs: 200
              - fault: INVALID_TOKEN
                provider: COHERE
                match:
                  model: command-r-plus
            """;

    Path write(String name, String text) throws IOException {
        Path f = dir.resolve(name);
        Files.writeString(f, text);
        return f;
    }

    @Test
    void aYamlConfigSetsReplyModelsLimitsAndScenarios() throws IOException {
        try (FakeLlmServer s = FakeLlmServer.builder().config(write("llmfault.yaml", YAML)).start()) {
            assertThat(s.scenarios().list()).extracting(Scenario::id).startsWith("from-yaml").hasSize(2);
            assertThat(Calls.chat(s, Provider.OPENAI, false).status()).isEqualTo(429);
            Answer ok = Calls.chat(s, Provider.OPENAI, false);
            assertThat(ok.json().path("choices").path(0).path("message").path("content").asText())
                    .isEqualTo("Configured reply text");
            assertThat(Calls.chat(s, Provider.COHERE, false).status()).isEqualTo(401);
            assertThat(Calls.chat(s, Provider.OPENAI, Calls.headers(Provider.OPENAI),
                    Calls.body(Provider.OPENAI, false).put("pad", "x".repeat(3000)).toString()).status()).isEqualTo(413);
            assertThat(dev.llmfault.server.testing.Http.send("GET", s.url().resolve("/v1/models"),
                    Calls.credential(Provider.OPENAI, "sk-test-0123456789"), null).json().path("data").findValuesAsText("id"))
                    .containsExactly("model-x", "model-y");
            s.reset();
            assertThat(s.scenarios().list()).as("config scenarios come back on reset").hasSize(2);
        }
    }

    @Test
    void aConfiguredScenarioWithoutIdKeepsItsIdAcrossResets() throws IOException {
        try (FakeLlmServer s = FakeLlmServer.builder().config(write("ids.yaml", YAML)).start()) {
            List<String> ids = s.scenarios().list().stream().map(Scenario::id).toList();
            assertThat(ids).hasSize(2).first().isEqualTo("from-yaml");
            s.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).build()); // takes the next id

            s.reset();
            dev.llmfault.server.testing.Http.send("POST", s.url().resolve("/__admin/reset"), Map.of(), "");

            assertThat(s.scenarios().list()).extracting(Scenario::id).as("a script may hold the id it saw first")
                    .containsExactlyElementsOf(ids);
            assertThat(s.scenarios().add(Scenario.builder(Fault.SERVER_ERROR).build()).id())
                    .as("a new scenario never takes a configured one's id").isNotIn(ids);
        }
    }

    @Test
    void aJsonConfigIsReadTheSameWay() throws IOException {
        String json = """
                {"reply": {"text": "From JSON"},
                 "scenarios": [{"fault": "SERVER_ERROR", "provider": "ANTHROPIC", "times": 1}]}""";
        try (FakeLlmServer s = FakeLlmServer.builder().config(write("llmfault.json", json)).start()) {
            assertThat(Calls.chat(s, Provider.ANTHROPIC, false).status()).isEqualTo(500);
            assertThat(Calls.chat(s, Provider.ANTHROPIC, false).json().path("content").path(0).path("text").asText())
                    .isEqualTo("From JSON");
        }
    }

    @Test
    void laterBuilderCallsOverrideTheFile() throws IOException {
        try (FakeLlmServer s = FakeLlmServer.builder().config(write("c.yaml", YAML)).replyText("Override").start()) {
            s.scenarios().clear();
            assertThat(Calls.chat(s, Provider.OPENAI, false).body()).contains("Override");
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "unknown top-level field | seed: 1\\nprot: 8089                                 | :2: | prot | allowed",
            "scenario times negative | scenarios:\\n  - fault: RATE_LIMITED\\n    times: -2    | :3: | scenarios[0].times | >= 1",
            "unknown fault           | scenarios:\\n  - fault: RATE_LIMIT                      | :2: | scenarios[0].fault | RATE_LIMITED",
            "second scenario field   | scenarios:\\n  - fault: RATE_LIMITED\\n  - fault: SERVER_ERROR\\n    probability: 2 | :4: | scenarios[1].probability | 0.0 to 1.0",
            "match field type        | scenarios:\\n  - fault: RATE_LIMITED\\n    match:\\n      model: [a] | :4: | scenarios[0].match.model | a string",
            "reply delay negative    | reply:\\n  text: hi\\n  chunkDelayMs: -1               | :3: | reply.chunkDelayMs | >= 0",
            "port as text            | port: high                                          | :1: | port | an integer",
            "journal size negative   | journalSize: -1                                     | :1: | journalSize | >= 0",
            "not YAML                | scenarios: [unclosed                                | :1  | not valid YAML | ''",
            "not a mapping           | - just\\n- a list                                   | .yaml | mapping | ''"})
    void aBadFileNamesFileLineAndField(String name, String text, String line, String field, String allowed) throws IOException {
        Path f = write("bad.yaml", text.replace("\\n", "\n"));

        assertThatThrownBy(() -> FakeLlmServer.builder().config(f))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith(f.toString())
                .hasMessageContaining(line)
                .hasMessageContaining(field)
                .hasMessageContaining(allowed);
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        assertThatThrownBy(() -> FakeLlmServer.builder().config(missing))
                .hasMessage(missing + ": no such file");
    }

    @Test
    void aBadFileChangesNothingOfTheBuilder() throws IOException {
        Path bad = write("bad.yaml", "reply:\n  text: Changed\nscenarios:\n  - fault: NOPE\n");
        FakeLlmServer.Builder b = FakeLlmServer.builder().replyText("Kept").scenario(Scenario.builder(Fault.OVERLOADED).build());
        assertThatThrownBy(() -> b.config(bad)).isInstanceOf(IllegalArgumentException.class);

        try (FakeLlmServer s = b.start()) {
            assertThat(s.scenarios().list()).singleElement().extracting(Scenario::fault).isEqualTo(Fault.OVERLOADED);
            s.scenarios().clear();
            assertThat(Calls.chat(s, Provider.OPENAI, false).body()).contains("Kept");
        }
    }
}
