package dev.llmfault.samples.springai;

import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

import java.util.Collections;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What every provider's test checks on the travel assistant: each fault of the catalogue, always on, ends the call
 * with the exception and the request count the provider's table says; a plain question is answered in one request;
 * a reset of a pooled connection. A subclass is one Spring AI starter: its {@code @SpringBootTest},
 * {@code @LlmFaultTest} and {@code @DynamicPropertySource} (so one context per subclass), and its tables.
 *
 * <pre>{@code
 * @SpringBootTest
 * @LlmFaultTest(provider = Provider.OPENAI)
 * class SpringAiOpenAiUnderFaultsTest extends TravelAssistantUnderFaults { ... }
 * }</pre>
 */
abstract class TravelAssistantUnderFaults {
    static final String REPLY = FakeLlmServer.DEFAULT_REPLY_TEXT;
    static final String QUESTION = "What is the capital of Portugal?";

    @Autowired
    TravelAssistant assistant;

    /** What the starter does about a fault: the exception a call ends with, and how many requests it sent. */
    record Reaction(Class<? extends Throwable> thrown, int requests) {
    }

    /**
     * Fault (always on; all but SLOW_RESPONSE, CONNECTION_RESET, STREAM_STALLED and the model's own failures, which
     * are answers, not errors) -> what {@code assistant.ask} does.
     */
    abstract Map<Fault, Reaction> reactions();

    /** A call on a pooled connection that the server resets every time from then on. */
    abstract Reaction afterAPooledConnectionIsReset();

    /** Checks the exception a call ended with; exact class unless a subclass knows better. */
    void assertThrown(Reaction expected, Throwable thrown) {
        assertThat(thrown).isExactlyInstanceOf(expected.thrown());
    }

    @LlmFaultMatrix(allFaults = true, except = {Fault.SLOW_RESPONSE, Fault.CONNECTION_RESET, Fault.STREAM_STALLED,
            Fault.LENGTH_TRUNCATED, Fault.CONTENT_FILTERED, Fault.INVALID_JSON_OUTPUT, Fault.UNKNOWN_TOOL_CALL,
            Fault.INVALID_TOOL_ARGUMENTS}, times = LlmFaultScenario.UNLIMITED, retryAfterMs = 20)
    void whatTheChatClientDoesUnderEachFault(FaultCase fault, RequestJournal journal) {
        Reaction expected = reactions().get(fault.fault());
        assertThat(expected).as("the table of %s has no row for %s", getClass().getSimpleName(), fault).isNotNull();

        Throwable thrown = catchThrowable(() -> assistant.ask(QUESTION));

        assertThrown(expected, thrown);
        LlmFaultAssertions.assertThat(journal).hasAttempts(expected.requests()).gaveUpAfter(expected.requests());
        assertThat(journal.entries()).allSatisfy(e -> assertThat(e.fault()).isEqualTo(fault.fault()));
    }

    @Test
    void answers(RequestJournal journal) {
        assertThat(assistant.ask(QUESTION)).isEqualTo(REPLY);

        LlmFaultAssertions.assertThat(journal).hasRequestCount(1);
    }

    @Test
    @LlmFaultScenario(fault = Fault.CONNECTION_RESET, after = 1)
    void aResetOfAPooledConnection(RequestJournal journal) {
        assertThat(assistant.ask(QUESTION)).isEqualTo(REPLY); // leaves a pooled connection
        Reaction expected = afterAPooledConnectionIsReset();

        Throwable thrown = catchThrowable(() -> assistant.ask("And of Spain?"));

        assertThrown(expected, thrown);
        assertThat(journal.entries()).extracting(JournalEntry::fault).containsExactlyElementsOf(Stream.concat(
                Stream.of((Fault) null), Collections.nCopies(expected.requests(), Fault.CONNECTION_RESET).stream()).toList());
    }
}
