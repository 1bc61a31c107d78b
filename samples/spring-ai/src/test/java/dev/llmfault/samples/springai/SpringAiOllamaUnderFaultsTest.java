package dev.llmfault.samples.springai;

import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.ai.retry.TransientAiException;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.context.TestPropertySource;
import org.springframework.web.client.ResourceAccessException;
import reactor.netty.http.client.PrematureCloseException;

import java.net.URI;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The travel assistant on Spring AI 2.0.1's Ollama starter, pointed at the fake server: the one model of this
 * sample that still runs on Spring's {@code RestClient} and Spring AI's retry auto-configuration. Its
 * {@code ResponseErrorHandler} turns every 4xx into {@code NonTransientAiException} (never retried, 429 included,
 * unless {@code spring.ai.retry.on-http-codes} names it) and every 5xx into {@code TransientAiException}; the
 * {@code RetryTemplate} (Spring Framework 7's {@code org.springframework.core.retry}) retries those and
 * {@code ResourceAccessException}, {@code spring.ai.retry.max-attempts} times AFTER the first call, waiting
 * {@code initial-interval * multiplier^n}; it reads no retry hint.
 */
@SpringBootTest
@LlmFaultTest(provider = Provider.OLLAMA)
class SpringAiOllamaUnderFaultsTest extends TravelAssistantUnderFaults {
    static final int MAX_ATTEMPTS = 2;
    private static URI baseUrl;

    @BeforeAll
    static void fakeProvider(@LlmBaseUrl URI url) {
        baseUrl = url;
    }

    // tag::spring-ai-retry[]
    @DynamicPropertySource
    static void pointSpringAiAtTheFakeProvider(DynamicPropertyRegistry registry) {
        registry.add("spring.ai.model.chat", () -> "ollama");
        registry.add("spring.ai.ollama.base-url", () -> baseUrl.toString());
        registry.add("spring.ai.retry.max-attempts", () -> MAX_ATTEMPTS);   // retries after the first call
        registry.add("spring.ai.retry.backoff.initial-interval", () -> "200ms");
        registry.add("spring.ai.retry.backoff.multiplier", () -> 3);
        registry.add("spring.ai.retry.backoff.max-interval", () -> "1s");
    }
    // end::spring-ai-retry[]

    static final int ALL = 1 + MAX_ATTEMPTS;

    @Override
    Map<Fault, Reaction> reactions() {
        return new EnumMap<>(Map.ofEntries(
                Map.entry(Fault.MISSING_TOKEN, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.INVALID_TOKEN, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.EXPIRED_TOKEN, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.INSUFFICIENT_SCOPE, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.MALFORMED_BODY, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.MISSING_FIELD, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.CONTEXT_LENGTH_EXCEEDED, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.WRONG_METHOD, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.RATE_LIMITED, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.QUOTA_EXCEEDED, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.IP_BLOCKED, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.REGION_BLOCKED, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.OLD_API_VERSION, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.MODEL_NOT_FOUND, new Reaction(NonTransientAiException.class, 1)),
                Map.entry(Fault.OVERLOADED, new Reaction(TransientAiException.class, ALL)),
                Map.entry(Fault.SERVER_ERROR, new Reaction(TransientAiException.class, ALL)),
                // A body cut short fails while RestClient reads it, past its error handling: Reactor Netty's
                // PrematureCloseException inside reactor's own ReactiveException, not a ResourceAccessException,
                // so it is never retried.
                Map.entry(Fault.STREAM_INTERRUPTED, new Reaction(RuntimeException.class, 1)),
                Map.entry(Fault.STREAM_ERROR, new Reaction(TransientAiException.class, ALL))));
    }

    @Override
    boolean retriesARateLimit() {
        return false;
    }

    @Override
    Reaction afterAPooledConnectionIsReset() {
        return new Reaction(ResourceAccessException.class, ALL);
    }

    /** {@code RuntimeException} in the table stands for reactor's package-private {@code ReactiveException}. */
    @Override
    void assertThrown(Reaction expected, Throwable thrown) {
        if (expected.thrown() != RuntimeException.class) {
            super.assertThrown(expected, thrown);
            return;
        }
        assertThat(thrown).hasCauseInstanceOf(PrematureCloseException.class);
        assertThat(thrown.getClass().getName()).isEqualTo("reactor.core.Exceptions$ReactiveException");
    }

    @Test
    @LlmFaultScenario(fault = Fault.OVERLOADED, times = 2)
    void recoversFromOverloadedBackingOffAsConfigured(RequestJournal journal) {
        assertThat(assistant.ask(QUESTION)).isEqualTo(REPLY);

        // 200 ms, then 600 ms: initial-interval * multiplier^n, no jitter (a busy machine only adds to each wait)
        LlmFaultAssertions.assertThat(journal).hasAttempts(3).waitedAtLeast(Duration.ofMillis(200));
        List<JournalEntry> entries = journal.entries();
        assertThat(Duration.ofNanos(entries.get(2).monotonicNanos() - entries.get(1).monotonicNanos()))
                .isGreaterThanOrEqualTo(Duration.ofMillis(600));
        assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(503, 503, 200);
    }

    /** The same application with {@code spring.ai.retry.on-http-codes: 429}: its own context, the same server. */
    @Nested
    @TestPropertySource(properties = "spring.ai.retry.on-http-codes=429")
    class WhenTold429IsTransient {
        @Autowired
        TravelAssistant assistant;

        @Test
        @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1)
        void retriesA429WithTheConfiguredBackoff(RequestJournal journal) {
            assertThat(assistant.ask(QUESTION)).isEqualTo(REPLY);

            LlmFaultAssertions.assertThat(journal).hasAttempts(2).waitedAtLeast(Duration.ofMillis(200));
            assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(429, 200);
        }
    }
}
