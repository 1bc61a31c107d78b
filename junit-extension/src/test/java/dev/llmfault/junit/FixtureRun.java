package dev.llmfault.junit;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.reporting.ReportEntry;
import org.junit.platform.testkit.engine.EngineExecutionResults;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Event;
import org.junit.platform.testkit.engine.EventType;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * Runs a fixture class through EngineTestKit and gives each test's outcome by name (a method's name, like
 * {@code recovers}, or an invocation's name like {@code [RATE_LIMITED on OPENAI]}).
 */
final class FixtureRun {
    final EngineExecutionResults results;
    private final Map<String, TestExecutionResult> outcomes = new LinkedHashMap<>();
    private final Map<String, List<ReportEntry>> reports = new HashMap<>();

    private FixtureRun(EngineExecutionResults results) {
        this.results = results;
        for (Event e : results.allEvents().list()) {
            String name = name(e.getTestDescriptor());
            if (e.getType() == EventType.FINISHED) {
                outcomes.put(name, e.getRequiredPayload(TestExecutionResult.class));
            } else if (e.getType() == EventType.REPORTING_ENTRY_PUBLISHED) {
                reports.computeIfAbsent(name, k -> new java.util.ArrayList<>()).add(e.getRequiredPayload(ReportEntry.class));
            }
        }
    }

    /** A test method's name, an invocation's display name ({@code [...]}, {@code repetition 1 of 2}), or a container's. */
    private static String name(org.junit.platform.engine.TestDescriptor d) {
        String display = d.getDisplayName();
        boolean invocation = d.getUniqueId().getLastSegment().getType().endsWith("-invocation");
        if (!invocation && d.getSource().orElse(null)
                instanceof org.junit.platform.engine.support.descriptor.MethodSource m) {
            return m.getMethodName();
        }
        return display;
    }

    static FixtureRun run(Class<?> fixture, String... configuration) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter").selectors(selectClass(fixture))
                .configurationParameter("llmfault.timeline.print", "false")
                .configurationParameter("llmfault.report", "false"); // ReportTest turns it on, in a directory of its own
        for (int i = 0; i + 1 < configuration.length; i += 2) {
            kit.configurationParameter(configuration[i], configuration[i + 1]);
        }
        return new FixtureRun(kit.execute());
    }

    TestExecutionResult outcome(String displayName) {
        TestExecutionResult r = outcomes.get(displayName);
        if (r == null) {
            throw new AssertionError("no test named " + displayName + " finished; finished: " + outcomes.keySet());
        }
        return r;
    }

    /** The failure of a test, or an AssertionError when it passed. */
    Throwable failure(String displayName) {
        TestExecutionResult r = outcome(displayName);
        return r.getThrowable().orElseThrow(() -> new AssertionError(displayName + " was expected to fail but " + r));
    }

    /** Passes when the test succeeded; otherwise rethrows its failure so the reason shows. */
    void assertPassed(String displayName) {
        TestExecutionResult r = outcome(displayName);
        if (r.getStatus() != TestExecutionResult.Status.SUCCESSFUL) {
            throw new AssertionError(displayName + " was expected to pass but " + r.getStatus(),
                    r.getThrowable().orElse(null));
        }
    }

    List<ReportEntry> reports(String displayName) {
        return reports.getOrDefault(displayName, List.of());
    }

    Map<String, TestExecutionResult> outcomes() {
        return outcomes;
    }

    Optional<String> report(String displayName, String key) {
        return reports(displayName).stream().map(r -> r.getKeyValuePairs().get(key)).filter(v -> v != null).findFirst();
    }
}
