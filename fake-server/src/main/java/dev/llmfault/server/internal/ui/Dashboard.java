package dev.llmfault.server.internal.ui;

import dev.llmfault.server.Fault;
import dev.llmfault.server.JournalEntry;
import dev.llmfault.server.Provider;
import dev.llmfault.server.timeline.Markup;
import dev.llmfault.server.timeline.TimelineModel;
import dev.llmfault.server.timeline.TimelineSvg;
import io.javalin.http.Context;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * The live dashboard at {@code /__admin/ui}: one static page and its small script, no build step, nothing from a
 * CDN. The page and script hold no data, so they are served without the admin token; everything they show comes
 * from the admin API with the token the page asks for, and every change goes through the admin API's validation.
 *
 * <pre>{@code
 * open http://127.0.0.1:8089/__admin/ui
 * }</pre>
 */
public final class Dashboard {
    /** The page. */
    public static final String PAGE = "/__admin/ui";
    /** Its script. */
    public static final String SCRIPT = "/__admin/ui/dashboard.js";
    /** Served without the admin token: they carry no data. */
    public static final Set<String> PUBLIC_PATHS = Set.of(PAGE, SCRIPT);
    /** The last minute of traffic as an SVG timeline (behind the admin token like the rest of the admin API). */
    public static final String TIMELINE = "/__admin/timeline.svg";
    /** Longest window the timeline draws, in ms. */
    public static final int MAX_WINDOW_MS = 10 * 60_000;

    // the page may run its own script and talk to its own server, nothing else
    private static final String POLICY = "default-src 'none'; script-src 'self'; style-src 'unsafe-inline'; "
            + "connect-src 'self'; img-src 'self' data:; form-action 'none'; base-uri 'none'; frame-ancestors 'none'";

    private final String page;
    private final byte[] script;

    public Dashboard() {
        String faults = Arrays.stream(Fault.values()).map(f -> "<option value=\"" + f + "\">" + f + " ("
                + Markup.escape(f.retry().name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ')) + ")</option>")
                .collect(Collectors.joining());
        String providers = Arrays.stream(Provider.values()).map(p -> "<option value=\"" + p + "\">" + p + "</option>")
                .collect(Collectors.joining());
        this.page = resource("dashboard.html").replace("<!--FAULT_OPTIONS-->", faults)
                .replace("<!--PROVIDER_OPTIONS-->", providers);
        this.script = resource("dashboard.js").getBytes(StandardCharsets.UTF_8);
    }

    public void page(Context ctx) {
        headers(ctx);
        ctx.contentType("text/html; charset=utf-8").result(page);
    }

    public void script(Context ctx) {
        headers(ctx);
        ctx.contentType("text/javascript; charset=utf-8").result(script);
    }

    /** The SVG timeline of the last {@code windowMs} of traffic (server arrival times). */
    public static String timeline(Supplier<List<JournalEntry>> journal, long windowMs) {
        long now = System.nanoTime();
        long from = now - windowMs * 1_000_000;
        List<JournalEntry> recent = journal.get().stream().filter(e -> e.monotonicNanos() >= from).toList();
        return TimelineSvg.draw(TimelineModel.of(recent, Set.of()), "live", null);
    }

    private static void headers(Context ctx) {
        ctx.header("Content-Security-Policy", POLICY);
        ctx.header("X-Content-Type-Options", "nosniff");
        ctx.header("Cache-Control", "no-store");
        ctx.header("Referrer-Policy", "no-referrer");
    }

    private static String resource(String name) {
        try (InputStream in = Dashboard.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("the dashboard's " + name + " is missing from the server's jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
