package dev.llmfault.server.timeline;

import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.timeline.TimelineModel.Lane;
import dev.llmfault.server.timeline.TimelineModel.Outcome;
import dev.llmfault.server.timeline.TimelineModel.Row;
import org.apiguardian.api.API;

import java.util.List;
import java.util.Locale;

/**
 * Draws a {@link TimelineModel} as one self-contained SVG (inline styles, no script, no font download), for the
 * HTML report and the dashboard. Each request is a bar from arrival to last byte, filled by its outcome and always
 * labelled with its status and fault, so colour is never the only signal; the wait its answer asked for is a
 * hatched band after it; an early retry gets a red outline and the words "early by"; token fetches share one lane
 * at the top; a stream bar is striped and a cut stream ends in a marked cut.
 *
 * <pre>{@code
 * String svg = TimelineSvg.draw(TimelineModel.of(entries, Set.of()), "t3", "#t3-row-");
 * }</pre>
 */
@API(status = API.Status.INTERNAL, since = "0.1")
public final class TimelineSvg {
    static final int WIDTH = 960;
    private static final int LABEL_WIDTH = 210;
    private static final int PLOT_LEFT = LABEL_WIDTH + 10;
    private static final int PLOT_RIGHT = WIDTH - 20;
    private static final int ROW = 24;
    private static final int BAR = 14;
    private static final int AXIS = 26;
    private static final String EARLY = "#d50000";

    private TimelineSvg() {
    }

    /** The fill of an outcome's bars. */
    public static String colour(Outcome outcome) {
        return switch (outcome) {
            case SUCCESS -> "#2e7d32";
            case INJECTED_ERROR -> "#d84315";
            case INJECTED_TRANSPORT -> "#6a1b9a";
            case REFUSED -> "#546e7a";
        };
    }

    /**
     * The picture.
     *
     * @param id         unique prefix for the ids in the SVG (several timelines share one page)
     * @param linkPrefix each bar links to {@code linkPrefix + sequence} (a row of a table), or null for no links
     */
    public static String draw(TimelineModel model, String id, String linkPrefix) {
        List<Row> rows = model.rows();
        boolean tokenLane = rows.stream().anyMatch(r -> r.lane() == Lane.TOKEN);
        List<Row> requests = rows.stream().filter(r -> r.lane() == Lane.REQUEST).toList();
        int lanes = requests.size() + (tokenLane ? 1 : 0);
        int height = AXIS + Math.max(1, lanes) * ROW + 8;
        double span = Math.max(1.0, model.spanNanos() / 1_000_000.0) * 1.04;
        double scale = (PLOT_RIGHT - PLOT_LEFT) / span;

        StringBuilder svg = new StringBuilder(4096);
        svg.append("<svg xmlns=\"http://www.w3.org/2000/svg\" class=\"timeline\" role=\"img\" width=\"").append(WIDTH)
                .append("\" height=\"").append(height).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ')
                .append(height).append("\" font-family=\"system-ui, sans-serif\" font-size=\"12\" aria-label=\"")
                .append(Markup.escape(summary(model))).append("\">");
        svg.append("<title>").append(Markup.escape(summary(model))).append("</title>");
        svg.append("<defs><pattern id=\"").append(id).append("-wait\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\""
                + " patternTransform=\"rotate(45)\"><rect width=\"6\" height=\"6\" fill=\"#e3f2fd\"/>"
                + "<line x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\" stroke=\"#64b5f6\" stroke-width=\"2\"/></pattern>");
        svg.append("<pattern id=\"").append(id).append("-stream\" width=\"6\" height=\"6\" patternUnits=\"userSpaceOnUse\">"
                + "<rect width=\"6\" height=\"6\" fill=\"white\" fill-opacity=\"0\"/>"
                + "<rect x=\"4\" width=\"2\" height=\"6\" fill=\"white\" fill-opacity=\"0.45\"/></pattern></defs>");
        axis(svg, span, scale, height);
        if (rows.isEmpty()) {
            svg.append("<text x=\"").append(PLOT_LEFT).append("\" y=\"").append(AXIS + 16)
                    .append("\" fill=\"#555\">no requests</text>");
        }
        int lane = 0;
        if (tokenLane) {
            int y = AXIS + lane * ROW;
            svg.append("<text x=\"8\" y=\"").append(y + 16).append("\" fill=\"#333\">token fetches</text>");
            for (Row r : rows) {
                if (r.lane() == Lane.TOKEN) {
                    bar(svg, r, y, scale, id, linkPrefix, true);
                }
            }
            lane++;
        }
        for (Row r : requests) {
            int y = AXIS + lane * ROW;
            if (r.marked()) {
                svg.append("<rect class=\"marked-row\" x=\"0\" y=\"").append(y).append("\" width=\"").append(WIDTH)
                        .append("\" height=\"").append(ROW).append("\" fill=\"#fff59d\"/>");
            }
            JournalEntry e = r.entry();
            String left = (r.marked() ? "\u25B6 " : "") + "#" + e.sequence() + "  +" + Markup.millis(r.startMillis())
                    + (e.provider() == null ? "" : "  " + e.provider());
            svg.append("<text x=\"8\" y=\"").append(y + 16).append("\" fill=\"#333\"")
                    .append(r.marked() ? " font-weight=\"bold\"" : "").append('>').append(Markup.escape(left))
                    .append("</text>");
            bar(svg, r, y, scale, id, linkPrefix, false);
            lane++;
        }
        return svg.append("</svg>").toString();
    }

