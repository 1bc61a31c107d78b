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
 * Turns on the server's emulated rate limits for a test: requests and tokens per window, counted per API
 * key, and a quota. The window really fills: the request after the limit gets the provider's 429 with the
 * real time until capacity returns in {@code Retry-After}. On a method it replaces the class's.
 *
 * <pre>{@code
 * @Test
 * @LlmRateLimit(requestsPerWindow = 5, windowMs = 1000)
 * void throttlesItself(@LlmBaseUrl(Provider.OPENAI) String baseUrl, RequestJournal journal) {
 *     ... send 10 requests ...
 *     LlmFaultAssertions.assertThat(journal).respectedRetryAfter();
 * }
 * }</pre>
 *
 * <p>Policies are server-wide: a test declaring one owns the server while it runs (a server of its own,
 * or a shared one used by one test at a time), and the server is reset after it.
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
// the extension comes with the annotation, so it works without @LlmFaultTest (JUnit registers it once)
@ExtendWith(LlmFaultExtension.class)
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public @interface LlmRateLimit {
    /** Default of elements that mean "no limit". */
    int UNSET = Integer.MIN_VALUE;

    /** Requests admitted per key and window. */
    int requestsPerWindow() default UNSET;

    /** Tokens (prompt plus {@code max_tokens}) admitted per key and window. */
    int tokensPerWindow() default UNSET;

    /** Length of a window. */
    long windowMs() default 60_000;

    /** Requests admitted per key and quota period; beyond them, QUOTA_EXCEEDED. */
    int quotaRequests() default UNSET;

    /** Length of a quota period. */
    long quotaPeriodMs() default 86_400_000;
}
