package dev.llmfault.junit;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.apiguardian.api.API;

/**
 * A fault-injection scenario active during a test: the annotation form of {@code Scenario}, with every option
 * of the admin API. Repeatable; on a class it applies to every test of the class (and of its subclasses and
 * {@code @Nested} classes), on a method it adds to the class's. Scenarios are installed in declaration order
 * (class ones first) and the first that matches a request and fires wins.
 *
 * <pre>{@code
 * @Test
 * @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 2, retryAfterMs = 200)
 * @LlmFaultScenario(fault = Fault.SERVER_ERROR, provider = Provider.ANTHROPIC, probability = 0.2, seed = 42)
 * void survives(FakeLlmServer server) { ... }
 * }</pre>
 *
 * <p>It composes: a team may define its own annotation once and use it everywhere.
 * <pre>{@code
 * @Retention(RetentionPolicy.RUNTIME)
 * @Target({ElementType.TYPE, ElementType.METHOD})
 * @LlmFaultScenario(fault = Fault.OVERLOADED, provider = Provider.OPENAI, every = 3)
 * public @interface FlakyOpenAi {}
 * }</pre>
 *
 * <p>A wrong value (for example {@code times = -1} or {@code probability = 2}) fails the test before it starts,
 * naming the annotation, where it is declared, the element and the value.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@Repeatable(LlmFaultScenarios.class)
// the extension comes with the annotation, so it works without @LlmFaultTest (JUnit registers it once)
@ExtendWith(LlmFaultExtension.class)
@API(status = API.Status.STABLE, since = "0.1")
public @interface LlmFaultScenario {
    /** Default of numeric elements that mean "not set": the server's own default applies. */
    int UNSET = Integer.MIN_VALUE;
    /** Default of {@code long} elements that mean "not set". */
    long UNSET_LONG = Long.MIN_VALUE;
    /** Default of {@link #times()}: no limit. */
    int UNLIMITED = Integer.MAX_VALUE;

    /** The fault to inject. */
    Fault fault();

    /** The providers it applies to (one scenario each); empty for every provider. */
    Provider[] provider() default {};

    /**
     * Inject at most this many faults (1 or more), then let requests pass; {@link #UNLIMITED} (the default) for
     * no limit. {@code times = 0} is refused: it would read as "never" to some and "no limit" to others.
     */
    int times() default UNLIMITED;

    /** Let the first {@code after} matching requests pass before injecting. */
    int after() default 0;

    /** Inject on every k-th eligible request. */
    int every() default 1;

    /** Inject with this probability (0.0 to 1.0), decided by a coin seeded with {@link #seed()}. */
    double probability() default 1.0;

    /** Seed of the probability coin; unset uses the server's seed. */
    long seed() default UNSET_LONG;

    /** Active from this many ms after the scenario is installed. */
    long fromMs() default UNSET_LONG;

    /** Active until this many ms after the scenario is installed. */
    long untilMs() default UNSET_LONG;

    /** Retry hint of the answer: {@code Retry-After} (seconds, rounded up) and, where used, {@code retry-after-ms}. */
    long retryAfterMs() default UNSET_LONG;

    /** Adds {@code x-should-retry: true|false}, which the official SDKs obey first. */
    ShouldRetry shouldRetry() default ShouldRetry.UNSET;

    /** Delay of {@code SLOW_RESPONSE}, in ms; for {@code STREAM_STALLED}, how long the stall lasts before a cut. */
    long delayMs() default UNSET_LONG;

    /** How many content deltas (text or tool-argument pieces) a stream fault lets through first. */
    int afterChunks() default UNSET;

    /** A status replacing the catalogue's (100 to 599). */
    int status() default UNSET;

    /** Response headers to add or replace, each {@code "Name: value"}. */
    String[] headers() default {};

    /** A body template replacing the catalogue's; placeholders as in {@code Scenario.Builder#body}. */
    String body() default "";

    /** The scenario id; empty lets the server choose. Must be unique among the server's active scenarios. */
    String id() default "";

    /** Which requests it applies to; every element is optional and all must hold. */
    Match match() default @Match;

    /**
     * The tri-state of {@link #shouldRetry()}: {@code UNSET} sends no {@code x-should-retry} header.
     *
     * <pre>{@code
     * @LlmFaultScenario(fault = Fault.SERVER_ERROR, shouldRetry = ShouldRetry.FALSE)
     * }</pre>
     */
    enum ShouldRetry { UNSET, TRUE, FALSE }

    /**
     * Which requests a scenario applies to.
     *
     * <pre>{@code
     * @LlmFaultScenario(fault = Fault.MODEL_NOT_FOUND, match = @Match(model = "gpt-3.5-turbo"))
     * }</pre>
     */
    @Target({})
    @Retention(RetentionPolicy.RUNTIME)
    @interface Match {
        /** Only this exact path, for example {@code /v1/chat/completions}. */
        String path() default "";

        /** Only requests for this model. */
        String model() default "";

        /** Only requests sent with this API key (kept as a fingerprint only). */
        String apiKey() default "";

        /** Only requests carrying these headers, each {@code "Name: value"}. */
        String[] headers() default {};
    }
}
