package dev.llmfault.junit;

import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * Turns on the server's emulated API versions for a test: accepted {@code anthropic-version} values,
 * retired endpoints and models, and whether unknown models are refused. On a method it replaces the class's.
 *
 * <pre>{@code
 * @Test
 * @LlmVersions(anthropicVersions = "2023-06-01", retiredModels = "OPENAI:text-davinci-003")
 * void namesTheRetiredModel(@LlmBaseUrl(Provider.OPENAI) String baseUrl) { ... }
 * }</pre>
 *
 * <p>Policies are server-wide: see {@link LlmRateLimit} for what that means for the test.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
// the extension comes with the annotation, so it works without @LlmFaultTest (JUnit registers it once)
@ExtendWith(LlmFaultExtension.class)
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public @interface LlmVersions {
    /** Accepted {@code anthropic-version} values; empty accepts any date-shaped version. */
    String[] anthropicVersions() default {};

    /** Retired path prefixes; empty keeps the server's list of endpoints the providers retired. */
    String[] retiredEndpoints() default {};

    /** Retired models as {@code "PROVIDER:model"}, for example {@code "OPENAI:text-davinci-003"}. */
    String[] retiredModels() default {};

    /** Refuse models outside the server's model list with MODEL_NOT_FOUND. */
    boolean knownModelsOnly() default false;
}
