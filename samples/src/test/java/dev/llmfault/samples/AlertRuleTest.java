package dev.llmfault.samples;

import dev.llmfault.junit.LlmBaseUrl;
import dev.llmfault.junit.LlmFaultAssertions;
import dev.llmfault.junit.LlmFaultScenario;
import dev.llmfault.junit.LlmFaultTest;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalQuery;
import dev.llmfault.server.RequestJournal;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

/**
 * An alert rule as a test: the article's advice to alert on a high rate of "error 1200", checked against a server
 * that refuses one call in five. The client's gauge crosses the threshold, and the alarm pages once, not once per
 * refused call.
 */
@LlmFaultTest
class AlertRuleTest {

    // tag::alert-rule[]
    @Test
    @LlmFaultScenario(fault = Fault.INVALID_TOKEN, probability = 0.2, seed = 1200)
    void pagesOnceWhenOneCallInFiveIsRefused(@LlmBaseUrl URI baseUrl, MeterRegistry meters, RequestJournal journal) {
        List<Double> pages = Collections.synchronizedList(new ArrayList<>());
        ErrorRateAlarm alarm = new ErrorRateAlarm(meters, "openai", 50, 0.10, pages::add);
        ResilientChatClient client = ResilientChatClient.builder(baseUrl).apiKey(ChatClientContract.KEY)
                .meterRegistry(meters).alarm(alarm).build();

        for (int i = 0; i < 200; i++) {
            catchThrowable(() -> client.ask("hi")); // a refused key is not retried: one request per call
        }

        int refused = journal.find(JournalQuery.all().fault(Fault.INVALID_TOKEN)).size();
        assertThat(journal.size()).isEqualTo(200);
        assertThat(refused).as("about one call in five refused").isBetween(25, 55);
        assertThat(meters.get(ErrorRateAlarm.GAUGE).gauge().value()).as("the 1200-rate").isGreaterThanOrEqualTo(0.10);
        assertThat(pages).as("pages: one per incident, not one per refused call").hasSize(1);
        LlmFaultAssertions.assertThat(meters).recordedFailures(); // and each refusal counted, by status and cause
    }
    // end::alert-rule[]
}
