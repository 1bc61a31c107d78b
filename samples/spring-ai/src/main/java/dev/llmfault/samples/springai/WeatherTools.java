package dev.llmfault.samples.springai;

import org.springframework.ai.tool.annotation.Tool;
import org.springframework.ai.tool.annotation.ToolParam;
import org.springframework.stereotype.Component;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The tool the model may call: today's weather in a city, from a fixed table (a real application would ask a
 * weather service). It remembers the cities it was asked about, so a test can tell how often the tool ran.
 *
 * <pre>{@code
 * chatClient.prompt().user("Do I need an umbrella in Paris?").tools(weatherTools).call().content();
 * }</pre>
 */
@Component
public class WeatherTools {
    private static final Map<String, String> FORECASTS = Map.of(
            "paris", "light rain, 14 °C",
            "lisbon", "sunny, 22 °C",
            "oslo", "snow, -3 °C");

    private final List<String> asked = new CopyOnWriteArrayList<>();

    @Tool(description = "Today's weather in a city: conditions and temperature")
    public String currentWeather(@ToolParam(description = "the city, e.g. Paris") String city) {
        asked.add(city);
        return FORECASTS.getOrDefault(city.strip().toLowerCase(Locale.ROOT), "unknown city: " + city);
    }

    /** The cities the tool was called for, in order. */
    public List<String> asked() {
        return List.copyOf(asked);
    }

    /** Forgets the calls so far. */
    public void forget() {
        asked.clear();
    }
}
