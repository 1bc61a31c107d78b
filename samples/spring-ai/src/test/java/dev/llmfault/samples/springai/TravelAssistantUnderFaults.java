package dev.llmfault.samples.springai;

import dev.llmfault.junit.FaultCase;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultMatrix;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmReply;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.ai.retry.NonTransientAiException;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.core.exc.UnexpectedEndOfInputException;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * What every provider's test checks on the travel assistant: each fault of the catalogue, always on, ends the call
 * with the exception and the request count the provider's table says; a plain question is answered in one request;
 * a reset of a pooled connection; a rate limit between the tool call and the answer of a tool loop; a structured
 * answer parsed into its record. A subclass is one Spring AI starter: its {@code @SpringBootTest},
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
    static final String PLAN = "{\"city\":\"Lisbon\",\"stops\":[\"Belém\",\"Alfama\"],\"budgetEuros\":80}";

    @Autowired
    TravelAssistant assistant;

    @Autowired
    WeatherTools weather;

    @BeforeEach
    void forgetEarlierToolCalls() {
        weather.forget();
    }

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

    /** Whether the starter retries a 429 as it is configured here (Ollama's default retry does not). */
    abstract boolean retriesARateLimit();

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

    // tag::spring-ai-tool-loop[]
    @Test
    @LlmReply(match = @LlmReply.Match(lastUserMessage = "umbrella"), sequence = {
            @LlmReply.Turn(toolCalls = @LlmReply.ToolCall(name = "currentWeather", arguments = "{\"city\":\"Paris\"}")),
            @LlmReply.Turn(text = "Take an umbrella: light rain in Paris.")})
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, after = 1, times = 1, retryAfterMs = 200)
    void aRateLimitBetweenTheToolCallAndTheAnswer(RequestJournal journal) {
        String[] answer = new String[1];
        Throwable thrown = catchThrowable(() -> answer[0] = assistant.askWithWeather("Do I need an umbrella in Paris?"));

        assertThat(weather.asked()).containsExactly("Paris"); // Spring AI ran the tool once
        List<JournalEntry> entries = journal.entries();
        if (retriesARateLimit()) {
            assertThat(thrown).isNull();
            assertThat(answer[0]).isEqualTo("Take an umbrella: light rain in Paris.");
            assertThat(entries).extracting(JournalEntry::status).containsExactly(200, 429, 200);
            // the retry re-sent the conversation with the tool's result, as it was
            assertThat(entries.get(2).conversation()).isEqualTo(entries.get(1).conversation());
            Conversation sent = entries.get(2).conversation();
            assertThat(sent.toolResult(sent.toolCalls().get(0).id())).map(Conversation.Message::text)
                    .hasValue("\"light rain, 14 °C\""); // Spring AI sends a tool's String result as JSON text
        } else {
            // the whole call fails after the tool ran: asking again runs the tool again
            assertThat(thrown).isExactlyInstanceOf(NonTransientAiException.class);
            assertThat(entries).extracting(JournalEntry::status).containsExactly(200, 429);
        }
    }
    // end::spring-ai-tool-loop[]

    @Test
    @LlmReply(json = PLAN)
    void parsesAStructuredAnswerIntoTheRecord(RequestJournal journal) {
        DayPlan plan = assistant.planDay("Lisbon");

        assertThat(plan).isEqualTo(new DayPlan("Lisbon", List.of("Belém", "Alfama"), 80));
        // Spring AI asks for the JSON in the prompt (the record's JSON Schema appended to the user message)
        assertThat(journal.entries()).singleElement().extracting(e -> e.conversation().lastUserMessage()).asString()
                .contains("Plan a day in Lisbon.", "budgetEuros");
    }

    /** The model's own failures on {@code .entity(DayPlan.class)}: the reply's JSON is broken or cut short. */
    @Test
    @LlmReply(json = PLAN)
    @LlmFaultScenario(fault = Fault.INVALID_JSON_OUTPUT)
    void aStructuredAnswerThatIsNoValidJsonFailsInTheParser(RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> assistant.planDay("Lisbon"));

        // Jackson 3's own exception, unwrapped, and no second ask: entity() neither re-asks nor validates by default
        measure("INVALID_JSON_OUTPUT", thrown, journal);
        assertThat(thrown).isExactlyInstanceOf(UnexpectedEndOfInputException.class);
        LlmFaultAssertions.assertThat(journal).hasRequestCount(1);
    }

    @Test
    @LlmReply(json = PLAN)
    @LlmFaultScenario(fault = Fault.LENGTH_TRUNCATED)
    void aStructuredAnswerCutAtTheTokenLimitFailsInTheParser(RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> assistant.planDay("Lisbon"));

        // the finish reason (length) is never looked at: the cut JSON goes to the parser
        measure("LENGTH_TRUNCATED", thrown, journal);
        assertThat(thrown).isExactlyInstanceOf(UnexpectedEndOfInputException.class);
        LlmFaultAssertions.assertThat(journal).hasRequestCount(1);
    }

    private void measure(String fault, Throwable thrown, RequestJournal journal) {
        System.out.printf("measure: %s entity() %s: %s (%s), %d request(s)%n", getClass().getSimpleName(), fault,
                thrown == null ? null : thrown.getClass().getName(), thrown == null ? "" : thrown.getMessage(),
                journal.entries().size());
    }
}
