package dev.llmfault.server.provider;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import dev.llmfault.server.ServerSettings;
import dev.llmfault.server.internal.config.ConfigException;
import dev.llmfault.server.testing.Answer;
import dev.llmfault.server.testing.Calls;
import dev.llmfault.server.testing.Http;
import dev.llmfault.server.testing.SharedServer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@code --alias mistral=/mistral/v1}: an OpenAI-compatible vendor served by the OpenAI dialect under its own base
 * path, its requests journaled with its name; and every way to get an alias wrong, refused with a clear message.
 */
class AliasTest {
    private static final String KEY = "sk-alias-0123456789abcdef";
    private static final String BODY = Calls.body(Provider.OPENAI, false).toString();

    @RegisterExtension
    static final SharedServer server = new SharedServer(b -> b.alias("mistral", "/mistral/v1")
            .aliases("groq=/groq/openai/v1"));

    private static Answer chat(String base, String body) {
        return Http.send("POST", server.get().url().resolve(base + "/chat/completions"), Calls.headers(Provider.OPENAI, KEY),
                body);
    }

    @Test
    void anAliasSpeaksOpenAisWireFormatAndTheJournalNamesIt() {
        Answer a = chat("/mistral/v1", BODY);

        assertThat(a.status()).as(a.body()).isEqualTo(200);
        assertThat(a.json().path("object").asText()).isEqualTo("chat.completion");
        assertThat(a.header("x-request-id")).startsWith("req_");
        JournalEntry entry = server.get().journal().awaitRequests(1, Duration.ofSeconds(5)).get(0);
        assertThat(entry.alias()).isEqualTo("mistral");
        assertThat(entry.provider()).isEqualTo(Provider.OPENAI);
        assertThat(entry.path()).isEqualTo("/mistral/v1/chat/completions");
    }

    @Test
    void aQueryByAliasFindsOnlyThatVendorsRequests() {
        assertThat(chat("/mistral/v1", BODY).status()).isEqualTo(200);
        assertThat(chat("/groq/openai/v1", BODY).status()).isEqualTo(200);
        assertThat(chat("/v1", BODY).status()).isEqualTo(200);

        assertThat(server.get().journal().find(JournalQuery.all().alias("mistral")))
                .extracting(JournalEntry::path).containsExactly("/mistral/v1/chat/completions");
        assertThat(server.get().journal().find(JournalQuery.all().alias("groq")))
                .extracting(JournalEntry::path).containsExactly("/groq/openai/v1/chat/completions");
        assertThat(server.get().journal().find(JournalQuery.all().provider(Provider.OPENAI))).hasSize(3);
        Answer byAdmin = Http.get(server.get().url().resolve("/__admin/requests?alias=groq"));
        assertThat(byAdmin.json().path("requests")).hasSize(1);
        assertThat(byAdmin.json().path("requests").path(0).path("alias").asText()).isEqualTo("groq");
    }

    @Test
    void streamsModelsAndUnknownPathsAnswerAsOpenAiDoesUnderTheAlias() {
        Answer stream = chat("/mistral/v1", Calls.body(Provider.OPENAI, true).toString());
        assertThat(stream.status()).isEqualTo(200);
        assertThat(stream.body()).contains("data: [DONE]");

        Answer models = Http.send("GET", server.get().url().resolve("/mistral/v1/models"),
                Calls.credential(Provider.OPENAI, KEY), null);
        assertThat(models.status()).isEqualTo(200);
        assertThat(models.json().path("object").asText()).isEqualTo("list");

        Answer unknown = Http.send("GET", server.get().url().resolve("/mistral/v1/embeddings-typo"),
                Calls.credential(Provider.OPENAI, KEY), null);
        assertThat(unknown.status()).isEqualTo(404);
        assertThat(unknown.json().path("error").path("type").asText()).isNotBlank(); // OpenAI's envelope
        assertThat(server.get().journal().last().orElseThrow().alias()).isEqualTo("mistral");
    }

    @Test
    void faultsAndTheirScenariosApplyUnderTheAliasAsUnderOpenAi() {
        server.get().scenarios().add(Scenario.builder(Fault.RATE_LIMITED).times(1).retryAfterMs(100).build());

        Answer limited = chat("/mistral/v1", BODY);

        assertThat(limited.status()).isEqualTo(429);
        assertThat(limited.header("retry-after-ms")).isEqualTo("100");
        assertThat(limited.json().path("error").path("code").asText()).isEqualTo("rate_limit_exceeded");
        assertThat(chat("/mistral/v1", BODY).status()).isEqualTo(200);
    }

