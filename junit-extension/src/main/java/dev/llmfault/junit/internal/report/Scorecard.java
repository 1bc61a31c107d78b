package dev.llmfault.junit.internal.report;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scorecard of one test class: its {@code @LlmFaultMatrix} cases as a grid, faults down, and across one column
 * per matrix method and provider (fault x provider for one method; fault x client when each method drives another
 * client), plus the line "survived 17 of 19 faults". Classes without a matrix count their tests instead.
 *
 * @param className the class
 * @param tests     its tests, in the order they started
 */
record Scorecard(String className, String classLabel, List<TestRecord> tests) {

    /** One column: a matrix method on one provider. */
    record Column(String method, Provider provider, boolean showProvider) {
        String label() {
            return showProvider ? method + " \u00B7 " + provider : method;
        }
    }

    /** The scorecards of a run, one per test class, classes in the order their first test started. */
    static List<Scorecard> of(List<TestRecord> tests) {
        Map<String, List<TestRecord>> byClass = new LinkedHashMap<>();
        for (TestRecord t : tests) {
            byClass.computeIfAbsent(t.className(), k -> new ArrayList<>()).add(t);
        }
        List<Scorecard> out = new ArrayList<>();
        byClass.forEach((c, list) -> out.add(new Scorecard(c, list.get(0).classLabel(), List.copyOf(list))));
        return out;
    }

    List<TestRecord> matrixCells() {
        return tests.stream().filter(t -> t.matrixCase() != null).toList();
    }

    boolean hasMatrix() {
        return !matrixCells().isEmpty();
    }

    List<Fault> faults() {
        Set<Fault> faults = new LinkedHashSet<>();
        matrixCells().forEach(t -> faults.add(t.matrixCase().fault()));
        return List.copyOf(faults);
    }

    List<Column> columns() {
        Map<String, Set<Provider>> providers = new LinkedHashMap<>();
        matrixCells().forEach(t -> providers.computeIfAbsent(t.methodName(), k -> new LinkedHashSet<>())
                .add(t.matrixCase().provider()));
        boolean several = providers.values().stream().anyMatch(p -> p.size() > 1)
                || providers.values().stream().flatMap(Set::stream).distinct().count() > 1;
        List<Column> out = new ArrayList<>();
        providers.forEach((m, ps) -> ps.forEach(p -> out.add(new Column(m, p, several))));
        return out;
    }

    /** The test of a cell, or null when that method did not run that fault on that provider. */
    TestRecord cell(Fault fault, Column column) {
        return matrixCells().stream().filter(t -> t.methodName().equals(column.method())
                && t.matrixCase().provider() == column.provider() && t.matrixCase().fault() == fault)
                .reduce((a, b) -> b).orElse(null);
    }

    long count(List<TestRecord> of, TestRecord.Outcome outcome) {
        return of.stream().filter(t -> t.outcome() == outcome).count();
    }

    /**
     * {@code survived 17 of 19 faults (1 skipped)}, then {@code ; other tests: passed 3 of 4} when the class has
     * tests besides its matrices, or for a class without a matrix {@code passed 3 of 4 tests}.
     */
    String summary() {
        List<TestRecord> plain = tests.stream().filter(t -> t.matrixCase() == null).toList();
        if (!hasMatrix()) {
            return tally(plain, "passed ", " test");
        }
        String line = tally(matrixCells(), "survived ", " fault");
        return plain.isEmpty() ? line : line + "; other tests: " + tally(plain, "passed ", "");
    }

    private String tally(List<TestRecord> counted, String verb, String noun) {
        long passed = count(counted, TestRecord.Outcome.PASSED);
        long skipped = count(counted, TestRecord.Outcome.SKIPPED);
        long run = counted.size() - skipped;
        String line = verb + passed + " of " + run + (noun.isEmpty() ? "" : noun + (run == 1 ? "" : "s"));
        return skipped == 0 ? line : line + " (" + skipped + " skipped)";
    }

    /** The sign and word of a cell, so its colour is never the only signal. */
    static String word(TestRecord.Outcome outcome) {
        return switch (outcome) {
            case PASSED -> "\u2713 passed";
            case FAILED -> "\u2717 failed";
            case SKIPPED -> "\u2013 skipped";
        };
    }
}
