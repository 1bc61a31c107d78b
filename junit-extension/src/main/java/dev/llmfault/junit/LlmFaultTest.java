package dev.llmfault.junit;

import dev.llmfault.server.Provider;
import org.apiguardian.api.API;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test class (or one test method) against a fake LLM provider: an embedded {@code FakeLlmServer}
 * started once for the class (bound to 127.0.0.1 on a free port) and reset before each test, or one server
 * per test with {@link #serverPerMethod()}. Scenarios come from {@link LlmFaultScenario} annotations;
 * parameters of type {@code FakeLlmServer}, {@code RequestJournal}, {@code @LlmBaseUrl URI|String},
 * {@code @LlmApiKey String} and {@link FaultCase} are injected.
 *
 * <pre>{@code
 * @LlmFaultTest
 * class ChatClientTest {
 *     @Test
 *     @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 2, retryAfterMs = 200)
 *     void recoversFromRateLimit(FakeLlmServer server) {
 *         var client = new ChatClient(server.baseUrl(Provider.OPENAI), "sk-test");
 *         assertThat(client.ask("hi")).isNotBlank();
 *         LlmFaultAssertions.assertThat(server.journal()).hasRequestCount(3).respectedRetryAfter();
 *     }
 * }
 * }</pre>
 *
 * <p><b>Isolation.</b> A test that takes its own key ({@code @LlmApiKey String apiKey}, on the test method or a
 * {@code @BeforeEach} method) and sends it gets a view of the server scoped to that key: its scenarios match
 * only its key, its journal shows only its requests, and nothing is reset. Such tests may run in parallel on
 * one shared server. A test that does not take its key owns the whole server, which is reset before it; it
 * must not run concurrently with other tests of the same server (the extension refuses, with a message).
 *
 * <p><b>Remote mode.</b> With the configuration parameter or system property
 * {@value LlmFaultExtension#SERVER_URL_PROPERTY}, or the environment variable
 * {@value LlmFaultExtension#SERVER_URL_ENV}, the tests drive that standalone server through its admin API
 * instead of starting one; the server settings below then come from the standalone server's own configuration
 * and are ignored. A server started with {@code --admin-token} needs its token in
 * {@value LlmFaultExtension#SERVER_TOKEN_PROPERTY} (or {@value LlmFaultExtension#SERVER_TOKEN_ENV}). A remote
 * server may be shared, so it is never reset: a test without a key sees the requests from its start on, its
 * scenarios are removed when it ends and the policies it set are put back.
 *
 * <p><b>Report.</b> At the end of the run the extension writes the resilience report: {@code index.html} (a
 * scorecard per class and each test's request timeline, one self-contained page), {@code report.json} (schema
 * {@code llmfault-report/1}) and {@code summary.md}, in {@code target/llmfault-report} or the directory of the
 * configuration parameter {@value LlmFaultExtension#REPORT_DIR_PROPERTY};
 * {@value LlmFaultExtension#REPORT_PROPERTY}{@code =false} writes nothing. The other configuration parameters
 * are the constants of {@link LlmFaultExtension}.
 *
 * <p><b>Policies.</b> Emulated policies (token lifetimes, rate windows, IP lists, API versions) are declared
 * by their own annotations ({@link LlmCredentials}, {@link LlmRateLimit}, {@link LlmNetwork},
 * {@link LlmVersions}) on the class, the method or a composed annotation; this annotation keeps the
 * server-wide settings only.
 *
 * <p>Values left at their defaults keep the server's own defaults; each server setting here has the name of
 * its setter in {@code ServerSettings.Setter} ({@code xMs} for {@code x(Duration)}). Use
 * {@link LlmFaultExtension#builder()} with {@code @RegisterExtension} to configure the server in code.
 */
@API(status = API.Status.STABLE, since = "0.1")
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(LlmFaultExtension.class)
public @interface LlmFaultTest {

    /** One server per test instead of one per class; slower, but nothing is shared. */
    boolean serverPerMethod() default false;

    /**
     * The provider of {@code @LlmBaseUrl} parameters that name none, and of the cases of an
     * {@code @LlmFaultMatrix} that lists no providers.
     */
    Provider provider() default Provider.OPENAI;

    /** The text every success answers with; {@code ""} keeps the server's default. */
    String replyText() default "";

    /** The seed of probability scenarios that set none; {@link LlmFaultScenario#UNSET_LONG} keeps the server's. */
    long seed() default LlmFaultScenario.UNSET_LONG;

    /** How many requests the journal keeps; {@link LlmFaultScenario#UNSET} keeps the server's default (10,000). */
    int journalSize() default LlmFaultScenario.UNSET;

    /** Delay before the first chunk of every stream, in ms; {@link LlmFaultScenario#UNSET_LONG} for none. */
    long firstChunkDelayMs() default LlmFaultScenario.UNSET_LONG;

    /** Delay between the chunks of every stream, in ms; {@link LlmFaultScenario#UNSET_LONG} for none. */
    long chunkDelayMs() default LlmFaultScenario.UNSET_LONG;

    /**
     * Captures what each test logs ({@link CapturedLogs}) even when it takes no {@code CapturedLogs} parameter, so
     * that a failing test's report shows the lines (credentials masked). A {@code CapturedLogs} parameter always
     * captures.
     */
    boolean captureLogs() default false;

    /**
     * OpenAI-compatible vendors (Mistral, Groq, Together, DeepSeek, OpenRouter, vLLM, LM Studio ...) served with
     * OpenAI's wire format under their own base paths, each {@code NAME=/BASE/PATH}; a test takes one's base URL
     * with {@code @LlmBaseUrl(alias = "NAME")} and the journal names it ({@code JournalQuery.all().alias("NAME")}).
     * <pre>{@code @LlmFaultTest(aliases = {"mistral=/mistral/v1", "groq=/groq/openai/v1"})}</pre>
     * Embedded servers only: in remote mode, start the standalone server with {@code --alias}.
     */
    String[] aliases() default {};

    /**
     * A directory of recorded fixtures (see the server's {@code --record}) that answer instead of the fake model,
     * relative to the working directory, e.g. {@code "src/test/resources/llm"}: real answers in a test without a
     * key, a cost or a network. Strict: a request no fixture matches gets the provider's error naming the closest
     * fixture. Streams replay without their recorded delays. Scenarios and policies apply on top, as always.
     * {@code ""} for none. Embedded servers only: in remote mode, start the standalone server with {@code --replay}.
     */
    String replay() default "";
}
