package dev.llmfault.samples.springai;

import java.util.List;

/**
 * The structured answer {@link TravelAssistant#planDay(String)} asks the model for: Spring AI derives a JSON
 * Schema from this record, sends it with the request and parses the reply into it.
 *
 * <pre>{@code
 * DayPlan plan = assistant.planDay("Lisbon");
 * plan.stops().forEach(System.out::println);
 * }</pre>
 *
 * @param city         the city the plan is for
 * @param stops        the places to visit, in order
 * @param budgetEuros  what the day costs, in euros
 */
public record DayPlan(String city, List<String> stops, int budgetEuros) {
}
