package dev.llmfault.junit;

import dev.llmfault.server.testing.ApiSurface;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/**
 * The public API of llmfault-junit is the checked-in {@code junit-extension/api/llmfault-junit.api}: a change to
 * it fails here until the file is regenerated ({@code -Dllmfault.api.update=true}) and committed.
 */
class ApiSurfaceTest {

    @Test
    void thePublicApiIsTheCheckedInOne() {
        ApiSurface.check(LlmFaultExtension.class, Path.of("api", "llmfault-junit.api").toAbsolutePath());
    }
}
