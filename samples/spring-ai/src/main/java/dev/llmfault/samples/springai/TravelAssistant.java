package dev.llmfault.samples.springai;

import org.springframework.ai.chat.client.ChatClient;
import org.springframework.stereotype.Service;
import reactor.core.publisher.Flux;

/**
 * The application's one service: four kinds of model call through Spring AI's {@link ChatClient}: a plain
 * question, the same answer streamed, a question the model answers with the help of a tool, and a structured answer
 * parsed into a record.
 * Retries, timeouts and the provider come from Spring AI's auto-configuration ({@code spring.ai.*} properties).
 *
 * <pre>{@code
 * @Autowired TravelAssistant assistant;
 * String answer = assistant.ask("What is the capital of Portugal?");
 * DayPlan plan = assistant.planDay("Lisbon");
 * }</pre>
 */
@Service
public class TravelAssistant {
    private final ChatClient chat;
    private final WeatherTools weather;

    public TravelAssistant(ChatClient.Builder builder, WeatherTools weather) {
        this.chat = builder.defaultSystem("You are a concise travel assistant.").build();
        this.weather = weather;
    }

    /** A plain question, a plain answer. */
    public String ask(String question) {
        return chat.prompt().user(question).call().content();
    }

    /** A plain question, the answer streamed piece by piece as the model writes it. */
    public Flux<String> streamAnswer(String question) {
        return chat.prompt().user(question).stream().content();
    }

    /** A question the model may answer by calling the weather tool first (Spring AI runs the tool loop). */
    public String askWithWeather(String question) {
        return chat.prompt().user(question).tools(weather).call().content();
    }

    /** A structured answer: Spring AI asks for JSON matching {@link DayPlan} and parses the reply into it. */
    public DayPlan planDay(String city) {
        return chat.prompt().user("Plan a day in " + city + ".").call().entity(DayPlan.class);
    }
}