    @Test
    void theConversationOfAnAliasedRequestIsReadAsOpenAisIs() {
        chat("/mistral/v1", BODY);
        chat("/v1", BODY);

        List<JournalEntry> both = server.get().journal().awaitRequests(2, Duration.ofSeconds(5));
        assertThat(both.get(0).conversation()).isEqualTo(both.get(1).conversation());
    }

    @Test
    void theBaseUrlOfAnAliasComesFromTheServerEmbeddedOrRemote() {
        URI embedded = server.get().baseUrl("mistral");
        assertThat(embedded).isEqualTo(URI.create(server.get().url() + "/mistral/v1"));
        assertThat(FakeLlmServer.connect(server.get().url()).baseUrl("groq"))
                .isEqualTo(URI.create(server.get().url() + "/groq/openai/v1"));
        assertThat(Http.get(server.get().url().resolve("/__admin/health")).json().path("aliases").path("mistral")
                .asText()).isEqualTo(embedded.toString());

        assertThatThrownBy(() -> server.get().baseUrl("deepseek"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("alias: no alias 'deepseek' on this server, which has [mistral, groq]");
        assertThatThrownBy(() -> FakeLlmServer.connect(server.get().url()).baseUrl("deepseek"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("no alias 'deepseek' on the server at " + server.get().url() + ", which has [mistral, groq]");
    }

    @Test
    void aRemoteJournalCarriesTheAliasAndAnswersAQueryByIt() {
        chat("/mistral/v1", BODY);
        chat("/v1", BODY);

        FakeLlmServer remote = FakeLlmServer.connect(server.get().url());
        assertThat(remote.journal().find(JournalQuery.all().alias("mistral")))
                .singleElement().satisfies(e -> assertThat(e.alias()).isEqualTo("mistral"));
    }

    @Test
    void badAliasesAreRefusedNamingWhatIsWrong() {
        assertThat(refusal("Mistral", "/mistral/v1")).isEqualTo("alias: invalid name 'Mistral', expected lower-case"
                + " letters, digits, '.', '_' or '-' (at most 63), such as mistral=/mistral/v1");
        assertThat(refusal("mistral", "mistral/v1")).startsWith("alias mistral: invalid base path 'mistral/v1',"
                + " expected a path such as '/mistral/v1'");
        assertThat(refusal("mistral", "/mistral/v1/")).startsWith("alias mistral: invalid base path '/mistral/v1/'");
        assertThat(refusal("mistral", "/mis tral")).startsWith("alias mistral: invalid base path '/mis tral'");
        assertThat(refusal("openai", "/v1")).isEqualTo("alias openai: base path '/v1' clashes with OPENAI's own route"
                + " POST /v1/chat/completions: choose a path of its own, such as mistral=/mistral/v1");
        assertThat(refusal("azure", "/openai/v1")).startsWith("alias azure: base path '/openai/v1' clashes with"
                + " AZURE_OPENAI's own route");
        assertThat(refusal("admin", "/__admin/v1")).startsWith("alias admin: base path '/__admin/v1' is under /__admin");
        assertThatThrownBy(() -> ServerSettings.builder().aliases("mistral").build())
                .hasMessage("alias: invalid value 'mistral', expected NAME=/BASE/PATH such as mistral=/mistral/v1");
        assertThatThrownBy(() -> ServerSettings.builder().alias("a", "/shared/v1").alias("b", "/shared/v1").build())
                .hasMessage("alias b: base path '/shared/v1' clashes with alias a (/shared/v1): give each alias a path"
                        + " of its own");
    }

    private static String refusal(String name, String path) {
        try {
            ServerSettings.builder().alias(name, path).build();
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        throw new AssertionError("alias " + name + "=" + path + " was accepted");
    }

    @Test
    void theConfigFileTakesAliasesAndNamesTheLineOfABadOne(@TempDir Path dir) throws IOException {
        Path good = Files.writeString(dir.resolve("good.yaml"), "aliases:\n  mistral: /mistral/v1\n  vllm: /vllm/v1\n");
        assertThat(ServerSettings.builder().config(good).build().aliases())
                .containsExactly(Map.entry("mistral", "/mistral/v1"), Map.entry("vllm", "/vllm/v1"));

        Path bad = Files.writeString(dir.resolve("bad.yaml"), "seed: 1\naliases:\n  openai: /v1\n");
        assertThatThrownBy(() -> ServerSettings.builder().config(bad))
                .isInstanceOf(ConfigException.class)
                .hasMessageStartingWith(bad + ":3: aliases.openai: base path '/v1' clashes with OPENAI's own route");
    }
}
