package dev.llmfault.samples.springai;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A small Spring AI application, written as its users write one and knowing nothing of the fault kit: a
 * {@link TravelAssistant} service on Spring AI's auto-configured {@code ChatClient}, with a tool
 * ({@link WeatherTools}) and structured output ({@link DayPlan}). Its tests point it at the fake provider.
 *
 * <pre>{@code
 * OPENAI_API_KEY=sk-... java -jar spring-ai-sample.jar
 * }</pre>
 */
@SpringBootApplication
public class TravelAssistantApplication {

    public static void main(String[] args) {
        SpringApplication.run(TravelAssistantApplication.class, args);
    }
}
