package dev.llmfault.samples;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmfault.junit.LlmApiKey;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An OpenAI-compatible vendor (here Mistral; Groq, Together, DeepSeek, OpenRouter, vLLM and LM Studio alike) is the
 * OpenAI dialect under the vendor's own base path: openai-java 4.101.0, configured for the vendor with only its base
 * URL changed, gets OpenAI's answers and faults, and the journal names the alias. In the CI recipe the standalone
 * server is started with {@code --alias mistral=/mistral/v1}.
 */
// tag::openai-compatible-alias[]
@LlmFaultTest(aliases = "mistral=/mistral/v1")
class OpenAiCompatibleVendorTest {

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 50)
    void theOpenAiSdkPointedAtMistralRetriesItsRateLimit(@LlmBaseUrl(alias = "mistral") URI mistral,
                                                          @LlmApiKey String key, RequestJournal journal) {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(mistral.toString()).apiKey(key).maxRetries(2).build();
        try {
            ChatCompletion answer = client.chat().completions().create(ChatCompletionCreateParams.builder()
                    .model("mistral-small-latest").addUserMessage("hi").build());

            assertThat(answer.choices().get(0).message().content()).isPresent();
            List<JournalEntry> calls = journal.find(JournalQuery.all().alias("mistral"));
            assertThat(calls).extracting(JournalEntry::status).containsExactly(429, 200);
            assertThat(calls).extracting(JournalEntry::path).containsOnly("/mistral/v1/chat/completions");
            assertThat(calls).extracting(e -> e.header("x-stainless-retry-count")).containsExactly("0", "1");
        } finally {
            client.close();
        }
    }
// end::openai-compatible-alias[]

    @Test
    void theAliasAnswersStreamsAndItsModelListAsOpenAiDoes(@LlmBaseUrl(alias = "mistral") URI mistral,
                                                           @LlmApiKey String key, RequestJournal journal) {
        OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(mistral.toString()).apiKey(key).build();
        try (var stream = client.chat().completions().createStreaming(ChatCompletionCreateParams.builder()
                .model("mistral-small-latest").addUserMessage("hi").build())) {
            StringBuilder text = new StringBuilder();
            stream.stream().forEach(chunk -> chunk.choices().forEach(c -> c.delta().content().ifPresent(text::append)));
            assertThat(text).isNotEmpty();
            assertThat(client.models().list().data()).isNotEmpty();
            assertThat(journal.awaitRequests(JournalQuery.all().alias("mistral"), 2, Duration.ofSeconds(5)))
                    .allSatisfy(e -> assertThat(e.provider()).isEqualTo(Provider.OPENAI));
        } finally {
            client.close();
        }
    }
}