    private static void axis(StringBuilder svg, double span, double scale, int height) {
        double step = niceStep(span / 8);
        svg.append("<g class=\"axis\" fill=\"#666\">");
        for (double t = 0; t <= span; t += step) {
            double x = PLOT_LEFT + t * scale;
            svg.append("<line x1=\"").append(fmt(x)).append("\" y1=\"").append(AXIS - 6).append("\" x2=\"").append(fmt(x))
                    .append("\" y2=\"").append(height - 4).append("\" stroke=\"#e0e0e0\"/>");
            svg.append("<text x=\"").append(fmt(x)).append("\" y=\"14\" text-anchor=\"middle\">")
                    .append(Markup.millis(t).replace(".0 ms", " ms")).append("</text>");
        }
        svg.append("<text x=\"8\" y=\"14\">server time</text></g>");
    }

    private static void bar(StringBuilder svg, Row r, int y, double scale, String id, String linkPrefix, boolean token) {
        JournalEntry e = r.entry();
        double x = PLOT_LEFT + r.startNanos() / 1_000_000.0 * scale;
        double w = Math.max(3, (r.endNanos() - r.startNanos()) / 1_000_000.0 * scale);
        int top = y + (ROW - BAR) / 2;
        String classes = "bar outcome-" + r.outcome().cssName() + (r.earlyBy() != null ? " early" : "")
                + (r.marked() ? " marked" : "") + (e.stream() ? " stream" : "") + (token ? " token" : "");
        if (linkPrefix != null) {
            svg.append("<a href=\"").append(Markup.escape(linkPrefix + e.sequence())).append("\">");
        }
        svg.append("<g class=\"").append(classes).append("\" data-seq=\"").append(e.sequence())
                .append("\" data-outcome=\"").append(r.outcome().cssName()).append('"').append(linkPrefix == null ? " tabindex=\"0\"" : "").append('>');
        svg.append("<title>").append(Markup.escape(describe(r))).append("</title>");
        if (r.askedWait() != null) {
            double bw = Math.max(2, r.askedWait().toNanos() / 1_000_000.0 * scale);
            svg.append("<rect class=\"wait\" x=\"").append(fmt(x + w)).append("\" y=\"").append(top + 2)
                    .append("\" width=\"").append(fmt(bw)).append("\" height=\"").append(BAR - 4)
                    .append("\" fill=\"url(#").append(id).append("-wait)\"/>");
        }
        String fill = colour(r.outcome());
        svg.append("<rect class=\"bar-rect\" x=\"").append(fmt(x)).append("\" y=\"").append(top).append("\" width=\"")
                .append(fmt(w)).append("\" height=\"").append(BAR).append("\" rx=\"2\" fill=\"").append(fill).append('"');
        if (r.earlyBy() != null) {
            svg.append(" stroke=\"").append(EARLY).append("\" stroke-width=\"3\"");
        } else if (r.marked()) {
            svg.append(" stroke=\"#000\" stroke-width=\"2\"");
        }
        svg.append("/>");
        if (e.stream()) {
            svg.append("<rect x=\"").append(fmt(x)).append("\" y=\"").append(top).append("\" width=\"").append(fmt(w))
                    .append("\" height=\"").append(BAR).append("\" fill=\"url(#").append(id).append("-stream)\"/>");
        }
        if (r.streamCut()) {
            svg.append("<line class=\"cut\" x1=\"").append(fmt(x + w)).append("\" y1=\"").append(top - 3)
                    .append("\" x2=\"").append(fmt(x + w)).append("\" y2=\"").append(top + BAR + 3)
                    .append("\" stroke=\"#000\" stroke-width=\"2\" stroke-dasharray=\"2 2\"/>");
        }
        if (!token) {
            String label = label(r);
            double textX = x + w + 4;
            boolean before = textX + label.length() * 6.6 > WIDTH;
            svg.append("<text class=\"bar-label\" x=\"").append(fmt(before ? x - 4 : textX)).append("\" y=\"")
                    .append(y + 16).append('"').append(before ? " text-anchor=\"end\"" : "")
                    .append(" fill=\"").append(r.earlyBy() != null ? "#b71c1c" : "#212121").append('"')
                    // a white halo keeps the words readable over the hatched wait band
                    .append(" stroke=\"white\" stroke-width=\"3\" paint-order=\"stroke\"")
                    .append(r.earlyBy() != null || r.marked() ? " font-weight=\"bold\"" : "").append('>')
                    .append(Markup.escape(label)).append("</text>");
        }
        svg.append("</g>");
        if (linkPrefix != null) {
            svg.append("</a>");
        }
    }

