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
 * Turns on the server's emulated network restrictions for a test: IP and CIDR allow and deny lists, and
 * allowed or blocked regions from a header. Tests all come from 127.0.0.1, so trust the loopback peer and
 * send the address to simulate in {@code X-Forwarded-For}. On a method it replaces the class's.
 *
 * <pre>{@code
 * @Test
 * @LlmNetwork(deny = "203.0.113.0/24", trustedProxies = {"127.0.0.1", "::1"}, blockRegions = "KP")
 * void failsFastWhenBlocked(@LlmBaseUrl(Provider.OPENAI) String baseUrl) {
 *     ... a client that sends X-Forwarded-For: 203.0.113.9 gets IP_BLOCKED ...
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
public @interface LlmNetwork {
    String[] allow() default {};

    String[] deny() default {};

    String[] trustedProxies() default {};

    String regionHeader() default "CF-IPCountry";

    String[] allowRegions() default {};

    String[] blockRegions() default {};
}
