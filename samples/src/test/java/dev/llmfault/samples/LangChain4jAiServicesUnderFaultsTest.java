package dev.llmfault.samples;

import dev.langchain4j.agent.tool.P;
import dev.langchain4j.agent.tool.Tool;
import dev.langchain4j.exception.RateLimitException;
import dev.langchain4j.model.openai.OpenAiChatModel;
import dev.langchain4j.service.AiServices;
import dev.langchain4j.service.output.OutputParsingException;
import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.junit.LlmReply;
import dev.llmfault.server.Conversation;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.RequestJournal;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * LangChain4j's {@code AiServices} (dev.langchain4j:langchain4j 1.19.0) on its OpenAI model, pointed at the fake
 * server: an agent with a {@code @Tool} whose loop meets a rate limit between the tool call and the answer, and a
 * structured-output service. Reply rules ({@code @LlmReply}) script the model's side of the loop. What it does: the
 * retry (the model's {@code maxRetries}) re-sends the request with the tool result, so the tool runs once; when the
 * retries run out, the call fails after the tool ran. A structured answer that does not parse, or is cut at the token
 * limit (its finish reason unread), is an {@code OutputParsingException} after one request.
 */
@LlmFaultTest(provider = Provider.OPENAI)
class LangChain4jAiServicesUnderFaultsTest {
    static final String KEY = "sk-test-langchain4j-agent-0123456789abcdef";
    static final String PLAN = "{\"city\":\"Lisbon\",\"stops\":[\"Belém\",\"Alfama\"],\"budgetEuros\":80}";

    /** The agent: LangChain4j implements it, runs the tool loop and returns the model's last text. */
    interface TravelAgent {
        String chat(String message);
    }

    /** The tool the agent offers; it remembers the cities it was asked about. */
    static final class WeatherTools {
        final List<String> asked = new CopyOnWriteArrayList<>();

        @Tool("Today's weather in a city: conditions and temperature")
        String currentWeather(@P("the city, e.g. Paris") String city) {
            asked.add(city);
            return "light rain, 14 °C";
        }
    }

    /** A structured answer, parsed by LangChain4j from the model's JSON. */
    record DayPlan(String city, List<String> stops, int budgetEuros) {
    }

    interface Planner {
        DayPlan plan(String request);
    }

    private URI baseUrl;
    private final WeatherTools weather = new WeatherTools();

    @BeforeEach
    void start(@LlmBaseUrl URI baseUrl) {
        this.baseUrl = baseUrl;
    }

    private OpenAiChatModel model(int maxRetries) {
        return OpenAiChatModel.builder()
                .baseUrl(baseUrl.toString())
                .apiKey(KEY)
                .modelName("gpt-4o-mini")
                .maxRetries(maxRetries)
                .timeout(Duration.ofSeconds(10))
                .build();
    }

    private TravelAgent agent(int maxRetries) {
        return AiServices.builder(TravelAgent.class).chatModel(model(maxRetries)).tools(weather).build();
    }

    // tag::langchain4j-tool-loop[]
    @Test
    @LlmReply(match = @LlmReply.Match(lastUserMessage = "umbrella"), sequence = {
            @LlmReply.Turn(toolCalls = @LlmReply.ToolCall(name = "currentWeather", arguments = "{\"city\":\"Paris\"}")),
            @LlmReply.Turn(text = "Take an umbrella: light rain in Paris.")})
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, after = 1, times = 1, retryAfterMs = 20)
    void retriesARateLimitBetweenTheToolCallAndTheAnswer(RequestJournal journal) {
        String answer = agent(1).chat("Do I need an umbrella in Paris today?");

        assertThat(answer).isEqualTo("Take an umbrella: light rain in Paris.");
        assertThat(weather.asked).containsExactly("Paris");                   // the tool ran once
        assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(200, 429, 200);
        Conversation retried = journal.entries().get(2).conversation();
        assertThat(retried).isEqualTo(journal.entries().get(1).conversation()); // the same tool result, re-sent
        assertThat(retried.toolResult(retried.toolCalls().get(0).id())).get()
                .extracting(Conversation.Message::text).isEqualTo("light rain, 14 °C");
    }
    // end::langchain4j-tool-loop[]

    @Test
    @LlmReply(match = @LlmReply.Match(lastUserMessage = "umbrella"), sequence = {
            @LlmReply.Turn(toolCalls = @LlmReply.ToolCall(name = "currentWeather", arguments = "{\"city\":\"Paris\"}")),
            @LlmReply.Turn(text = "Take an umbrella: light rain in Paris.")})
    @LlmFaultScenario(fault = Fault.RATE_LIMITED, after = 1)
    void losesTheToolResultWhenTheRateLimitOutlastsItsRetries(RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> agent(1).chat("Do I need an umbrella in Paris today?"));

        // The tool has run (its side effects are done), then the call fails: a caller who asks again runs it again.
        assertThat(thrown).isExactlyInstanceOf(RateLimitException.class);
        assertThat(weather.asked).containsExactly("Paris");
        assertThat(journal.entries()).extracting(JournalEntry::status).containsExactly(200, 429, 429);
    }

    @Test
    @LlmReply(json = PLAN)
    void parsesAStructuredAnswer(RequestJournal journal) {
        DayPlan plan = planner().plan("Plan a day in Lisbon.");

        assertThat(plan).isEqualTo(new DayPlan("Lisbon", List.of("Belém", "Alfama"), 80));
        LlmFaultAssertions.assertThat(journal).hasRequestCount(1);
    }

    @Test
    @LlmReply(json = PLAN)
    @LlmFaultScenario(fault = Fault.INVALID_JSON_OUTPUT)
    void aStructuredAnswerThatIsNoValidJson(RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> planner().plan("Plan a day in Lisbon."));

        // LangChain4j's OutputParsingException naming the text and the type; no re-ask
        measure("INVALID_JSON_OUTPUT", thrown, journal);
        assertThat(thrown).isExactlyInstanceOf(OutputParsingException.class).hasMessageStartingWith("Failed to parse");
        LlmFaultAssertions.assertThat(journal).hasRequestCount(1);
    }

    @Test
    @LlmReply(json = PLAN)
    @LlmFaultScenario(fault = Fault.LENGTH_TRUNCATED)
    void aStructuredAnswerCutAtTheTokenLimit(RequestJournal journal) {
        Throwable thrown = catchThrowable(() -> planner().plan("Plan a day in Lisbon."));

        // finish_reason "length" is not looked at: the cut JSON goes to the parser, and fails there
        measure("LENGTH_TRUNCATED", thrown, journal);
        assertThat(thrown).isExactlyInstanceOf(OutputParsingException.class).hasMessageStartingWith("Failed to parse");
        LlmFaultAssertions.assertThat(journal).hasRequestCount(1);
    }

    private Planner planner() {
        return AiServices.builder(Planner.class).chatModel(model(0)).build();
    }

    private static void measure(String fault, Throwable thrown, RequestJournal journal) {
        System.out.printf("measure: langchain4j AiServices %s: %s (%s) cause %s, %d request(s)%n", fault,
                thrown == null ? null : thrown.getClass().getName(), thrown == null ? "" : thrown.getMessage(),
                thrown == null || thrown.getCause() == null ? null : thrown.getCause().getClass().getName(),
                journal.entries().size());
    }
}
