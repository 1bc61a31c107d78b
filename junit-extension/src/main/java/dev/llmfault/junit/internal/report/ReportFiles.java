package dev.llmfault.junit.internal.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.timeline.TimelineModel;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.util.List;

/**
 * Writes the three files of the report: {@code index.html} (to read), {@code report.json} (the same data for other
 * tools, schema {@value #SCHEMA}) and {@code summary.md} (the scorecards as Markdown, for
 * {@code $GITHUB_STEP_SUMMARY}). Each file is written whole to a temporary file and moved into place, so a reader
 * never sees half a report.
 */
final class ReportFiles {
    /** The schema of report.json; a change that removes or renames a field bumps the number. */
    static final String SCHEMA = "llmfault-report/1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReportFiles() {
    }

    /** Writes the report and returns the path of its {@code index.html}. */
    static Path write(Path directory, List<TestRecord> tests) throws IOException {
        Files.createDirectories(directory);
        Instant now = Instant.now();
        put(directory.resolve("report.json"), MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(json(tests, now)));
        put(directory.resolve("summary.md"), markdown(tests));
        Path index = directory.resolve("index.html");
        put(index, ReportHtml.render(tests, now));
        return index;
    }

    private static void put(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    static ObjectNode json(List<TestRecord> tests, Instant generated) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", SCHEMA);
        root.put("generated", generated.toString());
        ObjectNode summary = root.putObject("summary");
        for (TestRecord.Outcome o : TestRecord.Outcome.values()) {
            summary.put(o.cssName(), tests.stream().filter(t -> t.outcome() == o).count());
        }
        ArrayNode classes = root.putArray("classes");
        for (Scorecard card : Scorecard.of(tests)) {
            ObjectNode c = classes.addObject();
            c.put("className", card.className());
            c.put("summary", card.summary());
            c.put("matrixCells", card.matrixCells().size());
            c.put("survived", card.count(card.matrixCells(), TestRecord.Outcome.PASSED));
        }
        ArrayNode list = root.putArray("tests");
        for (TestRecord t : tests) {
            ObjectNode n = list.addObject();
            n.put("id", t.id());
            n.put("className", t.className());
            n.put("method", t.methodName());
            n.put("displayName", t.displayName());
            if (t.matrixCase() != null) {
                n.putObject("matrixCase").put("fault", t.matrixCase().fault().name())
                        .put("provider", t.matrixCase().provider().name());
            }
            n.put("outcome", t.outcome().cssName());
            if (t.message() != null) n.put("message", t.message());
            ArrayNode offending = n.putArray("offendingSequences");
            t.offending().forEach(offending::add);
            ArrayNode requests = n.putArray("requests");
            for (TimelineModel.Row r : TimelineModel.of(t.requests(), t.offending()).rows()) {
                ObjectNode e = entry(r.entry());
                ObjectNode timing = e.putObject("timeline");
                timing.put("startMs", r.startMillis());
                timing.put("endMs", r.endMillis());
                timing.put("lane", r.lane().name().toLowerCase(java.util.Locale.ROOT));
                timing.put("outcome", r.outcome().cssName());
                if (r.askedWait() != null) timing.put("waitMs", r.askedWait().toNanos() / 1e6);
                if (r.earlyBy() != null) timing.put("earlyByMs", r.earlyBy().toNanos() / 1e6);
                requests.add(e);
            }
        }
        return root;
    }

    /** An entry in the admin API's shape, so report.json and {@code GET /__admin/requests} read alike. */
    private static ObjectNode entry(JournalEntry e) {
        try {
            return (ObjectNode) MAPPER.readTree(e.toJson());
        } catch (IOException notJson) {
            throw new UncheckedIOException(notJson);
        }
    }

    /** The scorecards as GitHub-flavoured Markdown. */
    static String markdown(List<TestRecord> tests) {
        StringBuilder md = new StringBuilder("## LLM fault scorecard\n\n");
        long failed = tests.stream().filter(t -> t.outcome() == TestRecord.Outcome.FAILED).count();
        md.append(tests.size()).append(" test(s), ").append(failed).append(" failed.\n\n");
        for (Scorecard card : Scorecard.of(tests)) {
            md.append("### ").append(card.classLabel()).append(": ").append(card.summary()).append("\n\n");
            if (!card.hasMatrix()) {
                continue;
            }
            List<Scorecard.Column> columns = card.columns();
            md.append("| Fault |");
            columns.forEach(c -> md.append(' ').append(c.label().replace("|", "\\|")).append(" |"));
            md.append("\n|---|");
            columns.forEach(c -> md.append("---|"));
            md.append('\n');
            for (Fault f : card.faults()) {
                md.append("| ").append(f).append(" |");
                for (Scorecard.Column c : columns) {
                    TestRecord t = card.cell(f, c);
                    md.append(' ').append(t == null ? "not run" : emoji(t.outcome())).append(" |");
                }
                md.append('\n');
            }
            md.append('\n');
        }
        return md.toString();
    }

    private static String emoji(TestRecord.Outcome o) {
        return switch (o) {
            case PASSED -> "\u2705 passed";
            case FAILED -> "\u274C failed";
            case SKIPPED -> "\u23ED\uFE0F skipped";
        };
    }
}
