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
 * Turns on the server's emulated credentials for a test: only these API keys and the tokens its
 * {@code POST /oauth/token} issues to these clients pass; tokens really expire after
 * {@link #tokenLifetimeMs()} or {@link #tokenMaxUses()} calls. On a method it replaces the class's.
 *
 * <pre>{@code
 * @Test
 * @LlmCredentials(oauthClients = "my-app:my-secret", tokenLifetimeMs = 200)
 * void refreshesAnExpiredToken(FakeLlmServer server) {
 *     var client = new MyClient(server.url(), "my-app", "my-secret");
 *     ... call, let the token expire, call again ...
 *     LlmFaultAssertions.assertThat(server).refreshedTokenBeforeRetrying();
 * }
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
public @interface LlmCredentials {
    /** Default of {@link #tokenMaxUses()}: no limit. */
    int UNLIMITED = Integer.MAX_VALUE;

    /** The API keys that pass, each with {@link #scopes()}. A key {@code id.secret} also verifies Zhipu JWTs. */
    String[] apiKeys() default {};

    /** The scopes of the keys. */
    String[] scopes() default {"model.request"};

    /** OAuth clients as {@code "clientId:clientSecret"}, allowed the {@link #scopes()}. */
    String[] oauthClients() default {};

    /** Lifetime of the tokens the server issues. */
    long tokenLifetimeMs() default 3_600_000;

    /** How many calls one token allows. */
    int tokenMaxUses() default UNLIMITED;

    /** The scope a provider call needs; "" for none. */
    String requiredScope() default "model.request";
}
