package dev.llmfault.server.internal.catalogue;

import dev.llmfault.server.Fault;
import dev.llmfault.server.Provider;

import java.util.List;

/**
 * Renders the catalogue as Markdown ({@code docs/fault-catalogue.md}), so the documentation is the data
 * itself and cannot drift: a test compares the file with this rendering.
 */
public final class CatalogueDocument {
    private CatalogueDocument() {
    }

    public static String render(FaultCatalogue catalogue) {
        StringBuilder md = new StringBuilder();
        md.append("# The fault catalogue\n\n")
                .append("Generated from `FaultCatalogue` (fake-server, `internal/catalogue`): do not edit by hand; ")
                .append("run `mvn -pl fake-server test -Dtest=CatalogueDocumentTest -Dllmfault.updateDocs=true` after ")
                .append("changing the data.\n\n")
                .append("**verified**: checked against real answers or the official SDKs' sources. ")
                .append("**modelled**: our best guess where no real answer was seen; correct it in one place, the catalogue.\n\n")
                .append("## Faults\n\n| fault | article cause | a correct client | kind |\n|---|---|---|---|\n");
        for (Fault f : Fault.values()) {
            md.append("| ").append(f).append(" | ").append(f.cause().articleNumber() == 0 ? "-" : f.cause().articleNumber())
                    .append(" ").append(f.cause()).append(" | ").append(f.retry()).append(" | ").append(f.kind()).append(" |\n");
        }
        List<Rendering> all = catalogue.all();
        for (Provider p : Provider.values()) {
            md.append("\n## ").append(p).append("\n\n")
                    .append("| fault | variant | status | type | code | message | headers | fidelity |\n")
                    .append("|---|---|---|---|---|---|---|---|\n");
            for (Fault f : Fault.values()) {
                all.stream().filter(r -> r.provider() == p && r.fault() == f).forEach(r -> md.append("| ")
                        .append(f).append(" | ").append(r.variant().isEmpty() ? "" : "`" + r.variant() + "`")
                        .append(" | ").append(r.status() == 0 ? "none (reset)" : r.status())
                        .append(" | ").append(cell(r.type())).append(" | ").append(cell(r.code()))
                        .append(" | ").append(cell(r.message()))
                        .append(" | ").append(headers(r))
                        .append(" | ").append(r.verified() ? "verified" : "modelled").append(" |\n"));
            }
        }
        return md.toString();
    }

    private static String headers(Rendering r) {
        StringBuilder h = new StringBuilder();
        if (r.throttle()) {
            h.append("retry hints, rate-limit headers");
        }
        r.headers().keySet().stream().sorted().forEach(name -> h.append(h.length() == 0 ? "" : ", ").append(name));
        return h.toString();
    }

    private static String cell(String s) {
        if (s == null || s.isEmpty()) {
            return "";
        }
        String text = s.replace("|", "\\|");
        // A text that holds a backtick (Anthropic's "`max_tokens`") needs a longer fence, or the cell breaks apart.
        return text.indexOf('`') < 0 ? "`" + text + "`" : "`` " + text + " ``";
    }
}
