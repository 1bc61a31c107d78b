package dev.llmfault.samples;

import com.openai.client.OpenAIClient;
import com.openai.client.okhttp.OpenAIOkHttpClient;
import com.openai.errors.InternalServerException;
import com.openai.models.chat.completions.ChatCompletionCreateParams;
import dev.llmfault.samples.OpenAiJavaUnderFaultsTest.Reaction;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.Scenario;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * The chaos proxy is transparent to the official OpenAI SDK: client -> proxy -> upstream (a second fake server
 * on 127.0.0.1 standing in for the real provider). A fault the upstream answers reaches the SDK through the
 * proxy unchanged: the same exception and the same number of requests as without the proxy
 * ({@link OpenAiJavaUnderFaultsTest#PLAIN_CALL}). The one exception is a connection reset by the upstream:
 * a proxy cannot pass a reset on, so the client gets the provider's 5xx, as from any gateway.
 */
class OpenAiJavaThroughProxyTest {
    private static final String KEY = "sk-test-through-proxy-0123456789abcdef";
    private static FakeLlmServer upstream;
    private static FakeLlmServer proxy;

    @BeforeAll
    static void start() {
        upstream = FakeLlmServer.builder().start();
        proxy = FakeLlmServer.builder().proxy(Provider.OPENAI, upstream.url()).start();
    }

    @AfterAll
    static void stop() {
        proxy.close();
        upstream.close();
    }

    @AfterEach
    void reset() {
        upstream.reset();
        proxy.reset();
    }

    private static OpenAIClient client() {
        return OpenAIOkHttpClient.builder().baseUrl(proxy.baseUrl(Provider.OPENAI).toString()).apiKey(KEY)
                .maxRetries(2).timeout(Duration.ofSeconds(10)).build();
    }

    private static ChatCompletionCreateParams params() {
        return ChatCompletionCreateParams.builder().model("gpt-4o-mini").addUserMessage("hi").build();
    }

    @Test
    void aSuccessIsTheUpstreamsAnswer() {
        OpenAIClient client = client();
        try {
            assertThat(client.chat().completions().create(params()).choices().get(0).message().content())
                    .hasValue(FakeLlmServer.DEFAULT_REPLY_TEXT);
        } finally {
            client.close();
        }
        assertThat(proxy.journal().entries()).singleElement()
                .satisfies(e -> assertThat(e.origin()).isEqualTo(JournalEntry.Origin.UPSTREAM));
    }

    @ParameterizedTest
    // a stall upstream is a stall through the proxy too: the SDK's 10 s timeout, three times, is no unit test; the
    // model's own failures are answers the SDK returns (OpenAiJavaUnderFaultsTest shows them)
    @EnumSource(value = Fault.class, mode = EnumSource.Mode.EXCLUDE, names = {"SLOW_RESPONSE", "STREAM_STALLED",
            "LENGTH_TRUNCATED", "CONTENT_FILTERED", "INVALID_JSON_OUTPUT", "UNKNOWN_TOOL_CALL", "INVALID_TOOL_ARGUMENTS"})
    void aFaultOfTheUpstreamReachesTheSdkAsWithoutTheProxy(Fault fault) {
        upstream.scenarios().add(Scenario.builder(fault).retryAfterMs(20L).build());
        Reaction expected = fault == Fault.CONNECTION_RESET
                ? new Reaction(InternalServerException.class, 3) // a reset upstream is the provider's 500 here
                : OpenAiJavaUnderFaultsTest.PLAIN_CALL.get(fault);
        OpenAIClient client = client();

        Throwable thrown;
        try {
            thrown = catchThrowable(() -> client.chat().completions().create(params()));
        } finally {
            client.close();
        }

        assertThat(thrown).isExactlyInstanceOf(expected.thrown());
        assertThat(proxy.journal().entries()).hasSize(expected.requests());
        assertThat(upstream.journal().entries()).hasSize(expected.requests())
                .allSatisfy(e -> assertThat(e.fault()).isEqualTo(fault));
    }

    /** The chaos config of the README, with a local upstream in place of api.openai.com. */
    @Test
    void theChaosConfigInjectsOnRealTrafficAndRefusalsNeverReachTheUpstream() {
        try (FakeLlmServer chaos = FakeLlmServer.builder().config(Path.of("config/chaos-proxy.yaml")).port(0)
                .proxy(Provider.OPENAI, upstream.url()).start()) {
            assertThat(chaos.scenarios().remove("slow")).as("the 15 s answers have no place in a unit test").isTrue();
            OpenAIClient client = OpenAIOkHttpClient.builder().baseUrl(chaos.baseUrl(Provider.OPENAI).toString()).apiKey(KEY)
                    .maxRetries(0).timeout(Duration.ofSeconds(30)).build();
            int failed = 0;
            try {
                for (int i = 0; i < 100; i++) {
                    if (catchThrowable(() -> client.chat().completions().create(params())) != null) {
                        failed++;
                    }
                }
            } finally {
                client.close();
            }
            long refused = chaos.journal().entries().stream().filter(e -> e.fault() == Fault.RATE_LIMITED).count();
            long broken = chaos.journal().entries().stream().filter(e -> e.fault() == Fault.STREAM_INTERRUPTED).count();
            assertThat(refused).as("5 %% of 100 calls, seeded").isBetween(1L, 15L);
            assertThat(failed).as("every injected fault failed its call, nothing else did").isEqualTo((int) (refused + broken));
            // A refusal is answered by the proxy alone; a broken answer was fetched from the upstream, then cut.
            assertThat(upstream.journal().entries()).hasSize(100 - (int) refused);
        }
    }
}
