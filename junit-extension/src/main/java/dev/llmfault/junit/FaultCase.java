package dev.llmfault.junit;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;

import java.util.Objects;
import org.apiguardian.api.API;

/**
 * One case of an {@link LlmFaultMatrix}: the fault injected in this run and the provider it is injected on.
 * Injected as a parameter of the matrix test.
 *
 * <pre>{@code
 * @LlmFaultMatrix(faults = {Fault.RATE_LIMITED, Fault.INVALID_TOKEN})
 * void test(FaultCase fault, FakeLlmServer server) {
 *     ...
 *     if (fault.isRetryable()) { assertThat(server.journal()).hasAttempts(2); }
 *     else { assertThat(server.journal()).didNotRetry(); }
 * }
 * }</pre>
 *
 * @param fault    the fault injected
 * @param provider the provider whose requests get it
 */
@API(status = API.Status.EXPERIMENTAL, since = "0.1")
public record FaultCase(Fault fault, Provider provider) {

    public FaultCase {
        Objects.requireNonNull(fault, "fault");
        Objects.requireNonNull(provider, "provider");
    }

    /** True when a correct client retries this fault unchanged (the catalogue's retry column says so). */
    public boolean isRetryable() {
        return fault.isRetryable();
    }

    /** What a correct client does about the fault, from the catalogue. */
    public Fault.Retry retry() {
        return fault.retry();
    }

    /** {@code RATE_LIMITED on OPENAI}. */
    @Override
    public String toString() {
        return fault + " on " + provider;
    }
}
