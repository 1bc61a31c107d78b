package dev.llmfault.junit.internal.report;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.timeline.Markup;
import dev.llmfault.server.timeline.TimelineModel;
import dev.llmfault.server.timeline.TimelineSvg;

import java.time.Instant;
import java.util.List;

import static dev.llmfault.server.timeline.Markup.escape;

/**
 * The report as one self-contained HTML page: inline CSS and SVG, no script, no font or style from elsewhere, so it
 * reads the same offline, as a CI artifact and with scripts disabled. Scorecards first (real tables; each cell says
 * passed/failed/skipped in words, shows the assertion message on hover and links to its test), then each test with
 * its failure, its timeline picture and its requests as a table.
 */
final class ReportHtml {
    private static final String CSS = """
            body{font:14px/1.45 system-ui,sans-serif;margin:0 auto;max-width:1000px;padding:1rem 1.5rem;color:#212121}
            h1{font-size:1.5rem;margin:.2rem 0}h2{font-size:1.2rem;margin-top:2rem;border-bottom:1px solid #ddd}
            h3{font-size:1rem;margin:1.6rem 0 .4rem}
            a{color:#0d47a1}a:focus,g:focus{outline:3px solid #ff9800;outline-offset:2px}
            .summary{font-size:1.05rem}.survived{font-weight:600}
            table{border-collapse:collapse;margin:.4rem 0}th,td{border:1px solid #ccc;padding:.25rem .5rem;text-align:left}
            th{background:#f5f5f5}
            td.cell{text-align:center;min-width:7.5rem}td.cell a{display:block;color:inherit;text-decoration:none;font-weight:600}
            td.passed,.badge.passed{background:#c8e6c9;color:#1b5e20}td.failed,.badge.failed{background:#ffcdd2;color:#b71c1c}
            td.skipped,.badge.skipped{background:#eeeeee;color:#424242}td.none{color:#9e9e9e}
            article.test{border-top:1px solid #eee}figcaption{color:#555;font-size:12px}
            .badge{padding:.05rem .45rem;border-radius:.3rem;font-size:.85rem;font-weight:600}
            pre.message{background:#fff8e1;border-left:4px solid #ff9800;padding:.5rem;white-space:pre-wrap;overflow-x:auto}
            table.requests{font-size:12px}tr.offending{background:#fff59d;font-weight:600}tr.early td.when{color:#b71c1c}
            .legend span{display:inline-block;margin-right:1rem}.swatch{display:inline-block;width:.9rem;height:.9rem;
            vertical-align:-2px;margin-right:.3rem;border-radius:2px}
            svg.timeline{max-width:100%;height:auto;border:1px solid #eee}
            """;

    private ReportHtml() {
    }

    static String render(List<TestRecord> tests, Instant generated) {
        StringBuilder h = new StringBuilder(64 * 1024);
        long passed = tests.stream().filter(t -> t.outcome() == TestRecord.Outcome.PASSED).count();
        long failed = tests.stream().filter(t -> t.outcome() == TestRecord.Outcome.FAILED).count();
        long skipped = tests.size() - passed - failed;
        h.append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
                .append("<title>LLM Fault Kit resilience report</title><style>").append(CSS).append("</style></head><body>");
        h.append("<header><h1>Resilience report</h1><p class=\"summary\" id=\"summary\">").append(tests.size())
                .append(" test(s): ").append(passed).append(" passed, ").append(failed).append(" failed, ")
                .append(skipped).append(" skipped \u00B7 generated ").append(escape(generated.toString()))
                .append("</p></header><main>");
        legend(h);
        List<Scorecard> cards = Scorecard.of(tests);
        h.append("<section id=\"scorecards\"><h2>Scorecards</h2>");
        for (Scorecard card : cards) {
            scorecard(h, card);
        }
        h.append("</section><section id=\"tests\"><h2>Tests and their request timelines</h2>");
        for (TestRecord t : tests) {
            test(h, t);
        }
        return h.append("</section></main></body></html>\n").toString();
    }

    private static void legend(StringBuilder h) {
        h.append("<p class=\"legend\" id=\"legend\">Bars: ");
        for (TimelineModel.Outcome o : TimelineModel.Outcome.values()) {
            h.append("<span><span class=\"swatch\" style=\"background:").append(TimelineSvg.colour(o)).append("\"></span>")
                    .append(escape(o.description())).append("</span>");
        }
        h.append("<span>hatched band: the wait the answer asked for</span>")
                .append("<span>red outline and \u201CEARLY\u201D: a retry inside that wait</span>")
                .append("<span>\u25B6 yellow row: blamed by a failed assertion</span></p>");
    }

