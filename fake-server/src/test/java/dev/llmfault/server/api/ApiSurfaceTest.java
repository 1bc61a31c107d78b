package dev.llmfault.server.api;

import dev.llmfault.server.FakeLlmServer;
import dev.llmfault.server.testing.ApiSurface;
import org.junit.jupiter.api.Test;

import java.nio.file.Path;

/**
 * The public API of llmfault-server is the checked-in {@code fake-server/api/llmfault-server.api}: a change to
 * it fails here until the file is regenerated ({@code -Dllmfault.api.update=true}) and committed.
 */
class ApiSurfaceTest {

    @Test
    void thePublicApiIsTheCheckedInOne() {
        ApiSurface.check(FakeLlmServer.class, Path.of("api", "llmfault-server.api").toAbsolutePath());
    }
}
