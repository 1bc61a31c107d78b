package dev.llmfault.junit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.llmfault.junit.fixtures.ParallelFixture;
import dev.llmfault.junit.fixtures.RecoveryFixture;
import dev.llmfault.junit.fixtures.ReportFixture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.platform.testkit.engine.EngineTestKit;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/** The resilience report written at the end of a run: files, scorecard cells, timelines, parallel runs, switches. */
class ReportTest {

    static EngineTestKit.Builder kit(Path dir, Class<?>... classes) {
        EngineTestKit.Builder kit = EngineTestKit.engine("junit-jupiter")
                .configurationParameter("llmfault.timeline.print", "false")
                .configurationParameter("llmfault.report.dir", dir.toString());
        for (Class<?> c : classes) {
            kit.selectors(selectClass(c));
        }
        return kit;
    }

    static String runPrinting(EngineTestKit.Builder kit) {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8)); // surefire runs classes one at a time
        try {
            kit.execute();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    @Test
    void aRunOfSeveralClassesWritesOneReportAndPrintsItsPathOnce(@TempDir Path dir) throws Exception {
        String printed = runPrinting(kit(dir, ReportFixture.class, RecoveryFixture.class));

        Path index = dir.resolve("index.html");
        assertThat(printed.lines().filter(l -> l.startsWith("[llmfault] resilience report: ")).toList())
                .containsExactly("[llmfault] resilience report: " + index.toUri());
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        assertThat(json.path("schema").asText()).isEqualTo("llmfault-report/1");
        List<String> classes = new ArrayList<>();
        json.path("classes").forEach(c -> classes.add(c.path("className").asText()));
        assertThat(classes).containsExactlyInAnyOrder(ReportFixture.class.getName(), RecoveryFixture.class.getName());

        assertThat(outcome(json, "INVALID_TOKEN", "OPENAI")).startsWith("failed");
        assertThat(outcome(json, "RATE_LIMITED", "OPENAI")).isEqualTo("passed");
        assertThat(outcome(json, "SERVER_ERROR", "OPENAI")).isEqualTo("passed");
        assertThat(outcome(json, "INVALID_TOKEN", "ANTHROPIC")).isEqualTo("passed");
        assertThat(cell(json, "QUOTA_EXCEEDED", "ANTHROPIC").path("outcome").asText()).isEqualTo("skipped");
        assertThat(cell(json, "QUOTA_EXCEEDED", "ANTHROPIC").path("message").asText()).contains("billing team");
        JsonNode reportClass = classNode(json, ReportFixture.class.getName());
        assertThat(reportClass.path("summary").asText()).isEqualTo("survived 5 of 6 faults (2 skipped); other tests: passed 0 of 1");

        JsonNode tooSoon = test(json, "retriesTooSoon");
        assertThat(tooSoon.path("outcome").asText()).isEqualTo("failed");
        assertThat(tooSoon.path("requests")).hasSize(3);
        long retry = tooSoon.path("requests").get(2).path("sequence").asLong();
        assertThat(tooSoon.path("offendingSequences")).hasSize(1);
        assertThat(tooSoon.path("offendingSequences").get(0).asLong()).isEqualTo(retry);
        assertThat(tooSoon.path("requests").get(1).path("timeline").path("waitMs").asDouble()).isEqualTo(5000.0);
        assertThat(tooSoon.path("requests").get(2).path("timeline").path("earlyByMs").asDouble()).isGreaterThan(1000.0);

        String html = Files.readString(index);
        assertThat(html).contains("ReportFixture: survived 5 of 6 faults (2 skipped); other tests: passed 0 of 1")
                .contains("<table class=\"grid\"").contains("\u2717 failed").contains("\u2013 skipped")
                .contains("EARLY by").contains("key sk-re***cdef")
                .doesNotContain(ReportFixture.KEY).doesNotContain("<script").doesNotContain("@import")
                .doesNotContainPattern("(src|href)=\"(https?:)?//"); // self-contained: nothing loaded from elsewhere
        assertThat(Files.readString(dir.resolve("summary.md")))
                .contains("### ReportFixture: survived 5 of 6 faults (2 skipped); other tests: passed 0 of 1")
                .contains("| INVALID_TOKEN | \u274C failed | \u2705 passed |");
    }

    @Test
    void aParallelRunRecordsEachTestWithItsOwnRequests(@TempDir Path dir) throws Exception {
        kit(dir, ParallelFixture.class, ReportFixture.class)
                .configurationParameter("junit.jupiter.execution.parallel.enabled", "true")
                .configurationParameter("junit.jupiter.execution.parallel.mode.classes.default", "concurrent")
                .execute();
        JsonNode json = new ObjectMapper().readTree(dir.resolve("report.json").toFile());
        List<JsonNode> parallel = new ArrayList<>();
        json.path("tests").forEach(t -> {
            if (t.path("className").asText().equals(ParallelFixture.class.getName())) parallel.add(t);
        });
        assertThat(parallel).hasSize(ParallelFixture.TESTS)
                .allSatisfy(t -> assertThat(t.path("requests")).hasSize(2))
                .allSatisfy(t -> assertThat(t.path("outcome").asText()).isEqualTo("passed"));
        assertThat(json.path("tests")).hasSize(ParallelFixture.TESTS + 9);
    }

    @Test
    void llmfaultReportFalseWritesNothing(@TempDir Path dir) {
        String printed = runPrinting(kit(dir, ReportFixture.class).configurationParameter("llmfault.report", "false"));
        assertThat(dir).isEmptyDirectory();
        assertThat(printed).doesNotContain("resilience report");
    }

    /** The outcome of a cell, with its message when it has one (so a wrong outcome explains itself). */
    static String outcome(JsonNode json, String fault, String provider) {
        JsonNode t = cell(json, fault, provider);
        return t.path("outcome").asText() + (t.has("message") ? ": " + t.path("message").asText() : "");
    }

    static JsonNode cell(JsonNode json, String fault, String provider) {
        for (JsonNode t : json.path("tests")) {
            JsonNode c = t.path("matrixCase");
            if (c.path("fault").asText().equals(fault) && c.path("provider").asText().equals(provider)) {
                return t;
            }
        }
        throw new AssertionError("no cell " + fault + " x " + provider);
    }

    static JsonNode test(JsonNode json, String method) {
        for (JsonNode t : json.path("tests")) {
            if (t.path("method").asText().equals(method)) return t;
        }
        throw new AssertionError("no test " + method);
    }

    static JsonNode classNode(JsonNode json, String name) {
        for (JsonNode c : json.path("classes")) {
            if (c.path("className").asText().equals(name)) return c;
        }
        throw new AssertionError("no class " + name);
    }
}
