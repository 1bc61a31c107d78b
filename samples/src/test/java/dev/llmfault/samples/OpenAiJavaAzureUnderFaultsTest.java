package dev.llmfault.samples;

import com.openai.azure.AzureUrlPathMode;
import com.openai.azure.credential.AzureApiKeyCredential;
import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.BadRequestException;
import com.openai.errors.NotFoundException;
import com.openai.errors.RateLimitException;
import com.openai.models.chat.completions.ChatCompletion;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import com.openai.models.responses.Response;
import com.openai.models.responses.ResponseCreateParams;
import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The official OpenAI Java SDK (com.openai:openai-java 4.101.0) in its Azure mode against the Azure OpenAI dialect.
 * On a host that is not {@code *.openai.azure.com}, openai-java uses the Azure deployment paths
 * ({@code /openai/deployments/{model}/chat/completions?api-version=...}) and the {@code api-key} header only with
 * {@code azureUrlPathMode(AzureUrlPathMode.LEGACY)} and an {@code AzureApiKeyCredential}; without them it speaks
 * plain OpenAI to the host.
 */
@LlmFaultTest(provider = Provider.AZURE_OPENAI)
class OpenAiJavaAzureUnderFaultsTest {
    private static final String KEY = "0123456789abcdef0123456789abcdef";
    private static final int MAX_RETRIES = 2;

    private OpenAIClient client;

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        // tag::openai-azure[]
        client = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl.toString())                      // the resource endpoint: the bare host
                .credential(AzureApiKeyCredential.create(KEY))    // sent as the api-key header
                .azureUrlPathMode(AzureUrlPathMode.LEGACY)        // deployment paths on a non-Azure host
                .maxRetries(MAX_RETRIES)
                .timeout(Duration.ofSeconds(10))
                .build();
        // end::openai-azure[]
    }

    @AfterEach
    void stop() {
        client.close();
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build();
    }

    @Test
    void callsTheDeploymentPathWithAnApiVersionAndTheApiKeyHeader(RequestJournal journal) {
        ChatCompletion completion = client.chat().completions().create(params());

        completion.validate();
        assertThat(completion.model()).isEqualTo("gpt-4o-mini");
        JournalEntry request = journal.entries().get(0);
        assertThat(request.path()).isEqualTo("/openai/deployments/gpt-4o-mini/chat/completions");
        assertThat(request.query()).startsWith("api-version=");
        assertThat(request.header("api-key")).isNotBlank().doesNotContain(KEY);
        LlmFaultAssertions.assertThat(journal).hasRequestCount(1);
    }

    @Test
    void theLegacyModeSendsTheResponsesApiOutsideAzuresPathsAndGetsItsNotFound(RequestJournal journal) {
        // openai-java 4.101 puts the Responses API under the deployment too: /openai/deployments/{model}/responses,
        // which Azure does not serve (its Responses API is /openai/responses and /openai/v1/responses): the
        // resource's 404 "Resource not found" (modelled: no live answer seen for that path).
        Throwable thrown = catchThrowable(() -> client.responses().create(
                ResponseCreateParams.builder().model("gpt-4o-mini").input("hi").build()));

        assertThat(thrown).isExactlyInstanceOf(NotFoundException.class).hasMessageContaining("Resource not found");
        assertThat(journal.entries().get(0).path()).isEqualTo("/openai/deployments/gpt-4o-mini/responses");
        LlmFaultAssertions.assertThat(journal).didNotRetry();
    }

    @Test
    void theResponsesApiWorksOnAzuresV1BaseUrl(@LlmBaseUrl URI baseUrl, RequestJournal journal) {
        OpenAIClient v1 = OpenAIOkHttpClient.builder()
                .baseUrl(baseUrl.resolve("/openai/v1").toString())
                .credential(AzureApiKeyCredential.create(KEY))
                .azureUrlPathMode(AzureUrlPathMode.UNIFIED)
                .build();
        try {
            Response response = v1.responses().create(ResponseCreateParams.builder().model("gpt-4o-mini").input("hi").build());

            response.validate();
            assertThat(journal.entries().get(0).path()).isEqualTo("/openai/v1/responses");
            assertThat(journal.entries().get(0).header("api-key")).isNotBlank();
        } finally {
            v1.close();
        }
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 1100)
    void waitsTheRetryAfterMsOfAzuresRateLimit(RequestJournal journal) {
        client.chat().completions().create(params());

        LlmFaultAssertions.assertThat(journal).hasAttempts(2).respectedRetryAfter();
        assertThat(journal.entries().get(0).responseHeader("retry-after-ms")).isEqualTo("1100");
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, retryAfterMs = 20)
    void aRateLimitExceptionCarriesAzuresText() {
        RateLimitException e = (RateLimitException) catchThrowable(() -> client.chat().completions().create(params()));

        assertThat(e.getMessage()).contains("Please retry after 1 seconds");
    }

    @Test
    @LlmFaultScenario(fault = Fault.CONTENT_FILTERED)
    void aFilteredPromptIsABadRequestNotRetried(RequestJournal journal) {
        BadRequestException e = (BadRequestException) catchThrowable(() -> client.chat().completions().create(params()));

        assertThat(e.code()).contains("content_filter");
        assertThat(e.getMessage()).contains("Azure OpenAI's content management policy");
        LlmFaultAssertions.assertThat(journal).didNotRetry().hasRequestCount(1);
    }

    /** Fault (always on) -> what a plain {@code create} throws and how many requests it sent (maxRetries 2). */
    static final Map<Fault, OpenAiJavaUnderFaultsTest.Reaction> PLAIN_CALL = new EnumMap<>(OpenAiJavaUnderFaultsTest.PLAIN_CALL);

    static {
        // Azure answers an unsupported api-version with a 400, where OpenAI's unknown path is a 404.
        PLAIN_CALL.put(Fault.OLD_API_VERSION, new OpenAiJavaUnderFaultsTest.Reaction(BadRequestException.class, 1));
        PLAIN_CALL.put(Fault.MODEL_NOT_FOUND, new OpenAiJavaUnderFaultsTest.Reaction(NotFoundException.class, 1));
    }

    @LlmFaultMatrix(allFaults = true, except = {Fault.SLOW_RESPONSE, Fault.STREAM_STALLED, Fault.LENGTH_TRUNCATED,
            Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL, Fault.INVALID_TOOL_ARGUMENTS},
            times = LlmFaultScenario.UNLIMITED, retryAfterMs = 20)
    void whatTheAzureModeDoesUnderEachFault(FaultCase fault, RequestJournal journal) {
        OpenAiJavaUnderFaultsTest.Reaction expected = PLAIN_CALL.get(fault.fault());

        Throwable thrown = catchThrowable(() -> client.chat().completions().create(params()));

        assertThat(thrown).isExactlyInstanceOf(expected.thrown());
        LlmFaultAssertions.assertThat(journal).hasAttempts(expected.requests()).gaveUpAfter(expected.requests());
        assertThat(journal.entries().stream().map(e -> e.header("x-stainless-retry-count")).toList())
                .containsExactlyElementsOf(IntStream.range(0, expected.requests()).mapToObj(String::valueOf).toList());
    }
}
