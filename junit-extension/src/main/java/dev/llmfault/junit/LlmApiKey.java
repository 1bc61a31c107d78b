package dev.llmfault.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Injects an API key generated for this test alone ({@code String}). Taking it scopes the test's view of the
 * server to that key: the test's scenarios match only requests sent with it, its journal shows only them, and
 * the server is not reset for it. That is how tests share one server in parallel, embedded or remote.
 *
 * <pre>{@code
 * @Test
 * @LlmFaultScenario(fault = Fault.SERVER_ERROR, times = 1)
 * void retriesOnce(FakeLlmServer server, @LlmApiKey String apiKey) {
 *     var client = new ChatClient(server.baseUrl(Provider.OPENAI), apiKey); // send the test's key
 *     client.ask("hi");
 *     LlmFaultAssertions.assertThat(server.journal()).hasAttempts(2);      // only this test's requests
 * }
 * }</pre>
 *
 * <p>A client that authenticates with OAuth sends the key as its client secret to the server's
 * {@code POST /oauth/token} (any client id): the token requests and the calls bearing the tokens they issue then
 * count for the key too, so its scenarios apply to them and its journal shows them
 * ({@link RequestJournalAssert#refreshedTokenBeforeRetrying()} needs all three: the 401, the token request, the retry).
 *
 * <p>The key is random and never printed in full: the journal and the failure timeline show its mask.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
// the extension comes with the annotation, so it works without @LlmFaultTest (JUnit registers it once)
@ExtendWith(LlmFaultExtension.class)
@API(status = API.Status.STABLE, since = "0.1")
public @interface LlmApiKey {
}
