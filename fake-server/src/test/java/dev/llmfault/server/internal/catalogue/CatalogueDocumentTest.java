package dev.llmfault.server.internal.catalogue;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** docs/fault-catalogue.md is the catalogue's own rendering; this keeps the two from drifting apart. */
class CatalogueDocumentTest {
    private static final Path DOC = Path.of("..", "docs", "fault-catalogue.md");

    @Test
    void theDocumentIsUpToDate() throws Exception {
        String rendered = CatalogueDocument.render(FaultCatalogue.get());
        if (Boolean.getBoolean("llmfault.updateDocs")) {
            Files.createDirectories(DOC.getParent());
            Files.writeString(DOC, rendered);
        }
        assertThat(DOC).as("docs/fault-catalogue.md is stale: rerun with -Dllmfault.updateDocs=true").exists();
        assertThat(Files.readString(DOC)).as("docs/fault-catalogue.md is stale: rerun with -Dllmfault.updateDocs=true")
                .isEqualTo(rendered);
    }
}