    private static void scorecard(StringBuilder h, Scorecard card) {
        String anchor = "class-" + card.classLabel().replaceAll("[^A-Za-z0-9]", "-");
        h.append("<div class=\"scorecard\" id=\"").append(escape(anchor)).append("\"><h3>").append(escape(card.classLabel()))
                .append("</h3><p class=\"survived\">").append(escape(card.classLabel())).append(": ")
                .append(escape(card.summary())).append("</p>");
        if (card.hasMatrix()) {
            List<Scorecard.Column> columns = card.columns();
            h.append("<table class=\"grid\"><caption>").append(escape(card.classLabel()))
                    .append(": each fault of the matrix (rows) per method and provider (columns)</caption><thead><tr>")
                    .append("<th scope=\"col\">Fault</th>");
            for (Scorecard.Column c : columns) {
                h.append("<th scope=\"col\">").append(escape(c.label())).append("</th>");
            }
            h.append("</tr></thead><tbody>");
            for (Fault f : card.faults()) {
                h.append("<tr><th scope=\"row\">").append(f).append("</th>");
                for (Scorecard.Column c : columns) {
                    TestRecord t = card.cell(f, c);
                    if (t == null) {
                        h.append("<td class=\"cell none\">not run</td>");
                        continue;
                    }
                    h.append("<td class=\"cell ").append(t.outcome().cssName()).append("\" data-fault=\"").append(f)
                            .append("\" data-provider=\"").append(c.provider()).append("\"><a href=\"#").append(t.id())
                            .append("\" title=\"").append(escape(hover(t))).append("\">")
                            .append(Scorecard.word(t.outcome())).append("</a></td>");
                }
                h.append("</tr>");
            }
            h.append("</tbody></table>");
        }
        List<TestRecord> plain = card.tests().stream().filter(t -> t.matrixCase() == null).toList();
        if (!plain.isEmpty()) {
            h.append("<ul class=\"plain-tests\">");
            for (TestRecord t : plain) {
                h.append("<li><a href=\"#").append(t.id()).append("\" title=\"").append(escape(hover(t))).append("\">")
                        .append(escape(t.displayName())).append("</a> <span class=\"badge ").append(t.outcome().cssName())
                        .append("\">").append(Scorecard.word(t.outcome())).append("</span></li>");
            }
            h.append("</ul>");
        }
        h.append("</div>");
    }

    private static String hover(TestRecord t) {
        if (t.message() == null) {
            return t.displayName() + ": " + t.outcome().cssName();
        }
        String m = t.message().strip();
        int cut = m.indexOf("Request timeline (server arrival times):");
        m = (cut > 0 ? m.substring(0, cut) : m).strip();
        return m.length() > 600 ? m.substring(0, 600) + "\u2026" : m;
    }

    private static void test(StringBuilder h, TestRecord t) {
        TimelineModel model = TimelineModel.of(t.requests(), t.offending());
        h.append("<article class=\"test ").append(t.outcome().cssName()).append("\" id=\"").append(t.id())
                .append("\"><h3>").append(escape(t.classLabel())).append(" \u203A ").append(escape(t.methodName()));
        if (t.matrixCase() != null) {
            h.append(' ').append(escape(t.displayName()));
        }
        h.append(" <span class=\"badge ").append(t.outcome().cssName()).append("\">")
                .append(Scorecard.word(t.outcome())).append("</span></h3>");
        if (t.message() != null) {
            h.append("<pre class=\"message\">").append(escape(t.message())).append("</pre>");
        }
        if (!t.offending().isEmpty()) {
            h.append("<p class=\"offenders\">Blamed by the assertion: ");
            boolean first = true;
            for (Long seq : t.offending()) {
                h.append(first ? "" : ", ").append("<a href=\"#").append(t.id()).append("-row-").append(seq).append("\">#")
                        .append(seq).append("</a>");
                first = false;
            }
            h.append("</p>");
        }
        if (model.isEmpty()) {
            h.append("<p>No requests reached the fake server.</p></article>");
            return;
        }
        h.append("<figure>").append(TimelineSvg.draw(model, t.id(), "#" + t.id() + "-row-"))
                .append("<figcaption>").append(model.rows().size())
                .append(" request(s), server arrival times</figcaption></figure>");
        h.append("<table class=\"requests\"><caption>Requests of ").append(escape(t.displayName()))
                .append("</caption><thead><tr><th scope=\"col\">#</th><th scope=\"col\">arrived</th>")
                .append("<th scope=\"col\">took</th><th scope=\"col\">request</th><th scope=\"col\">provider</th>")
                .append("<th scope=\"col\">answer</th><th scope=\"col\">wait asked</th><th scope=\"col\">why</th>")
                .append("<th scope=\"col\">key</th></tr></thead><tbody>");
        for (TimelineModel.Row r : model.rows()) {
            JournalEntry e = r.entry();
            h.append("<tr id=\"").append(t.id()).append("-row-").append(e.sequence()).append('"');
            String cls = (r.marked() ? "offending " : "") + (r.earlyBy() != null ? "early" : "");
            if (!cls.isBlank()) h.append(" class=\"").append(cls.trim()).append('"');
            h.append("><td>").append(r.marked() ? "\u25B6 " : "").append(e.sequence()).append("</td><td class=\"when\">+")
                    .append(Markup.millis(r.startMillis()));
            if (r.earlyBy() != null) {
                h.append(" (EARLY by ").append(Markup.millis(r.earlyBy().toNanos() / 1e6)).append(')');
            }
            h.append("</td><td>").append(Markup.millis(r.endMillis() - r.startMillis())).append("</td><td>")
                    .append(escape(e.method() + " " + e.path() + (e.stream() ? " (stream)" : ""))).append("</td><td>")
                    .append(e.provider() == null ? "" : e.provider()).append("</td><td>").append(escape(r.answer()))
                    .append("</td><td>").append(r.askedWait() == null ? "" : Markup.millis(r.askedWait().toNanos() / 1e6))
                    .append("</td><td>").append(escape(e.faultReason() == null ? r.outcome().description() : e.faultReason()))
                    .append("</td><td>").append(escape(e.apiKeyMask())).append("</td></tr>");
        }
        h.append("</tbody></table></article>");
    }
}
