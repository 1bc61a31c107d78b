package dev.llmfault.junit;

import dev.llmfault.server.Provider;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Injects the base URL a client of a provider should use, as a {@code URI} or a {@code String}: OpenAI's ends
 * in {@code /v1}, Anthropic's and Cohere's are the bare host, Zhipu's ends in {@code /api/paas/v4}.
 *
 * <pre>{@code
 * @Test
 * void callsAnthropic(@LlmBaseUrl(Provider.ANTHROPIC) URI baseUrl) {
 *     var client = AnthropicOkHttpClient.builder().baseUrl(baseUrl.toString()).apiKey("sk-ant-test").build();
 *     ...
 * }
 * }</pre>
 *
 * <p>Without a provider it is the current {@link FaultCase}'s provider in an {@link LlmFaultMatrix}, else
 * {@link LlmFaultTest#provider()}. With an {@link #alias()} it is the base URL of that OpenAI-compatible vendor
 * ({@code @LlmFaultTest(aliases = "mistral=/mistral/v1")}, or {@code --alias} on a standalone server):
 * {@code @LlmBaseUrl(alias = "mistral") URI mistral}.
 */
@Target(ElementType.PARAMETER)
@Retention(RetentionPolicy.RUNTIME)
@Documented
// the extension comes with the annotation, so it works without @LlmFaultTest (JUnit registers it once)
@ExtendWith(LlmFaultExtension.class)
@API(status = API.Status.STABLE, since = "0.1")
public @interface LlmBaseUrl {
    /** The provider; at most one, none for the default described above. */
    Provider[] value() default {};

    /**
     * An OpenAI-compatible vendor the server serves under its own base path ({@link LlmFaultTest#aliases()});
     * {@code ""} for a provider's base URL. Not together with a provider.
     */
    String alias() default "";
}
