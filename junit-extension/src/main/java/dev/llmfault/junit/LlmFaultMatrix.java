package dev.llmfault.junit;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;
import org.apiguardian.api.API;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Runs a test once per fault and provider, with that fault injected, and injects the current
 * {@link FaultCase}, so one test body states what the client must do for each fault. The display name of each
 * run is {@code [RATE_LIMITED on OPENAI]}.
 *
 * <pre>{@code
 * @LlmFaultMatrix(faults = {Fault.RATE_LIMITED, Fault.SERVER_ERROR, Fault.INVALID_TOKEN},
 *                 providers = {Provider.OPENAI, Provider.ANTHROPIC})
 * void reactsToEachFault(FaultCase fault, @LlmBaseUrl URI baseUrl, FakeLlmServer server) {
 *     var result = new ChatClient(baseUrl, "sk-test").tryAsk("hi");
 *     if (fault.isRetryable()) {
 *         assertThat(result).isNotBlank();
 *     } else {
 *         LlmFaultAssertions.assertThat(server.journal()).didNotRetry();
 *     }
 * }
 * }</pre>
 *
 * <p>Each case installs {@code Scenario.builder(fault).provider(provider)} with {@link #times()},
 * {@link #retryAfterMs()}, {@link #delayMs()} and {@link #afterChunks()}, before the scenarios of
 * {@link LlmFaultScenario} annotations. {@code @LlmBaseUrl} parameters without a provider get the case's
 * provider. A matrix with no fault (none listed, no {@link #allFaults()}, no {@link #kinds()}) fails the test
 * container with a message.
 */
@Target({ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@TestTemplate
@ExtendWith(LlmFaultExtension.class)
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public @interface LlmFaultMatrix {

    /** The faults to run the test with; with {@link #allFaults()} and {@link #kinds()} unset, at least one. */
    Fault[] faults() default {};

    /** Run the test with every fault of the catalogue (less {@link #except()}), in catalogue order. */
    boolean allFaults() default false;

    /**
     * Run the test with every fault of these kinds too (less {@link #except()}), in catalogue order:
     * {@code kinds = Fault.Kind.HTTP_ERROR} for every error answer, {@code MODEL_OUTPUT} for the model's own
     * failures, without listing them (a fault the catalogue gains later joins the matrix by itself).
     */
    Fault.Kind[] kinds() default {};

    /** Faults left out of the matrix, for example the transport faults a client cannot see. */
    Fault[] except() default {};

    /** The providers to run each fault on; empty for the provider of {@link LlmFaultTest#provider()}. */
    Provider[] providers() default {};

    /** How many faults each case injects before requests pass (1: the client sees one fault, then success). */
    int times() default 1;

    /** Retry hint of each fault answer, in ms; unset for the catalogue's. */
    long retryAfterMs() default LlmFaultScenario.UNSET_LONG;

    /** Delay of {@code SLOW_RESPONSE} (the hold of {@code STREAM_STALLED}), in ms; unset for the server's default. */
    long delayMs() default LlmFaultScenario.UNSET_LONG;

    /** Chunks a stream fault lets through first; unset for the server's default. */
    int afterChunks() default LlmFaultScenario.UNSET;
}