    /** The text drawn next to a bar: status, fault, stream, cut, wait and early retry. */
    static String label(Row r) {
        StringBuilder s = new StringBuilder(r.answer());
        if (r.entry().stream()) s.append(" stream");
        if (r.streamCut()) s.append(" (cut)");
        if (r.askedWait() != null) s.append(" \u00B7 wait ").append(Markup.millis(r.askedWait().toNanos() / 1e6));
        if (r.earlyBy() != null) s.append(" \u00B7 EARLY by ").append(Markup.millis(r.earlyBy().toNanos() / 1e6));
        return s.toString();
    }

    /** The tooltip of a bar: everything about the request, credentials masked. */
    static String describe(Row r) {
        JournalEntry e = r.entry();
        StringBuilder s = new StringBuilder();
        s.append('#').append(e.sequence()).append(' ').append(e.method()).append(' ').append(e.path());
        if (e.provider() != null) s.append(" [").append(e.provider()).append(']');
        s.append(" -> ").append(r.answer()).append(" (").append(r.outcome().description()).append(')');
        s.append("; arrived +").append(Markup.millis(r.startMillis())).append(", took ")
                .append(Markup.millis(r.endMillis() - r.startMillis()));
        if (r.askedWait() != null) s.append("; asked to wait ").append(Markup.millis(r.askedWait().toNanos() / 1e6));
        if (r.earlyBy() != null) s.append("; arrived ").append(Markup.millis(r.earlyBy().toNanos() / 1e6))
                .append(" before the wait asked for ran out");
        if (e.faultReason() != null) s.append("; ").append(e.faultReason());
        if (e.apiKeyMask() != null) s.append("; key ").append(e.apiKeyMask());
        return s.toString();
    }

    private static String summary(TimelineModel model) {
        long faults = model.rows().stream().filter(r -> r.outcome() != Outcome.SUCCESS).count();
        long early = model.rows().stream().filter(r -> r.earlyBy() != null).count();
        return "Request timeline: " + model.rows().size() + " request(s), " + faults + " fault answer(s), "
                + early + " early retr" + (early == 1 ? "y" : "ies");
    }

    static double niceStep(double raw) {
        double p = Math.pow(10, Math.floor(Math.log10(Math.max(raw, 1e-3))));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= raw) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.1f", v);
    }
}
