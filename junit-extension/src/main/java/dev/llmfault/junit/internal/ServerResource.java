package dev.llmfault.junit.internal;

import dev.llmfault.server.FakeLlmServer;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A server kept in an {@link ExtensionContext.Store} and closed with it: an embedded server stops, a remote
 * handle just lets go. Both close interfaces are implemented so the server stops whether or not the engine's
 * closing of {@link AutoCloseable} store values is enabled; the engine calls only one of them.
 */
@SuppressWarnings("deprecation") // CloseableResource: the fallback when AutoCloseable closing is turned off
public final class ServerResource implements AutoCloseable, ExtensionContext.Store.CloseableResource {
    private final FakeLlmServer server;

    public ServerResource(FakeLlmServer server) {
        this.server = server;
    }

    public FakeLlmServer server() {
        return server;
    }

    @Override
    public void close() {
        server.close();
    }
}
