package dev.llmfault.samples.springai;

import com.anthropic.errors.AnthropicInvalidDataException;
import com.anthropic.errors.AnthropicIoException;
import com.anthropic.errors.BadRequestException;
import com.anthropic.errors.InternalServerException;
import com.anthropic.errors.NotFoundException;
import com.anthropic.errors.PermissionDeniedException;
import com.anthropic.errors.RateLimitException;
import com.anthropic.errors.UnauthorizedException;
import com.anthropic.errors.UnexpectedStatusCodeException;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import java.net.URI;
import java.util.EnumMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The travel assistant on Spring AI 2.0.1's Anthropic starter, pointed at the fake server. Spring AI 2.0 runs
 * Anthropic on the official anthropic-java SDK (2.52.0): the SDK retries ({@code spring.ai.anthropic.max-retries},
 * default 2: 408, 409, 429, 5xx and IO errors, honouring {@code retry-after-ms} / {@code Retry-After}), its
 * exceptions reach the caller unwrapped, and {@code spring.ai.retry.*} plays no part.
 */
@SpringBootTest
@LlmFaultTest(provider = Provider.ANTHROPIC)
class SpringAiAnthropicUnderFaultsTest extends TravelAssistantUnderFaults {
    static final String KEY = "sk-ant-test-spring-ai-0123456789abcdef";
    static final int MAX_RETRIES = 2;
    private static URI baseUrl;

    @BeforeAll
    static void fakeProvider(@LlmBaseUrl URI url) {
        baseUrl = url;
    }

    @DynamicPropertySource
    static void pointSpringAiAtTheFakeProvider(DynamicPropertyRegistry registry) {
        registry.add("spring.ai.model.chat", () -> "anthropic");
        registry.add("spring.ai.anthropic.base-url", () -> baseUrl.toString());   // the bare host
        registry.add("spring.ai.anthropic.api-key", () -> KEY);
        registry.add("spring.ai.anthropic.max-retries", () -> MAX_RETRIES);
        registry.add("spring.ai.anthropic.timeout", () -> "2s");
    }

    static final int ALL = 1 + MAX_RETRIES;

    @Override
    Map<Fault, Reaction> reactions() {
        return new EnumMap<>(Map.ofEntries(
                Map.entry(Fault.MISSING_TOKEN, new Reaction(UnauthorizedException.class, 1)),
                Map.entry(Fault.INVALID_TOKEN, new Reaction(UnauthorizedException.class, 1)),
                Map.entry(Fault.EXPIRED_TOKEN, new Reaction(UnauthorizedException.class, 1)),
                Map.entry(Fault.INSUFFICIENT_SCOPE, new Reaction(PermissionDeniedException.class, 1)),
                Map.entry(Fault.MALFORMED_BODY, new Reaction(BadRequestException.class, 1)),
                Map.entry(Fault.MISSING_FIELD, new Reaction(BadRequestException.class, 1)),
                Map.entry(Fault.CONTEXT_LENGTH_EXCEEDED, new Reaction(BadRequestException.class, 1)),
                Map.entry(Fault.WRONG_METHOD, new Reaction(UnexpectedStatusCodeException.class, 1)),
                Map.entry(Fault.RATE_LIMITED, new Reaction(RateLimitException.class, ALL)),
                Map.entry(Fault.QUOTA_EXCEEDED, new Reaction(UnexpectedStatusCodeException.class, 1)), // 402
                Map.entry(Fault.IP_BLOCKED, new Reaction(PermissionDeniedException.class, 1)),
                Map.entry(Fault.REGION_BLOCKED, new Reaction(PermissionDeniedException.class, 1)),
                Map.entry(Fault.OLD_API_VERSION, new Reaction(BadRequestException.class, 1)),
                Map.entry(Fault.MODEL_NOT_FOUND, new Reaction(NotFoundException.class, 1)),
                Map.entry(Fault.OVERLOADED, new Reaction(InternalServerException.class, ALL)),             // 529
                Map.entry(Fault.SERVER_ERROR, new Reaction(InternalServerException.class, ALL)),
                Map.entry(Fault.STREAM_INTERRUPTED, new Reaction(AnthropicInvalidDataException.class, 1)),
                Map.entry(Fault.STREAM_ERROR, new Reaction(InternalServerException.class, ALL))));
    }

    @Override
    boolean retriesARateLimit() {
        return true;
    }

    /** Spring AI's OkHttp client for Anthropic keeps {@code retryOnConnectionFailure} on too (see the OpenAI test). */
    @Override
    Reaction afterAPooledConnectionIsReset() {
        return new Reaction(AnthropicIoException.class, 1 + ALL);
    }

    @Test
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, times = 1, retryAfterMs = 1100)
    void recoversFromARateLimitWaitingTheRetryAfterHint(RequestJournal journal) {
        assertThat(assistant.ask(QUESTION)).isEqualTo(REPLY);

        LlmFaultAssertions.assertThat(journal).hasAttempts(2).respectedRetryAfter();
    }

    @Test
    @LlmFaultScenario(fault = Fault.SLOW_RESPONSE, times = 1, delayMs = 3000)
    void timesOutAndRetriesASlowAnswer(RequestJournal journal) {
        assertThat(assistant.ask(QUESTION)).isEqualTo(REPLY);

        assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactly(Fault.SLOW_RESPONSE, null);
    }
}
