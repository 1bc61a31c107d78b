package dev.llmfault.server.settings;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.testing.Calls;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** One settings value: every builder produces it, the server consumes it, and equal values are equal. */
class ServerSettingsTest {

    @Test
    void theServerBuilderAndTheSettingsBuilderMakeEqualSettings() {
        Scenario scenario = Scenario.builder(Fault.OVERLOADED).every(5).build();
        ServerSettings viaSettings = ServerSettings.builder().replyText("hi").seed(7).journalSize(12)
                .chunkDelay(Duration.ofMillis(3)).models(Provider.COHERE, "c-1").scenario(scenario).build();
        ServerSettings viaServerBuilder = FakeLlmServer.builder().replyText("hi").seed(7).journalSize(12)
                .chunkDelay(Duration.ofMillis(3)).models(Provider.COHERE, "c-1").scenario(scenario).settings();

        assertThat(viaServerBuilder).isEqualTo(viaSettings).hasSameHashCodeAs(viaSettings);
        assertThat(viaSettings.toBuilder().build()).isEqualTo(viaSettings);
        assertThat(viaSettings.toBuilder().seed(8).build()).isNotEqualTo(viaSettings);
        assertThat(viaSettings.reply()).isEqualTo(new ServerSettings.ReplySettings("hi", 0, 3));
        assertThat(viaSettings.models().get(Provider.COHERE)).containsExactly("c-1");
        assertThat(viaSettings.models().get(Provider.OPENAI)).isEqualTo(ServerSettings.defaultModels().get(Provider.OPENAI));
    }

    @Test
    void theDefaultsAreTheDocumentedOnes() {
        ServerSettings d = ServerSettings.defaults();
        assertThat(d.host()).isEqualTo("127.0.0.1");
        assertThat(d.port()).isZero();
        assertThat(d.adminToken()).isNull();
        assertThat(d.journalSize()).isEqualTo(10_000);
        assertThat(d.maxBodyBytes()).isEqualTo(10L * 1024 * 1024);
        assertThat(d.reply().text()).isEqualTo(FakeLlmServer.DEFAULT_REPLY_TEXT);
        assertThat(d.scenarios()).isEmpty();
        assertThat(d.credentials()).isEmpty();
    }

    @Test
    void aBadValueNamesTheSettingItsValueAndWhatIsAllowed() {
        assertThatThrownBy(() -> ServerSettings.builder().journalSize(-1).build())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("journalSize: invalid value -1, expected an integer >= 0");
        assertThatThrownBy(() -> FakeLlmServer.builder().port(70000).start())
                .hasMessage("port: invalid value 70000, expected 0 (any free port) to 65535");
        assertThatThrownBy(() -> ServerSettings.builder().chunkDelay(Duration.ofMillis(-1)).build())
                .hasMessage("chunkDelayMs: invalid value -1, expected an integer >= 0");
        assertThatThrownBy(() -> ServerSettings.builder().adminToken(" ").build())
                .hasMessageStartingWith("adminToken: invalid value ''");
    }

    @Test
    void theAdminTokenNeverShowsWhole() {
        String token = "admin-token-0123456789abcdef";
        assertThat(ServerSettings.builder().adminToken(token).build().toString())
                .doesNotContain(token).contains("admin***cdef");
    }

    @Test
    void aConfigFileIsReadOverTheCurrentValuesAndLaterCallsWin(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("llmfault.yaml");
        Files.writeString(file, "seed: 42\nreply: { text: from the file }\n");
        ServerSettings s = ServerSettings.builder().journalSize(5).config(file).seed(43).build();
        assertThat(s.journalSize()).isEqualTo(5);
        assertThat(s.reply().text()).isEqualTo("from the file");
        assertThat(s.seed()).isEqualTo(43);
    }

    @Test
    void aServerStartsFromSettingsAndItsUrlIsTheRootUrl() {
        try (FakeLlmServer server = FakeLlmServer.start(ServerSettings.builder().replyText("from settings").build())) {
            assertThat(server.url()).hasToString("http://127.0.0.1:" + server.port());
            assertThat(server.url().getPath()).isEmpty();
            assertThat(server.baseUrl(Provider.OPENAI)).hasToString(server.url() + "/v1");
            assertThat(Calls.chat(server, Provider.OPENAI, false).body()).contains("from settings");
        }
    }
}
