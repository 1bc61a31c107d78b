package dev.llmfault.samples;

import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Tag;

import java.net.URI;

/**
 * The naive client put through the {@link ChatClientContract}: every test fails, which is the point.
 * {@link NaiveChatClientTest} runs this class through EngineTestKit and checks each failure's message; it never
 * runs on its own (the {@code fixture} tag is excluded in the surefire configuration, and its name matches no
 * test pattern).
 */
@Tag("fixture")
class NaiveChatClientContractFixture extends ChatClientContract {

    /**
     * The naive client takes a token once, as a string, and keeps it: nothing will ever refresh it. It has no
     * credential check to prepare with and counts nothing.
     */
    @Override
    protected Chat chat(URI baseUrl, Credentials credentials, MeterRegistry meters) {
        NaiveChatClient client = new NaiveChatClient(baseUrl, credentials.current());
        return new Chat() {
            @Override
            public String ask(String prompt) {
                return client.ask(prompt);
            }

            @Override
            public String askStreaming(String prompt) {
                return client.askStreaming(prompt);
            }

            @Override
            public void prepare() {
            }

            @Override
            public String askWithTools(String prompt) {
                return client.askWithTools(prompt, java.util.List.of(WEATHER));
            }

            @Override
            public Forecast askForForecast(String prompt) {
                return client.askFor(prompt, Forecast.class);
            }
        };
    }
}
