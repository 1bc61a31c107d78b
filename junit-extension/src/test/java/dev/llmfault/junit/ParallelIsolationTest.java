package dev.llmfault.junit;

import dev.llmfault.junit.fixtures.ParallelFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtensionConfigurationException;

import static org.assertj.core.api.Assertions.assertThat;

/** 100 annotated tests run in parallel on one class server, each isolated by its own key. */
class ParallelIsolationTest {
    static final String[] PARALLEL = {
            "junit.jupiter.execution.parallel.enabled", "true",
            "junit.jupiter.execution.parallel.config.strategy", "fixed",
            "junit.jupiter.execution.parallel.config.fixed.parallelism", "8"};

    @Test
    void oneHundredParallelTestsSharingOneServerDoNotSeeEachOther() {
        FixtureRun run = FixtureRun.run(ParallelFixture.class, PARALLEL);
        for (int i = 1; i <= ParallelFixture.TESTS; i++) {
            run.assertPassed("repetition " + i + " of " + ParallelFixture.TESTS);
        }
        run.assertPassed("ParallelFixture"); // @AfterAll: 200 requests on the shared server, no scenario left
        assertThat(ParallelFixture.PEAK.get()).as("tests running at the same time").isGreaterThan(1);
    }

    @Test
    void concurrentTestsWithoutTheirOwnKeyAreRefused() {
        FixtureRun run = FixtureRun.run(ParallelFixture.WithoutKeyFixture.class, PARALLEL);
        assertThat(run.failure("repetition 1 of 2"))
                .isInstanceOf(ExtensionConfigurationException.class)
                .hasMessageContaining("runs concurrently with other tests on a shared server but does not take its own key")
                .hasMessageContaining("@LlmApiKey String apiKey");
    }
}
