package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.FailingFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** A failed test's timeline is published as a report entry and printed, keys masked; bad remote URLs are named. */
class FailureReportTest {

    @Test
    void theTimelineIsReportedAndPrinted() {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        FixtureRun run;
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8)); // surefire runs classes one at a time
        try {
            run = FixtureRun.run(FailingFixture.class, "llmfault.timeline.print", "true");
        } finally {
            System.setOut(original);
        }
        String printed = captured.toString(StandardCharsets.UTF_8);
        String reported = run.report("fails", "llmfault.timeline").orElseThrow();
        assertThat(reported).contains("1 request(s) seen by the fake LLM server")
                .contains("POST /v1/chat/completions [OPENAI] -> 429 QUOTA_EXCEEDED")
                .contains("key sk-pr***cdef");
        assertThat(printed).contains("[llmfault] fails(FakeLlmServer) failed; " + reported);
        assertThat(printed + reported).doesNotContain(FailingFixture.KEY);
    }

    @Test
    void anUnreachableRemoteServerFailsEachTestNamingTheSetting() {
        FixtureRun run = FixtureRun.run(FailingFixture.class, "llmfault.server.url", "http://127.0.0.1:1");
        assertThat(run.failure("fails")).isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageStartingWith("the configuration parameter llmfault.server.url = http://127.0.0.1:1: cannot reach the LLM Fault Kit server");
    }
}
